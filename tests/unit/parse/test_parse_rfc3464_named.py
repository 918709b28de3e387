"""The delivery-status reader's prose shortcuts give what the full way gives.

`named_addresses` leaves out an original recipient that repeats the final
one, and `_command_for` does not read the prose again for a diagnostic that
is the prose's own explanation (or when it explained nothing). Both must
leave every recipient's command, diagnostic and original recipient as
reading the prose for [address, original] every time gave them.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.addresses import clean_address
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree
from bounce_sink.parse.prose import explanation_for
from bounce_sink.parse.rfc3464 import (
    _WORDISH,
    named_addresses,
    parse_delivery_status,
    prose_may_name_command,
    recipients_from,
)
from bounce_sink.parse.sendmail_transcript import entry_for, transcript_entries
from bounce_sink.parse.smtp_codes import clean_diagnostic, find_smtp_command, strip_type_prefix

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _full_command(block: dict[str, str], diagnostic: str, view: MessageView) -> str:
    """The command as read before the shortcuts: the transcript's entry, the
    diagnostic, then the prose about [address, original], always read."""
    final = clean_address(block.get("final-recipient", ""))
    original = clean_address(block.get("original-recipient", ""))
    address = final or original or clean_address(block.get("x-actual-recipient", ""))
    addresses = [address, original]
    code = clean_diagnostic(strip_type_prefix(block.get("diagnostic-code", "")))
    if not code or not _WORDISH.search(code):
        entry = entry_for(transcript_entries(view.body_text), addresses)
        if entry is not None and entry.command:
            return entry.command
    return find_smtp_command(diagnostic) or find_smtp_command(
        explanation_for(view.body_text, addresses, view.body_text_lower)
    )


def test_corpus_and_fixture_recipients_keep_their_commands(corpus_dir: Path) -> None:
    checked = explained = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        for tree in (parse_fast(data), _stdlib_tree(data)):
            if tree is None:
                continue
            view = MessageView(tree, DEFAULT_LIMITS)
            for part in view.delivery_status_parts:
                ds = parse_delivery_status(part, view)
                found = iter(recipients_from(ds, view))
                for block in ds.per_recipient:
                    final = clean_address(block.get("final-recipient", ""))
                    original = clean_address(block.get("original-recipient", ""))
                    address = (
                        final or original or clean_address(block.get("x-actual-recipient", ""))
                    )
                    if "@" not in address and "@" in original:
                        address = original  # an X.400 final recipient
                    if not address or ("@" not in address and not final):
                        continue  # no recipient (as recipients_from skips it)
                    r = next(found)
                    assert r.address == address
                    assert r.smtp_command == _full_command(block, r.diagnostic, view), path.name
                    want = original if original.lower() != address.lower() else ""
                    assert r.original_recipient == want, path.name
                    checked += 1
                    code = clean_diagnostic(strip_type_prefix(block.get("diagnostic-code", "")))
                    explained += not code or not _WORDISH.search(code)
    assert checked > 200 and explained > 10


_PIECES = [
    "a@example.org",
    "A@Example.ORG",
    "<a@example.org>",
    "b@example.org",
    "550 ",
    ": ",
    "... ",
    "in reply to RCPT TO command",
    "after DATA",
    "To: ",
    "\n",
    "\n\n",
    "\n    ",
    "user unknown",
    "x",
]


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=14),
    pair=st.sampled_from(
        [
            ("a@example.org", ""),
            ("a@example.org", "a@example.org"),
            ("a@example.org", "A@Example.ORG"),
            ("a@example.org", "b@example.org"),
            ("b@example.org", "a@example.org"),
        ]
    ),
)
def test_the_named_addresses_read_as_both(pieces: list[str], pair: tuple[str, str]) -> None:
    text = "".join(pieces)
    lower = text.lower()
    both = list(pair)
    named = named_addresses(*pair)
    assert len(named) == (2 if pair[1] and pair[1].lower() != pair[0].lower() else 1)
    assert explanation_for(text, named, lower) == explanation_for(text, both, lower)
    assert prose_may_name_command(text, lower, named) == prose_may_name_command(text, lower, both)
    entries = transcript_entries(text)
    assert entry_for(entries, named) == entry_for(entries, both)


def _report(text: str, fields: str) -> bytes:
    return (
        "From: MAILER-DAEMON@example.org\nTo: s@example.com\nSubject: failed\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        f"--b\nContent-Type: text/plain\n\n{text}\n--b\nContent-Type: message/delivery-status\n\n"
        f"Reporting-MTA: dns; mx.example.org\n\n{fields}\n--b--\n"
    ).encode()


_TEXTS = [
    "<a@example.org>... in reply to RCPT TO command\n",
    "<a@example.org>: host mx said: 550 no such user (in reply to\n    RCPT TO command)\n",
    "<A@Example.ORG>: x\n",
    "<b@example.org>: 550 user unknown after DATA\n",
    "a@example.org\n",
    "\n",
    "   ----- Transcript of session follows -----\n",
    "... while talking to mx.example.org.:\n",
    ">>> DATA\n",
    ">>> RCPT To:<a@example.org>\n",
    "<<< 550 5.1.1 <a@example.org>... User unknown\n",
    "550 5.1.1 <a@example.org>... User unknown\n",
    "mail.local: unknown user: a\n",
    "554 <a@example.org>... Service unavailable\n",
]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.sampled_from(_TEXTS), max_size=9),
    original=st.sampled_from(["", "a@example.org", "A@Example.ORG", "b@example.org"]),
    code=st.sampled_from(["", "X-Unix; 71", "smtp; 550 5.1.1 user unknown"]),
)
def test_generated_reports_keep_their_commands(texts: list[str], original: str, code: str) -> None:
    fields = "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.0.0\n"
    if original:
        fields += f"Original-Recipient: rfc822; {original}\n"
    if code:
        fields += f"Diagnostic-Code: {code}\n"
    tree = parse_fast(_report("".join(texts), fields))
    assert tree is not None
    view = MessageView(tree, DEFAULT_LIMITS)
    (part,) = view.delivery_status_parts
    ds = parse_delivery_status(part, view)
    (r,) = recipients_from(ds, view)
    assert r.smtp_command == _full_command(ds.per_recipient[0], r.diagnostic, view)
