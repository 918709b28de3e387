"""The reordered code patterns and the command word test find what the plain forms find.

`_STATUS`, `_MULTILINE_HEAD` and `_FRAME` test the character before a code
after the code (so a search skips ahead to a 2, 4 or 5); `find_smtp_command`
skips the search when an ASCII text holds none of the pattern's leads and
matches only where a lead starts when it holds some; `clean_diagnostic`
skips the framing search in a text without a dash. The plain forms below
are the patterns and functions as first written.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import smtp_codes
from bounce_sink.parse.formats.lazy_pattern import required_words

PLAIN = {
    "_STATUS": re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)"),
    "_MULTILINE_HEAD": re.compile(r"(?<![\w.-])([245]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3})\s)?"),
    "_FRAME": re.compile(r"(?<!\S)([245]\d\d)[- ](?:([245]\.\d{1,3}\.\d{1,3})\s)?"),
}

_PIECES = [
    "5",
    "4",
    "2",
    "550",
    "5.1.1",
    "4.7.509",
    "5.12.1",
    ".",
    "-",
    " ",
    "\n",
    "\u00a0",
    "_",
    "a",
    "X",
    "0",
    "9",
    "\u0661",
    "1.2.3.4",
    "550-5.1.1 ",
    "after RCPT TO",
    "in reply to end of DATA",
    "while talking to mx.example.org.:\n>>> MAIL From",
    "did not like our EHLO",
    "error following the RCPT",
    "AFTER",
    "during",
    "\u017ftarttls",
    "during the conn",
    "Kelvin \u212aelvin",
    "hereafter DATA",
    "afterwards",
    "after",
    " RCPT",
    "MAIL FROM",
    "in reply to",
    "while talking to ",
    ">",
    ":",
    "550-",
    "550-5.1.1",
    "\u0131n reply to",
    "dur\u0131ng",
    "\u00e9",
    "d\u00e9 ",
]


def _same(name: str, text: str) -> None:
    new = getattr(smtp_codes, name)
    plain = PLAIN[name]
    assert [(m.span(), m.groups()) for m in new.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ], (name, text)


def _plain_command(text: str) -> str:
    m = smtp_codes._SMTP_COMMAND.search(text)
    if not m:
        return ""
    word = m.group(1).upper()
    return {"RCPT TO": "RCPT", "MAIL FROM": "MAIL", "EHLO": "HELO"}.get(word, word)


def _plain_clean(text: str) -> str:
    """clean_diagnostic as first written: the framing searched in every text."""
    text = " ".join(text.split())
    m = smtp_codes._MULTILINE_HEAD.search(text)
    if not m:
        return text
    code, status = m.group(1), m.group(2)

    def drop_frame(f: re.Match[str]) -> str:
        same = f.group(1) == code and (f.group(2) or None) == status
        return "" if same else f.group(0)

    head = text[: m.start()] + (f"{code} {status} " if status else f"{code} ")
    return head + smtp_codes._FRAME.sub(drop_frame, text[m.end() :])


def test_the_leads_are_what_the_pattern_requires() -> None:
    pattern = smtp_codes._SMTP_COMMAND
    assert required_words(pattern.pattern, pattern.flags) == frozenset(
        smtp_codes._SMTP_COMMAND_LEADS
    )


def test_known_shapes() -> None:
    for text in ("550-5.1.1 a 550-5.1.1 b", "x5.1.1", "1.5.1.1", "5.1.1.2", "a-550-x", " 550 x"):
        for name in PLAIN:
            _same(name, text)
    assert smtp_codes.find_smtp_command("550 after RCPT TO:<a@example.org>") == "RCPT"
    assert smtp_codes.find_smtp_command("550 user unknown") == ""
    # The first lead does not start a match (no word boundary, no command after it).
    assert smtp_codes.find_smtp_command("hereafter RCPT; after all; after DATA") == "DATA"
    assert smtp_codes.find_smtp_command("after x during the MAIL FROM") == "MAIL"
    # Leads are tried in the text's order, not the list's.
    assert smtp_codes.find_smtp_command("during DATA, after RCPT TO") == "DATA"
    assert (
        smtp_codes.clean_diagnostic("550-5.1.1 no\n550-5.1.1 such user") == "550 5.1.1 no such user"
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_generated_texts_agree(pieces: list[str]) -> None:
    text = "".join(pieces)
    for name in PLAIN:
        _same(name, text)
    assert smtp_codes.find_smtp_command(text) == _plain_command(text)
    assert smtp_codes.clean_diagnostic(text) == _plain_clean(text)


def test_corpus_and_fixture_texts_agree(view_texts: list[tuple[Path, list[str]]]) -> None:
    commands = framed = 0
    for path, texts in view_texts:
        for text in texts:
            for name in PLAIN:
                _same(name, text)
            assert smtp_codes.find_smtp_command(text) == _plain_command(text), path.name
            assert smtp_codes.clean_diagnostic(text) == _plain_clean(text), path.name
            commands += bool(_plain_command(text))
            framed += _plain_clean(text) != " ".join(text.split())
    assert commands > 50
    assert framed > 10
