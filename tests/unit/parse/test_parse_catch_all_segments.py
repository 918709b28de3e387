"""The catch-all's reading of a notice that lists several recipients: each
recipient's text ends where the next recipient's line starts.

The catch-all is reached when no header and no sentence of the MTA names a
format (a Subject dropped or reworded, an MTA we have no reader for). Here
it is given real notices directly, as it would read them then: Sendmail's
and old Sendmail's, whose next recipient's line starts with "554 <" or "<",
ran those characters into the previous recipient's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats.text_bounce import GENERIC, read_text_bounce
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree
from bounce_sink.parse.report import RecipientStatus

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _catch_all(path: Path) -> list[RecipientStatus]:
    data = path.read_bytes()
    view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
    return read_text_bounce(view, GENERIC)


def _diagnostics(path: Path) -> dict[str, str]:
    return {r.address: r.diagnostic for r in _catch_all(path)}


def test_old_sendmail_transcript_lines_end_at_the_next_recipients_line() -> None:
    found = _diagnostics(CORPUS / "lhost-v5sendmail-07.eml")
    assert found["kijitora@example.org"] == (
        "554 <kijitora@example.org>... Remote protocol error "
        "550 example.org (smtp)... 550 Host unknown"
    )
    # "While talking to smtp.example.edu:" heads the next recipient's transcript.
    assert found["mikeneko@example.org"] == (
        "554 <mikeneko@example.org>... 550 Host unknown (Authoritative answer from name server)"
    )


@pytest.mark.parametrize(
    ("path", "address", "diagnostic"),
    [
        (
            CORPUS / "lhost-sendmail-02.eml",
            "userunknown@example.org",
            "(reason: 550 5.1.1 <userunknown@example.org>... User Unknown)",
        ),
        (
            FIXTURES / "sendmail" / "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml",
            "jane.unknown@example.com",
            "(reason: 550 5.1.1 <jane.unknown@example.com>: Recipient address rejected: "
            "User unknown in virtual mailbox table)",
        ),
        (
            CORPUS / "rfc3464-36.eml",
            "sironeko@example.org",
            "----- The following addresses had delivery problems -----",
        ),
    ],
    ids=["sendmail-02", "sendmail-lab-two-recipients", "rfc3464-36"],
)
def test_the_next_recipients_bracket_is_not_this_ones_text(
    path: Path, address: str, diagnostic: str
) -> None:
    assert _diagnostics(path)[address] == diagnostic


def test_an_address_far_along_a_wrapped_line_keeps_the_text_before_it() -> None:
    # "... add you to our whitelist or spammaster@b.c": a help-desk address in
    # the remote server's wrapped reply, not a recipient's line.
    found = _diagnostics(FIXTURES / "bounceparser" / "spam-rejection2.eml")
    assert found["a@b.c"].endswith("so they may add you to our whitelist or")


def test_an_alias_note_under_the_address_stays_with_it() -> None:
    # Postfix: "<new@...> (expanded from <old@...>): host ... said: ..."
    found = _diagnostics(CORPUS / "rfc3464-09.eml")
    assert found["kijitora-cat@mx4.gr3.example.jp"] == "(expanded from <"


def test_no_recipients_text_ends_with_the_next_ones_opening_bracket() -> None:
    files = sorted(CORPUS.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    assert len(files) > 600
    ends_open = [
        f"{path.name}: {r.address}"
        for path in files
        for r in _catch_all(path)[:-1]
        if r.diagnostic.rstrip().endswith("<")
        and not r.diagnostic.rstrip().endswith("(expanded from <")
    ]
    assert ends_open == []
