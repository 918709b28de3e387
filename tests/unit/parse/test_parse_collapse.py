"""text_bounce._collapse drops separator lines as matching every line did;
_explanation collapses its first paragraph once.

It matches only lines whose first non-blank character is a separator mark;
compared with the plain way over every corpus and fixture text (whole, and
every window of a few lines) and generated lines of blanks, marks and words.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.formats.text_bounce import _BLANK_LINE, _SEPARATOR, _collapse, _explanation

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _plain(text: str) -> str:
    return " ".join(
        line.strip() for line in text.splitlines() if line.strip() and not _SEPARATOR.match(line)
    )[:2000]


def test_every_corpus_and_fixture_text(body_texts: list[tuple[Path, str]]) -> None:
    dropped = 0
    for path, text in body_texts:
        assert _collapse(text) == _plain(text), path.name
        lines = text.splitlines()
        for at in range(len(lines)):
            window = "\n".join(lines[at : at + 4])
            assert _collapse(window) == _plain(window), (path.name, window)
        dropped += sum(1 for ln in lines if ln.strip() and _SEPARATOR.match(ln))
    assert dropped > 20  # separator lines were there to drop


_PIECES = [
    "=",
    "-",
    "*",
    "#",
    "~",
    "_",
    "+",
    " ",
    "\t",
    "\u00a0",
    "\u2003",
    "\x1c",
    "\x0b",
    "a",
    ".",
    "5",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=6))
def test_generated_lines(lines: list[str]) -> None:
    for sep in ("\n", "\r\n", "\u2028"):
        text = sep.join(lines)
        assert _collapse(text) == _plain(text), repr(text)


def _former_explanation(segment: str) -> str:
    segment = segment.lstrip(">:,. \t")
    paras = [p for p in _BLANK_LINE.split(segment) if p.strip()]
    if not paras:
        return ""
    taken = [paras[0]]
    if len(_plain(paras[0]).split()) < 3 and len(paras) > 1:
        taken.append(paras[1])
    return _plain("\n".join(taken))


def test_explanation_over_every_corpus_text_from_every_line(
    corpus_dir: Path, body_texts: list[tuple[Path, str]]
) -> None:
    for path, text in body_texts:
        if path.parent != corpus_dir:
            continue
        at, lines = 0, 0
        while at >= 0 and lines < 60:  # the first 60 line starts of each
            assert _explanation(text[at:]) == _former_explanation(text[at:]), (path.name, at)
            at, lines = text.find("\n", at + 1), lines + 1
