"""Every registry entry honours the BounceFormat protocol."""

from __future__ import annotations

import email
from email.policy import compat32

import pytest

from bounce_sink.classify.taxonomy import ALL_REASONS
from bounce_sink.parse.formats import REGISTRY
from bounce_sink.parse.formats.generic import GenericTextBounce
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

ORDINARY = (
    b"From: Carol <carol@example.com>\nTo: news@example.org\nSubject: hello\n\n"
    b"Hi, please also write to dave@example.net.\n"
)


def test_names_are_unique_and_generic_is_last() -> None:
    names = [f.name for f in REGISTRY]
    assert len(names) == len(set(names))
    assert isinstance(REGISTRY[-1], GenericTextBounce)


@pytest.mark.parametrize("fmt", REGISTRY, ids=[f.name for f in REGISTRY])
def test_protocol(fmt: object) -> None:
    from bounce_sink.parse.formats.base import BounceFormat

    assert isinstance(fmt.name, str) and fmt.name  # type: ignore[attr-defined]
    f: BounceFormat = fmt  # type: ignore[assignment]
    assert f.matches({}) is False
    view = MessageView(email.message_from_bytes(ORDINARY, policy=compat32), DEFAULT_LIMITS)
    result = f.parse(view)
    assert result is None or all(isinstance(r, RecipientStatus) for r in result)
    if not isinstance(f, GenericTextBounce):
        assert not result, f"{f.name} read ordinary mail as a bounce"


@pytest.mark.parametrize("fmt", REGISTRY, ids=[f.name for f in REGISTRY])
def test_hints_name_taxonomy_reasons(fmt: object) -> None:
    for _, reason in getattr(fmt, "hints", ()):
        assert reason in ALL_REASONS
