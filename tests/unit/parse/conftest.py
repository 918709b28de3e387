"""Fixtures of the parse tests."""

from __future__ import annotations

import email
from email._policybase import compat32
from pathlib import Path

import pytest

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree

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


@pytest.fixture(scope="session")
def view_texts(corpus_dir: Path) -> list[tuple[Path, list[str]]]:
    """Per corpus and fixture message, the texts the pipeline's text readers are
    given: the body text as the quick reader's view gives it, each of its lines,
    and each delivery-status part's payload; read once for the tests that
    compare a reader's shortcut with its full form over all of them."""
    out: list[tuple[Path, list[str]]] = []
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        texts = [view.body_text, *view.body_text.splitlines()]
        for part in view.delivery_status_parts:
            payload = part.get_payload()
            texts.append(payload if isinstance(payload, str) else str(part))
        out.append((path, texts))
    return out


@pytest.fixture(scope="session")
def quick_views(corpus_dir: Path) -> list[tuple[Path, MessageView]]:
    """The view of every corpus and fixture message the quick reader reads
    (the few it declines are left out), built once for the tests that
    compare a reader's shortcut with its former reading over them all.
    Shared: read them, never change them."""
    views: list[tuple[Path, MessageView]] = []
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        message = parse_fast(path.read_bytes())
        if message is not None:
            views.append((path, MessageView(message, DEFAULT_LIMITS)))
    return views


@pytest.fixture(scope="session")
def html_parts(quick_views: list[tuple[Path, MessageView]]) -> list[str]:
    """The HTML parts of every corpus and fixture message, as the quick reader's
    view gives them, for the tests that compare html_to_text with a former
    reading."""
    from bounce_sink.parse.text_decoding import part_text

    return [
        part_text(part, DEFAULT_LIMITS.max_text_chars)
        for _, view in quick_views
        for (part, _), ctype in zip(view.parts, view.types, strict=True)
        if ctype == "text/html"
    ]
