"""`Evidence.of` builds its tuple positionally: every field must hold what its name says.

A field order slip (text and command swapped, say) would still type-check;
these checks over every corpus and fixture recipient would not pass it.
"""

from __future__ import annotations

from pathlib import Path

from bounce_sink.classify.evidence import Evidence, normalise_text
from bounce_sink.parse.pipeline import parse_bytes
from bounce_sink.parse.report import RecipientStatus, Report

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"
MESSAGES = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))


def test_every_field_holds_its_own_value() -> None:
    seen = 0
    for path in MESSAGES:
        report = parse_bytes(path.read_bytes())
        for r in report.recipients:
            ev = Evidence.of(r, report)
            assert ev.text == normalise_text(r.diagnostic)
            assert ev.action == r.action.strip().lower()
            assert ev.hint == r.reason_hint.strip()
            assert ev.heuristic is r.heuristic
            assert ev.hint_source == r.hint_source
            assert isinstance(ev.hosts, tuple) and all(ev.hosts)
            assert "@" not in ev.domain and ev.domain == ev.domain.lower()
            if r.status.strip().count(".") == 2:
                assert ev.status == r.status.strip()
            if r.reply_code.strip():
                assert ev.reply_code == r.reply_code.strip()
            seen += 1
    assert seen > 250


def test_named_fields_of_a_known_recipient() -> None:
    recipient = RecipientStatus(
        address="kijitora@Example.JP",
        action=" Failed ",
        diagnostic="smtp; 550-5.1.1 User unknown\n550 5.1.1 in reply to RCPT TO at mx.example.com",
        remote_mta="dns; mx1.example.jp",
        reason_hint="user_unknown ",
        hint_source="qmail",
    )
    ev = Evidence.of(recipient, Report(reporting_mta="dns; relay.example.net"))
    assert ev == Evidence(
        text="user unknown in reply to rcpt to at mx.example.com",
        status="5.1.1",
        reply_code="550",
        action="failed",
        command="RCPT",
        hosts=("mx1.example.jp", "mx.example.com", "relay.example.net"),
        domain="example.jp",
        hint="user_unknown",
        heuristic=False,
        hint_source="qmail",
    )
