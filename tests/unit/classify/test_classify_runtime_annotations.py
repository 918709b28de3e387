"""The classify named tuples are made from real types, not strings.

With ``from __future__ import annotations`` every field annotation is a
string, and making a NamedTuple compiles each into a typing.ForwardRef:
~2M instructions of every start over the ten named tuples of classify and
the format dispatch. Their modules leave that import out; this fails if it
comes back (the annotations would be ForwardRefs again).
"""

from __future__ import annotations

from typing import ForwardRef

import pytest

from bounce_sink.classify.evidence import Evidence
from bounce_sink.classify.rules.model import Pattern, ProviderPattern, ProviderRule, TextRule
from bounce_sink.classify.taxonomy import Classification


@pytest.mark.parametrize(
    "record", [Evidence, Pattern, TextRule, ProviderPattern, ProviderRule, Classification]
)
def test_field_annotations_are_not_strings(record: type) -> None:
    annotations = record.__annotations__
    assert annotations
    assert not [name for name, kind in annotations.items() if isinstance(kind, str | ForwardRef)]
