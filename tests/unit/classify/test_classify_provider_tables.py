"""The receiving providers' documented code tables, entry by entry.

Each row is a provider's own refusal (its help page's wording or code) as
it reaches us from that provider's host, with the reason and severity we
owe it. The single-example-per-rule table (test_classify_rule_examples)
proves each rule can fire; this one proves the tables' entries land where
the providers' documentation says, including the entries that must stay
soft (a closed account, a refusal of the sender) beside codes that used to
read as a missing mailbox.
"""

from __future__ import annotations

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.recognise import providers_of_host
from bounce_sink.parse.report import RecipientStatus, Report

ORANGE = "smtp-in.orange.fr"
LAPOSTE = "smtp-in.laposte.net"
GODADDY = "smtp.secureserver.net"
COX = "mx.east.cox.net"
SPECTRUM = "mx0.charter.net"
QQ = "mx3.qq.com"
YAHOO = "mta7.am0.yahoodns.net"
DOCOMO = "mfsmax.docomo.ne.jp"
GMAIL = "gmail-smtp-in.l.google.com"
EXO = "example-com.mail.protection.outlook.com"
MIMECAST = "us-smtp-inbound-1.mimecast.com"
FACEBOOK = "mx-out.facebook.com"
VZWPIX = "mms.vzwpix.com"

