"""The format dispatch's named tuples are made from real types, not strings.

See tests/unit/classify/test_classify_runtime_annotations.py: a string
annotation is compiled into a typing.ForwardRef when the class is made, at
every start; dispatch.py leaves out ``from __future__ import annotations``.
"""

from __future__ import annotations

from typing import ForwardRef

import pytest

from bounce_sink.parse.formats.dispatch import Contains, HeaderGate, Present, Searched


@pytest.mark.parametrize("record", [Searched, Contains, Present, HeaderGate])
def test_field_annotations_are_not_strings(record: type) -> None:
    annotations = record.__annotations__
    assert annotations
    assert not [name for name, kind in annotations.items() if isinstance(kind, str | ForwardRef)]
