"""Decisions end to end through `classify_recipient`: reason, side, severity, code, rule.

One table of realistic evidence (diagnostic, status, reply code, remote host,
command) with what must come out, including the four examples of the
product documentation; then the rules about what may never be hard.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.table import all_rule_names, all_rule_reasons
from bounce_sink.classify.taxonomy import (
    ALL_REASONS,
    FAILURE_REASONS,
    RECIPIENT_SIDE,
    SENDER_SIDE,
    UNKNOWN_SIDE,
    Classification,
    code_of,
    severity_of,
    side_of,
)
from bounce_sink.parse.report import RecipientStatus, Report, ReportKind


@dataclass(frozen=True)
class Case:
    diagnostic: str
    status: str = ""
    reply: str = ""
    host: str = ""
    command: str = ""
    action: str = "failed"
    address: str = "someone@example.com"
    heuristic: bool = False
    kind: ReportKind = "dsn"


def run(case: Case) -> Classification:
    recipient = RecipientStatus(
        address=case.address,
        action=case.action,
        status=case.status,
        reply_code=case.reply,
        diagnostic=case.diagnostic,
        remote_mta=case.host,
        smtp_command=case.command,
        heuristic=case.heuristic,
    )
    return classify_recipient(recipient, Report(kind=case.kind))


# (case, reason, severity, code, rule)
TABLE: list[tuple[Case, str, str, str | None, str]] = [
    # The four examples of the product documentation, as Postfix words them.
    (
        Case(
            "host []:25 said: 552 5.2.2 <> Mailbox has exceeded the limit (in reply to RCPT TO command)",
            "5.2.2",
            "552",
        ),
        "mailbox_full",
        "soft",
        "bounce_fm",
        "text.mailbox_full.mailbox_exceeded_limit",
    ),
    (
        Case(
            "host[]:25 said: 550 5.2.1 The email account that you tried to reach is disabled. p28si19674740ybk.52 (in reply to RCPT TO command)",
            "5.2.1",
            "550",
        ),
        "suspend",
        "soft",
        "bounce_tr",
        "text.suspend.email_account_disabled",
    ),
    (
        Case("host[]:25 said: 550 No such recipient (in reply to RCPT TO command)", "5.0.0", "550"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.no_such_user",
    ),
    (
        Case("domain name does not exist", "5.1.2"),
        "host_unknown",
        "hard",
        "bounce_df",
        "text.host_unknown.domain_does_not_exist",
    ),
    # Text beats the bare status: 5.2.1 alone is a disabled mailbox ...
    (Case("", "5.2.1", "550"), "suspend", "soft", "bounce_tr", "status.5.2.1"),
    # ... but with "User unknown" at RCPT it is a missing mailbox (DESIGN.md).
    (
        Case("550 5.2.1 <a@example.com>... User Unknown", "5.2.1", "550", command="RCPT"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.sendmail_address_lookup",
    ),
    # The same words after DATA come from a filter: soft.
    (
        Case("550 5.2.1 <a@example.com>... User Unknown", "5.2.1", "550", command="DATA"),
        "filtered",
        "soft",
        "bounce_tr",
        "text.user_unknown.after_data",
    ),
    # With no sign of a recipient lookup: unsure, so soft.
    (
        Case("550 Unknown user a@example.com", "5.0.0", "550"),
        "filtered",
        "soft",
        "bounce_tr",
        "text.user_unknown.not_at_rcpt",
    ),
    # x.1.1 is itself the lookup result.
    (
        Case(
            "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
            "5.1.1",
            "550",
        ),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.user_unknown",
    ),
    # A provider's documented text beats generic patterns.
    (
        Case(
            "550-5.1.1 The email account that you tried to reach does not exist. - gsmtp",
            "5.1.1",
            "550",
            host="gmail-smtp-in.l.google.com",
        ),
        "user_unknown",
        "hard",
        "bounce_hb",
        "provider.google.no_such_user",
    ),
    (
        Case(
            "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0PR01.prod.protection.outlook.com]",
            "5.4.1",
            "550",
            host="example-org.mail.protection.outlook.com",
        ),
        "user_unknown",
        "hard",
        "bounce_hb",
        "provider.microsoft.access_denied_dbeb",
    ),
    (
        Case(
            "550 5.1.1 <a@example.com> - 192.0.2.1 has sent to too many recipients this hour. IB607 <http://x.co/rlbounce>",
            "5.1.1",
            "550",
            host="smtp.secureserver.net",
        ),
        "speeding",
        "soft",
        "bounce_tr",
        "provider.godaddy.too_many_recipients_hour",
    ),
    (
        Case(
            "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
            "4.7.0",
            "421",
            host="mta6.am0.yahoodns.net",
        ),
        "bad_reputation",
        "soft",
        "bounce_tr",
        "provider.yahoo.unexpected_volume",
    ),
    # Sender-side refusals.
    (
        Case(
            "550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy",
            "5.7.26",
            "550",
        ),
        "auth_failure",
        "soft",
        "bounce_tr",
        "text.auth_failure.dmarc",
    ),
    (
        Case(
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "5.7.1",
            "554",
        ),
        "blocked",
        "soft",
        "bounce_tr",
        "text.blocked.blocked_using",
    ),
    # A temporary DNS failure is never hard, whatever the action says.
    (
        Case(
            "Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again",
            "4.4.3",
        ),
        "network_error",
        "soft",
        "bounce_tr",
        "text.network_error.dns_temporary",
    ),
    (
        Case("domain name does not exist", "4.1.2", "450"),
        "host_unknown",
        "soft",
        "bounce_tr",
        "text.host_unknown.domain_does_not_exist",
    ),
    # has_moved and null MX are hard; has_moved is bounce_hb, null MX bounce_df.
    (
        Case("551 User not local; please try <b@example.org>", "5.1.6", "551"),
        "has_moved",
        "hard",
        "bounce_hb",
        "text.has_moved.user_not_local",
    ),
    (
        Case("556 5.1.10 Recipient address has null MX", "5.1.10", "556"),
        "not_accept",
        "hard",
        "bounce_df",
        "text.not_accept.null_mx",
    ),
    # Non-bounces.
    (Case("", "2.0.0", "250", action="delivered"), "delivered", "none", None, "action.delivered"),
    (Case("", "2.1.5", "250", action=""), "delivered", "none", None, "status.2"),
    (
        Case("MAIL FROM:<a@example.org> 250 2.1.0 Ok", "2.1.0", action="failed"),
        "on_hold",
        "soft",
        "bounce_tr",
        "fallback.on_hold",
    ),
    (Case("", "", action=""), "vacation", "none", None, "kind.autoreply"),
    (Case("", "", action=""), "feedback", "none", None, "kind.arf"),
    # A delay warning keeps its cause and is not a failure yet.
    (
        Case(
            "452 4.2.2 The email account that you tried to reach is over quota",
            "4.2.2",
            "452",
            action="delayed",
        ),
        "mailbox_full",
        "none",
        None,
        "text.mailbox_full.over_quota",
    ),
    (Case("", "4.4.7", action="delayed"), "expired", "none", None, "status.4.4.7"),
    (Case("", "", action="delayed"), "expired", "none", None, "action.delayed"),
    # Refused at connect or at MAIL FROM, with nothing else said.
    (
        Case("550 go away", "5.0.0", "550", command="HELO"),
        "blocked",
        "soft",
        "bounce_tr",
        "command.connect",
    ),
    (
        Case("550 go away", "5.0.0", "550", command="MAIL"),
        "rejected",
        "soft",
        "bounce_tr",
        "command.mail",
    ),
    # Words about a missing domain before RCPT are about us, never hard.
    (
        Case("501 5.5.2 Invalid domain name", "5.5.2", "501", command="HELO"),
        "blocked",
        "soft",
        "bounce_tr",
        "command.connect",
    ),
    (
        Case("553 5.1.8 Domain name does not exist", "5.1.8", "553", command="MAIL"),
        "rejected",
        "soft",
        "bounce_tr",
        "command.mail",
    ),
    # Sendmail's "addr... No such user" relayed by a gateway that does not
    # say which command failed: the address-echo is a lookup answer.
    (
        Case("550 kijitora@example.com... No such user", "5.0.0", "550"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.sendmail_address_lookup",
    ),
    # ... but a mailbox-status code beside the same words is a filter speaking.
    (
        Case("550 5.2.1 <a@example.com>... User Unknown", "5.2.1", "550"),
        "filtered",
        "soft",
        "bounce_tr",
        "text.user_unknown.not_at_rcpt",
    ),
    # SES inbound's "Mailbox does not exist" is a receipt rule's template: soft.
    (
        Case(
            "550 5.1.1 Mailbox does not exist",
            "5.1.1",
            "550",
            host="inbound-smtp.us-west-2.amazonaws.com",
        ),
        "filtered",
        "soft",
        "bounce_tr",
        "provider.amazon_ses_inbound.receipt_rule_mailbox_template",
    ),
    # A sender's server refused as an open relay is blocked, not the recipient.
    (
        Case(
            "501 <s@example.org>... no access from mail server [192.0.2.55] which is an open relay.",
            "5.0.0",
            "501",
            command="MAIL",
        ),
        "blocked",
        "soft",
        "bounce_tr",
        "text.blocked.open_relay_listed",
    ),
    # Texts that contradict a hard-looking status win, as read in other
    # projects' real bounces (fixtures/bounceparser, flufl-bounce): each
    # of these was a false hard.
    (
        Case("550 RCPT TO:<a@example.com> max message size exceeded", "5.1.1", "550"),
        "mesg_too_big",
        "soft",
        "bounce_tr",
        "text.mesg_too_big.size_limit",
    ),
    (
        Case(
            "Name service error for name=a.example type=MX: Malformed or unexpected name server reply",
            "5.4.4",
        ),
        "network_error",
        "soft",
        "bounce_tr",
        "text.network_error.dns_temporary",
    ),
    (
        Case(
            "554 delivery error: dd Sorry your message to a@yahoo.com cannot be delivered. "
            "This account has been disabled or discontinued [#102].",
            "5.0.0",
            "554",
            host="mta7.am0.yahoodns.net",
        ),
        "suspend",
        "soft",
        "bounce_tr",
        "provider.yahoo.account_disabled",
    ),
    (
        Case(
            "554 a@example.com... aliasing/forwarding loop broken (11 aliases deep; 10 max)",
            "5.1.1",
        ),
        "system_error",
        "soft",
        "bounce_tr",
        "text.system_error.mail_loop",
    ),
    (
        Case(
            "550 Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server.",
            "5.0.0",
            "550",
        ),
        "mailbox_full",
        "soft",
        "bounce_fm",
        "text.mailbox_full.too_many_messages",
    ),
    # Cloudflare Email Routing's documented refusal: our IP, not the person.
    (
        Case(
            "554 <192.0.2.1> found on one or more DNSBLs (abusixip). Refer to "
            "https://developers.cloudflare.com/email-routing/postmaster/",
            "5.0.0",
            "554",
            host="route1.mx.cloudflare.net",
            command="RCPT",
        ),
        "blocked",
        "soft",
        "bounce_tr",
        "text.blocked.blocked_using",
    ),
    # A missing mailbox in new words is hard at RCPT, and a filter's soft without a lookup.
    (
        Case("550 User [a@example.com] does not exist", "5.0.0", "550", command="RCPT"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.echoed_address_does_not_exist",
    ),
    (
        Case("554 5.7.1 <a@example.com>: Recipient address rejected: Nonexistent user", "5.7.1"),
        "filtered",
        "soft",
        "bounce_tr",
        "text.user_unknown.not_at_rcpt",
    ),
    # Gmail's final "DNS Error: Domain name not found" is NXDOMAIN, not a DNS hiccup.
    (
        Case("DNS Error: Domain name not found", "5.1.2"),
        "host_unknown",
        "hard",
        "bounce_df",
        "text.host_unknown.domain_not_found",
    ),
    (
        Case("DNS Error: timed out while looking up the domain", "4.4.3", action="delayed"),
        "network_error",
        "none",
        None,
        "text.network_error.dns_temporary",
    ),
    # Exim's reading of a null MX (RFC 7505) is the domain's, not a refusal of us.
    (
        Case("an MX or SRV record indicated no SMTP service", "5.1.2"),
        "not_accept",
        "hard",
        "bounce_df",
        "text.not_accept.null_mx",
    ),
    # Sisimai 5.1's phrase lists and per-MTA tables, where hard/soft changed
    # (session 8): Exim's "Unrouteable mail domain" is a routing failure
    # (network_error, was hard host_unknown); "this address no longer accepts
    # mail" is a closed mailbox (suspend, was hard user_unknown at RCPT).
    (
        Case('Unrouteable mail domain "example.com"', "5.0.0"),
        "network_error",
        "soft",
        "bounce_tr",
        "text.network_error.unrouteable_domain",
    ),
    (
        Case("550 5.1.1 This address no longer accepts mail.", "5.1.1", "550", command="RCPT"),
        "suspend",
        "soft",
        "bounce_tr",
        "text.suspend.suspended_or_inactive",
    ),
    # ... and the wordings that name a missing mailbox or domain, hard now:
    # Domino's and IMail's own directory lookups, Exchange's and Oracle
    # Messaging Server's nonexistent domain, Gmail's "Address not found".
    (
        Case("User x (a@example.com) not listed in Domino Directory", "5.0.0"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.directory_not_listed",
    ),
    (
        Case("Invalid final delivery userid: a@example.com", "5.0.0"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.directory_not_listed",
    ),
    (
        Case("554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", "5.4.4", "554"),
        "host_unknown",
        "hard",
        "bounce_df",
        "text.host_unknown.dns_says_no_host",
    ),
    (
        Case("Illegal host/domain name found", "5.1.2"),
        "host_unknown",
        "hard",
        "bounce_df",
        "text.host_unknown.dns_says_no_host",
    ),
    (
        Case(
            "Your message wasn't delivered to a@example.com because the address couldn't be "
            "found, or is unable to receive mail.",
            "5.1.1",
            "550",
        ),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.address_couldnt_be_found",
    ),
    # Gmail's old "(state N)" stage codes: a DATA-stage refusal with no
    # specific status is filtered; a specific x.1.1 in the text still decides.
    (
        Case("550 550 Error: no valid recipients (state 15).", reply="550"),
        "filtered",
        "soft",
        "bounce_tr",
        "text.filtered.gmail_data_stage",
    ),
    (
        Case("550 550 5.1.1 <a@example.com>... User Unknown (state 18).", "5.1.1"),
        "user_unknown",
        "hard",
        "bounce_hb",
        "text.user_unknown.sendmail_address_lookup",
    ),
    # Words no rule knows: too little to judge (on_hold); no words at all: undefined.
    (
        Case("Did not reach the following recipient: a@example.com", "5.0.0"),
        "on_hold",
        "soft",
        "bounce_tr",
        "fallback.on_hold",
    ),
    (Case("", "", ""), "undefined", "soft", "bounce_tr", "fallback.undefined"),
]

# Give the non-bounce rows their report kind.
TABLE = [
    (
        Case(**{**c.__dict__, "kind": "autoreply"})
        if rule == "kind.autoreply"
        else Case(**{**c.__dict__, "kind": "arf"})
        if rule == "kind.arf"
        else c,
        reason,
        severity,
        code,
        rule,
    )
    for c, reason, severity, code, rule in TABLE
]


@pytest.mark.parametrize(
    ("case", "reason", "severity", "code", "rule"), TABLE, ids=[t[4] + ":" + t[1] for t in TABLE]
)
def test_decision(case: Case, reason: str, severity: str, code: str | None, rule: str) -> None:
    c = run(case)
    assert (c.reason, c.severity, c.code, c.rule) == (reason, severity, code, rule)
    assert c.side == side_of(reason)


def test_heuristic_recipients_are_never_hard() -> None:
    case = Case(
        "550 5.1.1 <a@example.com>... User unknown", "5.1.1", "550", command="RCPT", heuristic=True
    )
    c = run(case)
    assert (c.reason, c.severity, c.code) == ("user_unknown", "soft", "bounce_tr")


@pytest.mark.parametrize("reason", sorted(FAILURE_REASONS))
def test_only_four_reasons_can_be_hard(reason: str) -> None:
    hard = severity_of(reason, "failed", "5.0.0", "550", heuristic=False)
    assert (hard == "hard") == (
        reason in {"user_unknown", "host_unknown", "has_moved", "not_accept"}
    )
    assert severity_of(reason, "failed", "4.0.0", "450", heuristic=False) == "soft"
    assert severity_of(reason, "failed", "5.1.1", "450", heuristic=False) == "soft"
    assert severity_of(reason, "delayed", "5.1.1", "550", heuristic=False) == "none"


def test_codes_follow_design() -> None:
    assert code_of("host_unknown", "hard") == "bounce_df"
    assert code_of("not_accept", "hard") == "bounce_df"
    assert code_of("user_unknown", "hard") == "bounce_hb"
    assert code_of("has_moved", "hard") == "bounce_hb"
    assert code_of("mailbox_full", "soft") == "bounce_fm"
    assert code_of("suspend", "soft") == "bounce_tr"
    assert code_of("mailbox_full", "none") is None


def test_sides_follow_design() -> None:
    # DESIGN.md, "side of each failure reason".
    assert {
        "user_unknown",
        "host_unknown",
        "has_moved",
        "not_accept",
        "mailbox_full",
        "suspend",
        "exceed_limit",
        "suppressed",
    } == RECIPIENT_SIDE
    assert {
        "blocked",
        "bad_reputation",
        "spam_detected",
        "virus_detected",
        "policy_violation",
        "content_error",
        "mesg_too_big",
        "auth_failure",
        "require_ptr",
        "speeding",
        "too_many_conn",
        "security_error",
        "no_relaying",
        "not_compliant_rfc",
        "syntax_error",
        "failed_starttls",
        "rejected",
    } == SENDER_SIDE
    assert {
        "expired",
        "network_error",
        "system_error",
        "system_full",
        "mailer_error",
        "filtered",
        "on_hold",
        "undefined",
    } == UNKNOWN_SIDE
    assert FAILURE_REASONS | {"delivered", "vacation", "feedback"} == ALL_REASONS
    assert side_of("vacation") == "none"


def test_rule_names_are_unique() -> None:
    names = all_rule_names()
    assert len(names) == len(set(names))
    assert all(n == n.lower() and " " not in n for n in names)


def test_every_reason_a_rule_gives_is_in_the_taxonomy() -> None:
    assert set(all_rule_reasons()) <= ALL_REASONS


def test_hint_decides_only_when_no_wording_does() -> None:
    report = Report(kind="dsn")
    silent = RecipientStatus(
        "a@example.com", action="failed", status="5.0.0", reason_hint="suspend"
    )
    assert classify_recipient(silent, report).rule == "hint.suspend"
    assert (
        classify_recipient(silent, Report(kind="dsn", format="ezweb")).rule == "hint.ezweb.suspend"
    )
    spoken = RecipientStatus(
        "a@example.com",
        action="failed",
        status="5.0.0",
        diagnostic="552 Mailbox is full",
        reason_hint="suspend",
    )
    assert classify_recipient(spoken, report).reason == "mailbox_full"
    unknown_hint = RecipientStatus(
        "a@example.com", action="failed", status="5.0.0", reason_hint="nonsense"
    )
    assert classify_recipient(unknown_hint, report).reason == "undefined"


@pytest.mark.parametrize(
    "diagnostic",
    [
        "550 5.7.1 This domain does not accept mail from your IP",
        "550 5.7.1 Recipient does not accept mail from this sender",
        "554 5.7.1 Sender address rejected: Domain not found",
        "550 5.7.1 Helo command rejected: Host not found",
        "550 5.7.1 Client host rejected: cannot find your hostname, unknown host",
    ],
)
def test_refusals_of_us_are_never_hard(diagnostic: str) -> None:
    c = run(Case(diagnostic, "5.7.1", "550", command="RCPT"))
    assert c.severity == "soft", c
    assert c.side in ("sender", "unknown"), c


def test_a_soft_reading_by_the_format_module_beats_hard_words() -> None:
    # e.g. au's notice "The user(s) account is disabled." above "550 user unknown".
    recipient = RecipientStatus(
        "a@example.com",
        action="failed",
        status="5.0.0",
        diagnostic="550 user unknown (in reply to RCPT TO command)",
        reason_hint="suspend",
    )
    c = classify_recipient(recipient, Report(kind="dsn", format="ezweb"))
    assert (c.reason, c.severity, c.rule) == ("suspend", "soft", "hint.ezweb.suspend")


def test_a_consumer_domain_alone_does_not_bend_generic_refusals() -> None:
    # Our own relay refusing to relay to an iCloud address is still no_relaying.
    c = run(
        Case(
            "554 5.7.1 <a@icloud.com>: Relay access denied",
            "5.7.1",
            "554",
            host="relay.example.org",
            address="a@icloud.com",
        )
    )
    assert (c.reason, c.rule) == ("no_relaying", "text.no_relaying.relay_denied")