# (host, diagnostic, status, command, reason, severity)
ROWS: list[tuple[str, str, str, str, str, str]] = [
    # Orange / La Poste: the code, not the words around it.
    (
        ORANGE,
        "552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]",
        "5.1.1",
        "RCPT",
        "mailbox_full",
        "soft",
    ),
    (ORANGE, "550 5.1.1 Invalid recipient. OFR_416 [416]", "5.1.1", "RCPT", "user_unknown", "hard"),
    (
        LAPOSTE,
        "550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420",
        "5.5.0",
        "RCPT",
        "suspend",
        "soft",
    ),
    (
        LAPOSTE,
        "550 5.5.0 Le compte du destinataire est bloque. LPN007_426",
        "5.5.0",
        "RCPT",
        "suspend",
        "soft",
    ),
    (
        LAPOSTE,
        "550 5.5.3 Mail from not owned by user. LPN105_421",
        "5.5.3",
        "MAIL",
        "rejected",
        "soft",
    ),
    (
        ORANGE,
        "421 Too many connections, slow down. OFR005_104 [104]",
        "4.0.0",
        "CONNECT",
        "too_many_conn",
        "soft",
    ),
    (
        LAPOSTE,
        "550 5.5.0 SPF: 192.0.2.1 is not allowed to send mail. LPN004_401",
        "5.5.0",
        "MAIL",
        "auth_failure",
        "soft",
    ),
    (
        LAPOSTE,
        "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using Spamhaus LPNAAA_101",
        "5.7.1",
        "RCPT",
        "blocked",
        "soft",
    ),
    (
        ORANGE,
        "550 5.5.0 Mail rejete. Mail rejected. OFR_506 [506]",
        "5.5.0",
        "DATA",
        "spam_detected",
        "soft",
    ),
    # GoDaddy: no IB code means a missing mailbox.
    (
        GODADDY,
        "550 This IP has sent too many messages this hour. IB504",
        "5.0.0",
        "RCPT",
        "speeding",
        "soft",
    ),
    (
        GODADDY,
        "550 This message has exceeded the max number of messages per session. IB510",
        "5.0.0",
        "RCPT",
        "speeding",
        "soft",
    ),
    (
        GODADDY,
        "550 example.org From: Domain is invalid. Provide a valid From: IB506",
        "5.0.0",
        "RCPT",
        "rejected",
        "soft",
    ),
    (
        GODADDY,
        "452 This message contains too many recipients. IB605",
        "4.0.0",
        "RCPT",
        "too_many_conn",
        "soft",
    ),
    (
        GODADDY,
        "554 This IP has been temporarily blocked for attempting to mail too many invalid recipients. IB112",
        "5.0.0",
        "CONNECT",
        "blocked",
        "soft",
    ),
    (
        GODADDY,
        "550 a@example.org IP addresses are not allowed as a From: Address. IB502",
        "5.0.0",
        "DATA",
        "not_compliant_rfc",
        "soft",
    ),
    (GODADDY, "552 Account storage limit", "5.2.2", "RCPT", "mailbox_full", "soft"),
    (
        GODADDY,
        "550 5.1.1 <a@example.com> Recipient not found. <http://x.co/irbounce>",
        "5.1.1",
        "RCPT",
        "user_unknown",
        "hard",
    ),
    # Cox: AUP# codes and its listed texts.
    (
        COX,
        "554 5.7.1 AUP#CXSNDR sender domain failed authentication",
        "5.7.1",
        "RCPT",
        "auth_failure",
        "soft",
    ),
    (COX, "421 4.7.0 AUP#CXCNCT too many connections", "4.7.0", "CONNECT", "too_many_conn", "soft"),
    (COX, "554 5.7.1 AUP#IPBL00001 listed at Spamhaus", "5.7.1", "CONNECT", "blocked", "soft"),
    (COX, "554 5.7.1 AUP#CXMJ sending blocked", "5.7.1", "MAIL", "security_error", "soft"),
    (COX, "554 cox.net rejected - no rDNS", "5.7.1", "CONNECT", "require_ptr", "soft"),
    # Spectrum: the number's family.
    (
        SPECTRUM,
        "554 5.7.1 cmsmtp 192.0.2.1 blocked. AUP#I-1220",
        "5.7.1",
        "CONNECT",
        "blocked",
        "soft",
    ),
    (
        SPECTRUM,
        "421 4.7.0 cmsmtp too many connections. AUP#In-1310",
        "4.7.0",
        "CONNECT",
        "too_many_conn",
        "soft",
    ),
    (
        SPECTRUM,
        "550 5.7.1 cmsmtp too many recipients. AUP#O-1550",
        "5.7.1",
        "RCPT",
        "speeding",
        "soft",
    ),
    (
        SPECTRUM,
        "550 5.7.1 cmsmtp too many invalid recipients. AUP#O-1560",
        "5.7.1",
        "RCPT",
        "policy_violation",
        "soft",
    ),
    # Tencent.
    (
        QQ,
        "550 Suspected bounce attacks https://service.mail.qq.com/detail/122/57",
        "5.0.0",
        "RCPT",
        "blocked",
        "soft",
    ),
    (
        QQ,
        "421 Sender frequency limited https://service.mail.qq.com/detail/122/174",
        "4.0.0",
        "MAIL",
        "too_many_conn",
        "soft",
    ),
    # Yahoo / AOL: closed accounts are soft.
    (
        YAHOO,
        "554 30 Sorry, your message to a@aol.jp cannot be delivered. This mailbox is disabled (554.30)",
        "5.0.0",
        "RCPT",
        "suspend",
        "soft",
    ),
    (
        YAHOO,
        "554 delivery error: dd a@yahoo.com is no longer valid. [-5] - mta1.mail.bf1.yahoo.com",
        "5.0.0",
        "RCPT",
        "suspend",
        "soft",
    ),
    (
        YAHOO,
        "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]",
        "5.0.0",
        "RCPT",
        "user_unknown",
        "hard",
    ),
    # NTT docomo: the same words for a missing mailbox and a refused sender.
    # Refused at RCPT: an "i-mode mail only" subscriber, or a missing mailbox.
    (DOCOMO, "550 Unknown user a@docomo.ne.jp", "5.1.1", "RCPT", "rejected", "soft"),
    (DOCOMO, "550 Unknown user a@docomo.ne.jp", "5.2.0", "DATA", "filtered", "soft"),
    (DOCOMO, "550 Unknown user a@docomo.ne.jp", "5.0.0", "DATA", "rejected", "soft"),
    # Google.
    (
        GMAIL,
        "421-4.7.28 Gmail has detected an unusual rate of mail originating from your DKIM domain. - gsmtp",
        "4.7.28",
        "DATA",
        "blocked",
        "soft",
    ),
    (
        GMAIL,
        "421-4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. Gmail requires all email bulk senders to authenticate their email with DKIM. - gsmtp",
        "4.7.30",
        "DATA",
        "auth_failure",
        "soft",
    ),
    (
        GMAIL,
        "550-5.7.1 Messages missing a valid Message-ID: header are not accepted. - gsmtp",
        "5.7.1",
        "DATA",
        "not_compliant_rfc",
        "soft",
    ),
    (
        GMAIL,
        "421-4.4.5 Server busy, try again later. - gsmtp",
        "4.4.5",
        "CONNECT",
        "system_error",
        "soft",
    ),
    (
        GMAIL,
        "553-5.1.3 The recipient address <a b@gmail.com> is not a valid RFC 5321 address. - gsmtp",
        "5.1.3",
        "RCPT",
        "user_unknown",
        "hard",
    ),
    (
        GMAIL,
        "553-5.1.7 The sender address <a b@example.org> is not a valid RFC 5321 address. - gsmtp",
        "5.1.7",
        "MAIL",
        "not_compliant_rfc",
        "soft",
    ),
    # Exchange Online / Exchange Server.
    (
        EXO,
        "550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
        "5.4.4",
        "RCPT",
        "network_error",
        "soft",
    ),
    (
        EXO,
        "550 5.7.504 Recipient address rejected: Access denied",
        "5.7.504",
        "RCPT",
        "suspend",
        "soft",
    ),
    (
        EXO,
        "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required",
        "5.7.133",
        "RCPT",
        "rejected",
        "soft",
    ),
    (
        EXO,
        "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains",
        "5.7.750",
        "MAIL",
        "rejected",
        "soft",
    ),
    (
        EXO,
        "550 5.7.708 Access denied, traffic not accepted from this IP",
        "5.7.708",
        "CONNECT",
        "speeding",
        "soft",
    ),
    (
        EXO,
        "550 5.7.606 Access denied, banned sending IP [192.0.2.1]",
        "5.7.606",
        "CONNECT",
        "blocked",
        "soft",
    ),
    (EXO, "550 5.1.2 Invalid X.400 address", "5.1.2", "RCPT", "user_unknown", "hard"),
    (
        EXO,
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)",
        "5.4.1",
        "RCPT",
        "user_unknown",
        "hard",
    ),
    # Mimecast: a blocked sender is not a missing or blocked recipient.
    (
        MIMECAST,
        "550 Envelope rejected - Block policy for Envelope From address",
        "5.0.0",
        "MAIL",
        "rejected",
        "soft",
    ),
    (
        MIMECAST,
        "451 Internal resources are temporarily unavailable",
        "4.0.0",
        "RCPT",
        "bad_reputation",
        "soft",
    ),
    (
        MIMECAST,
        "451 Unable to process connection at this time",
        "4.0.0",
        "CONNECT",
        "system_error",
        "soft",
    ),
    # Facebook's response codes: the recipient's own settings and Facebook's
    # refusals of the sending server stay soft.
    (
        FACEBOOK,
        "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp"
        " Refused due to recipient preferences",
        "5.1.1",
        "RCPT",
        "filtered",
        "soft",
    ),
    (
        FACEBOOK,
        "550 5.1.1 RCP-P1 Recipient address does not exist",
        "5.1.1",
        "RCPT",
        "user_unknown",
        "hard",
    ),
    (
        FACEBOOK,
        "550 5.7.1 POL-P4 Not accepting messages from your mail server",
        "5.7.1",
        "MAIL",
        "blocked",
        "soft",
    ),
    (
        FACEBOOK,
        "550 5.7.1 POL-P1 Your IP is listed on the Spamhaus PBL",
        "5.7.1",
        "RCPT",
        "blocked",
        "soft",
    ),
    # Verizon's MMS gateway: hard only beside x.1.1.
    (VZWPIX, "No valid recipients for this MM", "5.0.0", "", "filtered", "soft"),
    (VZWPIX, "No valid recipients for this MM", "5.1.1", "", "user_unknown", "hard"),
    # Exchange Online's codes alone.
    (EXO, "550 5.4.1 Relay Access Denied", "5.4.1", "RCPT", "no_relaying", "soft"),
    (EXO, "550 5.4.316 Message expired, connection refused", "5.4.316", "", "expired", "soft"),
    (EXO, "550 5.7.124 Sender not in allowed-senders list", "5.7.124", "RCPT", "rejected", "soft"),
    # Outlook.com's "domain is not reachable": not a verdict that it does not exist.
    (
        "blu004-omc1s11.hotmail.com",
        "550 The mail could not be delivered to the recipient because the domain is not reachable."
        " Please check the domain and try again",
        "5.0.0",
        "",
        "network_error",
        "soft",
    ),
]


