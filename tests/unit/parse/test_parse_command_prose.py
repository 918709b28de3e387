"""`prose_may_name_command` says False only where the prose names no command.

The delivery-status reader looks for the refused command in the paragraph
about a recipient only when this test allows it; a False where the
paragraph holds a lead and a command would lose the command.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree, parse_bytes
from bounce_sink.parse.prose import explanation_for
from bounce_sink.parse.rfc3464 import prose_may_name_command
from bounce_sink.parse.smtp_codes import _SMTP_COMMAND_LEADS, find_smtp_command

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _agrees(text: str, addresses: list[str], lower: str | None = None) -> bool:
    """The test and the full way agree; returns the test's answer."""
    lower = text.lower() if lower is None else lower
    allowed = prose_may_name_command(text, lower, addresses)
    if not allowed:
        assert find_smtp_command(explanation_for(text, addresses, lower)) == "", (text, addresses)
    return allowed


def test_every_lead_has_its_word() -> None:
    from bounce_sink.parse.rfc3464 import _LEAD_WORDS

    for lead in _SMTP_COMMAND_LEADS:
        assert any(word in lead for word in _LEAD_WORDS), lead
    for word in _LEAD_WORDS:
        assert not any(c.isspace() for c in word)


def test_known_shapes() -> None:
    address = "a@example.org"
    assert not _agrees("no address here, after RCPT TO", [address])
    assert not _agrees(f"<{address}>: 550 user unknown\n", [address, ""])
    # A lead above the address's line is not in its paragraph.
    assert not _agrees(f"after the DATA\n\n<{address}>: 550 user unknown\n", [address])
    # A lead folded over two lines is one lead once the lines are joined.
    text = f"<{address}>: host mx said: 550 no such user (in reply\n    to RCPT TO command)\n"
    assert _agrees(text, [address])
    assert find_smtp_command(explanation_for(text, [address], text.lower())) == "RCPT"
    # The code before the address: its line is the explanation.
    text = f"550 <{address}>... while talking to mx.example.org.:\n>>> DATA\n"
    assert _agrees(text, ["", address])
    text = f"550 after RCPT TO <{address}>... User unknown\n"
    assert _agrees(text, [address])
    assert find_smtp_command(explanation_for(text, [address], text.lower())) == "RCPT"
    # A lead only in another paragraph (the returned original's) is not in any mention's.
    text = (
        f"<{address}>: 550 user unknown\n\n------ This is a copy of the message\n"
        f"To: {address}\n\nsent after the meeting, during lunch\n"
    )
    assert not _agrees(text, [address])
    # The first mention (a header line) is skipped; a later one's paragraph holds the lead.
    text = (
        f"To: {address}\n\nThe mail system\n\n"
        f"<{address}>: 550 user unknown (in reply to RCPT TO command)\n"
    )
    assert _agrees(text, [address])
    assert find_smtp_command(explanation_for(text, [address], text.lower())) == "RCPT"


def test_corpus_and_fixture_recipients_agree(corpus_dir: Path) -> None:
    ruled_out = asked = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        if not view.delivery_status_parts:
            continue
        for r in parse_bytes(data).recipients:
            for addresses in ([r.address, r.original_recipient], [r.final_recipient, ""]):
                allowed = _agrees(view.body_text, addresses, view.body_text_lower)
                ruled_out += not allowed
                asked += allowed
    assert ruled_out > 40 and asked > 40


_PIECES = [
    "a@example.org",
    "<a@example.org>",
    "A@Example.org",
    "b@example.org",
    "550 ",
    "554 ",
    ": ",
    "... ",
    "after",
    "After ",
    "during",
    "in reply",
    "in",
    "reply",
    " to ",
    "to",
    "while talking to",
    "talking",
    "did not like our",
    "error following",
    "following",
    "RCPT",
    " RCPT TO",
    "DATA",
    "MAIL FROM",
    "EHLO",
    "the ",
    "end of data",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n    ",
    "To: ",
    "x",
    "-----",
    "Original message follows",
    "\n------ This is a copy of the message\n",
]


@settings(max_examples=800, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=18),
    addresses=st.sampled_from(
        [["a@example.org"], ["a@example.org", "b@example.org"], ["", "b@example.org"], ["x@y"]]
    ),
)
def test_generated_texts_agree(pieces: list[str], addresses: list[str]) -> None:
    _agrees("".join(pieces), addresses)
