"""Fixtures of the parse tests."""

from __future__ import annotations

import email
from email._policybase import compat32
from pathlib import Path

import pytest

from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView

# The shared corpus sits beside the checkout (../shared), in CI as here.
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    # No skip: a missing corpus must fail the suite, not hide it.
    assert (CORPUS / "manifest.jsonl").is_file(), f"dev corpus not found at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def body_texts(corpus_dir: Path) -> list[tuple[Path, str]]:
    """The text the reporting MTA wrote, of every corpus and fixture message,
    read through the stdlib parser (the reference reader), parsed once for
    the tests that compare text readers over all of them."""
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    return [
        (
            path,
            MessageView(
                email.message_from_bytes(path.read_bytes(), policy=compat32), DEFAULT_LIMITS
            ).body_text,
        )
        for path in paths
    ]