@pytest.mark.parametrize(
    ("host", "diagnostic", "status", "command", "reason", "severity"),
    ROWS,
    ids=[f"{r[0].split('.')[-2]}:{r[4]}:{r[1][:40]}" for r in ROWS],
)
def test_documented_entry_lands_on_its_reason(
    host: str, diagnostic: str, status: str, command: str, reason: str, severity: str
) -> None:
    recipient = RecipientStatus(
        address="someone@example.com",
        action="failed",
        status=status,
        diagnostic=diagnostic,
        remote_mta=host,
        smtp_command=command,
    )
    c = classify_recipient(recipient, Report(kind="dsn"))
    assert (c.reason, c.severity) == (reason, severity)
    assert c.rule.startswith("provider.")


# Receiving hosts named in the providers' own host lists (and Sisimai's
# per-provider host keys), each reaching that provider first.
HOSTS = [
    ("mx01.mail.icloud.com", "apple"),
    ("smtpin.me.com", "apple"),
    ("mx.east.cox.net", "cox"),
    ("smtp-in.laposte.net", "orange"),
    ("smtp-in.wanadoo.fr", "orange"),
    ("mailstore1.secureserver.net", "godaddy"),
    ("aspmx.l.google.com", "google"),
    ("mx.email.ua", "i_ua"),
    ("msmx.au.com", "kddi"),
    ("lsean.ezweb.ne.jp", "kddi"),
    ("am6pr01mb1234.eurprd01.prod.outlook.com", "microsoft"),
    ("eu-smtp-inbound-2.mimecast.com", "mimecast"),
    ("mfsmax.docomo.ne.jp", "ntt_docomo"),
    ("mx0.charter.net", "spectrum"),
    ("mx3.qq.com", "tencent"),
    ("mx-aol.mail.gm0.yahoodns.net", "yahoo"),
    ("cluster1.eu.messagelabs.com", "messagelabs"),
    ("mx-out.facebook.com", "facebook"),
    ("mms.vzwpix.com", "verizon"),
    ("vtext.com", "verizon"),
]


