"""`find_reply_code` finds what a search for `REPLY_LEAD_PATTERN` finds.

It looks for candidate codes first and then only at the text before each;
a lead it reads differently from the pattern (a missing one, whitespace the
pattern counts and it does not, a case-insensitive twin such as "ſaid")
would report another code or none.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree
from bounce_sink.parse.smtp_codes import REPLY_LEAD_PATTERN, find_reply_code

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
_REPLY_LEAD = re.compile(REPLY_LEAD_PATTERN, re.IGNORECASE)

_PIECES = [
    "said",
    "SAID",
    "\u017faid",  # LONG S: matches "s" case-insensitively
    "server message",
    "reply code",
    "Response_Code",
    "errorcode",
    "code",
    "reply:",
    "response:",
    "responded:",
    "answered:",
    ":",
    ";",
    "(",
    "[",
    "]",
    "#",
    "<<<",
    "<<",
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u2003",
    "550",
    "5501",
    "421",
    "250",
    "4.2.1",
    "2",
    "5",
    "0",
    "\u0661",  # ARABIC-INDIC DIGIT ONE: a \\d
    "x",
    ".",
    "-",
    ",",
    ")",
    "host mx.example.org",
]


def _reference(text: str) -> str:
    m = _REPLY_LEAD.search(text[:2000])
    return m.group(1) if m else ""


def test_known_shapes() -> None:
    cases = {
        "550 5.1.1 <a@example.org>: user unknown": "550",
        "   421 try later": "421",
        "host said: 550 no such user": "550",
        "host said 550 no such user": "550",
        "host said550 no such user": "",
        "reply code550 x": "550",
        "error code : 554 x": "554",
        "<<< 550 unknown": "550",
        "(550) unknown": "550",
        "status 5501 then; 421 busy": "421",
        "5.1.1 then 550": "",
        "x: 550.": "550",
        "x: 550.1": "",
        "SERVER MESSAGE 452 full": "452",
    }
    for text, code in cases.items():
        assert _reference(text) == code, text
        assert find_reply_code(text) == code, text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_generated_texts_agree(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert find_reply_code(text) == _reference(text)


def test_long_text_is_cut_where_the_search_cuts_it() -> None:
    for n in range(1990, 2001):
        text = "x" * n + " : 550 unknown"
        assert find_reply_code(text) == _reference(text), n


def test_corpus_and_fixture_texts_agree(corpus_dir: Path) -> None:
    found = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        text = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS).body_text
        for chunk in [text, *text.splitlines(), *text.split("\n\n")]:
            assert find_reply_code(chunk) == _reference(chunk), path.name
            found += bool(_reference(chunk))
    assert found > 300  # the corpus does state codes
