"""The sink reads the real Postfix DSNs of fixtures/postfix/ as the product documentation says.

``bounce-sink parse --json`` over the committed fixtures: the four failures are
the product documentation's own examples of bounce_hb, bounce_df, bounce_fm and
bounce_tr, made by a real Postfix (tools/postfix_lab); delays and success
reports are never failures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "postfix"

# fixture -> (reason, severity, code) of each recipient, in the DSN's order.
# "a|b": either is a fair reading.
EXPECTED: dict[str, list[tuple[str, str, str | None]]] = {
    "user-unknown-550-no-such-recipient.eml": [("user_unknown", "hard", "bounce_hb")],
    "domain-not-found.eml": [("host_unknown", "hard", "bounce_df")],
    "mailbox-full-552-5.2.2.eml": [("mailbox_full", "soft", "bounce_fm")],
    "disabled-550-5.2.1.eml": [("suspend", "soft", "bounce_tr")],
    # A warning keeps its cause's reason and is not a failure yet.
    "delayed-4xx.eml": [("mailbox_full", "none", None)],
    # Given up after 4xx only: a failure, never a hard one; its cause (mailbox
    # full) or the give-up itself (expired) are both fair readings.
    "expired-after-4xx.eml": [("mailbox_full|expired", "soft", "bounce_fm|bounce_tr")],
    "connection-refused-expired.eml": [("network_error|expired", "soft", "bounce_tr")],
    "delivered-success.eml": [("delivered", "none", None)],
    "relayed-success-to-non-dsn-server.eml": [("delivered", "none", None)],
    "forwarded-user-unknown-original-recipient-envid.eml": [("user_unknown", "hard", "bounce_hb")],
    "two-recipients-user-unknown-5.1.1-and-mailbox-full.eml": [
        ("user_unknown", "hard", "bounce_hb"),
        ("mailbox_full", "soft", "bounce_fm"),
    ],
    # A real Dovecot's refusals over LMTP: an unknown user at RCPT, a full
    # mailbox after DATA (its fellow recipient was delivered).
    "lmtp-dovecot-user-doesnt-exist-550-5.1.1.eml": [("user_unknown", "hard", "bounce_hb")],
    "lmtp-dovecot-quota-exceeded-552-5.2.2.eml": [("mailbox_full", "soft", "bounce_fm")],
    # Refused for its content: our side's problem, never the recipient's.
    "rejected-after-data-554-5.7.1.eml": [
        ("spam_detected|rejected|content_error|policy_violation", "soft", "bounce_tr")
    ],
}


def test_every_fixture_has_an_expectation() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


def test_committed_fixtures_get_the_product_doc_codes() -> None:
    files = sorted(FIXTURES.glob("*.eml"))
    done = subprocess.run(
        [sys.executable, "-m", "bounce_sink", "parse", "--json", *map(str, files)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    got: dict[str, list[tuple[str, str, str | None, str]]] = {}
    for line in done.stdout.decode().splitlines():
        result = json.loads(line)
        assert result["kind"] == "dsn", result
        got[Path(result["file"]).name] = [
            (r["reason"], r["severity"], r["code"], r["rule"]) for r in result["recipients"]
        ]

    wrong = {}
    for name, wanted in EXPECTED.items():
        if len(got[name]) != len(wanted) or any(
            g_reason not in reason.split("|")
            or g_severity != severity
            or (g_code or "") not in (code or "").split("|")
            for (reason, severity, code), (g_reason, g_severity, g_code, _) in zip(
                wanted, got[name], strict=False
            )
        ):
            wrong[name] = f"got {got[name]}; want {wanted}"
    assert not wrong, json.dumps(wrong, indent=1)


def test_forwarded_bounce_keeps_the_address_we_mailed_and_the_envelope_id() -> None:
    """Policy matches the person by Original-Recipient before Final-Recipient (DESIGN)."""
    fixture = FIXTURES / "forwarded-user-unknown-original-recipient-envid.eml"
    done = subprocess.run(
        [sys.executable, "-m", "bounce_sink", "parse", "--json", str(fixture)],
        capture_output=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    (recipient,) = result["recipients"]
    assert recipient["address"] == "member.new@example.com"
    assert recipient["original_recipient"] == "member@example.net"
    assert result["envelope_id"] == "mailing-2026-11.member"