@pytest.mark.parametrize(("host", "provider"), HOSTS)
def test_provider_host_reaches_its_provider(host: str, provider: str) -> None:
    found = providers_of_host(host)
    assert found
    assert PROVIDERS[found[0]].name == provider


# Notices the providers' own servers write about mail their users sent: the
# recipient is anywhere and no host of the provider answered, so the notice
# line itself is the signature.
NOTICE_LINES = [
    (
        "[Status: Error, Address: <someone@example.org>, ResponseCode 421, , Host not reachable.]",
        "failed",
        "5.0.0",
        ("expired", "soft", "provider.zoho.host_not_reachable"),
    ),
    (
        "[Status: Error, Address: <someone@example.org>, ResponseCode 421, , Host not reachable.]",
        "delayed",
        "4.0.0",
        ("expired", "none", "provider.zoho.host_not_reachable"),
    ),
    (
        "Due to the following SMTP relay error.",
        "failed",
        "5.0.0",
        ("no_relaying", "soft", "provider.kddi.smtp_relay_error"),
    ),
    # The next hop's words after au's sentence are read by the generic
    # rules, not by au's (without RCPT or x.1.1, "user unknown" stays soft).
    (
        "Due to the following SMTP relay error. 550 <someone@example.org>: User unknown",
        "failed",
        "5.0.0",
        ("filtered", "soft", "text.user_unknown.not_at_rcpt"),
    ),
]


@pytest.mark.parametrize(("diagnostic", "action", "status", "verdict"), NOTICE_LINES)
def test_provider_notice_line_is_recognised_without_its_host(
    diagnostic: str, action: str, status: str, verdict: tuple[str, str, str]
) -> None:
    recipient = RecipientStatus(
        address="someone@example.org", action=action, status=status, diagnostic=diagnostic
    )
    c = classify_recipient(recipient, Report(kind="dsn"))
    assert (c.reason, c.severity, c.rule) == verdict
