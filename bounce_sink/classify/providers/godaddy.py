"""GoDaddy (secureserver.net): the "IB" bounce codes of GoDaddy's help pages.

"Fix rejected email with a bounce error" (godaddy.com/help, article 40685)
lists each IBnnn code with its meaning; the code decides, not the 5.1.1 it
often comes with (``550 5.1.1 ... has sent to too many recipients this
hour. IB607``). IB1xx and IB6xx are about the sending IP (block lists,
volume), IB5xx about the message or its sender (a blank or IP From:, an
invalid From: domain, SPF), IB7xx about content: none of them says the
recipient does not exist, so no code is read as ``user_unknown``; that
comes only from GoDaddy's own wording ("Recipient not found", "Account does
not exist").
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="godaddy",
    hosts=r"(?:^|\.)(?:secureserver\.net|godaddy\.com)$",
    markers=r"\bib[0-9]{3}\b.*x\.co/|x\.co/rlbounce",
    patterns=(
        # IB101 (queue busy), IB504 (messages this hour), IB510 (messages per
        # session), IB605-607 (recipients this hour).
        P(
            "too_many_recipients_hour",
            "speeding",
            r"too many recipients this hour|\bib(?:101|504|510|606|607)\b",
        ),
        # IB007 too many sessions from this IP; IB605 too many recipients in one message.
        P("too_many_sessions", "too_many_conn", r"\bib(?:007|605)\b"),
        P("poor_reputation", "bad_reputation", r"\bib103\b"),
        P("no_reverse_dns", "require_ptr", r"\bib108\b"),
        P("smtp_auth_inbound", "security_error", r"\bib401\b"),
        P("virus", "virus_detected", r"\bib705\b"),
        P("invalid_from", "not_compliant_rfc", r"\bib50[12]\b"),
        P("spf_record", "auth_failure", r"\bib508\b"),
        P(
            "blocked_ip",
            "blocked",
            r"\bib1(?:0[4-6]|1[0-3])\b|blacklisted|block ?list|\brbl reject\b|spamhaus\.org/query/bl",
        ),
        P(
            "spam",
            "spam_detected",
            r"\bib212\b|judged to be spam|spam content|message rejected for spam or virus content",
        ),
        P(
            "over_quota",
            "mailbox_full",
            r"\bib50[0-9]\b.*quota|mailbox (?:is )?full|over quota|account storage limit",
        ),
        # IB506 "From: Domain is invalid": the envelope sender's domain.
        P("sender_domain", "rejected", r"\bib506\b|sender domain"),
        # "Account disabled: the recipient account exists but its ability to
        # receive mail was disabled" (GoDaddy's bounce list): suspend, soft.
        P("account_disabled", "suspend", r"\baccount disabled\b"),
        P(
            "queue_expired",
            "expired",
            r"has been in the queue too long|\bdelivery timeout\b",
        ),
        # "This message is looping: it already has my Delivered-To line": the
        # recipient's own forwarding loops (GoDaddy's bounce list).
        P("looping", "system_error", r"message is looping"),
        P(
            "no_such_user",
            "user_unknown",
            r"recipient not found|account does not exist|invalid recipient|no such user",
        ),
    ),
)
