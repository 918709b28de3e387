"""Yahoo and AOL (Yahoo Inc.): "SMTP error codes" of the Yahoo sender hub.

The bracketed [TSS..]/[TS..] tags are Yahoo's own deferral codes.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="yahoo",
    hosts=r"(?:^|\.)(?:yahoodns\.net|yahoo\.com|yahoo\.co\.jp|aol\.com|yahoo\.net|yahoo-inc\.com|yahooinc\.com|aim\.com)$",
    markers=r"postmaster\.(?:yahoo|yahooinc|verizonmedia)\.com|\[tss?\d\d\]|help\.yahoo\.com|yahoo-help\.jp|\bdelivery error: dd\b",
    domains=(
        "yahoo.com",
        "aol.com",
        "ymail.com",
        "rocketmail.com",
        "aim.com",
        "yahoo.co.uk",
        "yahoo.fr",
    ),
    patterns=(
        # "554 delivery error: dd Sorry your message to a@b cannot be delivered.
        # This account has been disabled or discontinued": the account exists
        # and is closed; disabled is soft (product docs), before the "dd" below.
        P("account_disabled", "suspend", r"account has been disabled or discontinued"),
        # "554 delivery error: dd a@yahoo.com is no longer valid" and AOL's
        # "This mailbox is disabled (554.30)": an account closed, not one that
        # never existed (Yahoo's "SMTP error codes"); suspend, soft.
        P(
            "no_longer_valid",
            "suspend",
            r"\bdelivery error: dd .*\bis no longer valid\b|this mailbox is disabled",
        ),
        P(
            "no_account",
            "user_unknown",
            r"this user doesn't have a \S+ account|\bdelivery error: dd\b",
        ),
        P("no_such_user_here", "user_unknown", r"no such user here"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota|quota exceeded"),
        # [TSS04] "unexpected volume or user complaints": our reputation.
        P(
            "unexpected_volume",
            "bad_reputation",
            r"temporarily deferred due to (?:unexpected volume|user complaints)|\[tss04\]",
        ),
        P("ts_block", "blocked", r"\[ts0[1-9]\]|\[tss0[5-9]\]|\[tss1\d\]"),
        P(
            "policy",
            "policy_violation",
            r"message not allowed|not accepted for policy reasons|email not accepted for policy reasons",
        ),
        P("dmarc", "auth_failure", r"dmarc|authentication (?:failed|required)"),
        P("rate", "speeding", r"receiving mail too quickly"),
        # "421 Max message per connection reached, closing transmission channel".
        P("per_connection", "too_many_conn", r"max message per connection"),
        # "451 Message temporarily deferred due to unresolvable RFC.5321 from
        # domain": the envelope sender's domain does not resolve.
        P("unresolvable_sender_domain", "rejected", r"unresolvable rfc\.?5321"),
        P("resources", "system_error", r"resources temporarily unavailable"),
    ),
)
