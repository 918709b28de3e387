"""Comcast / Xfinity (comcast.net): the RL/BL codes of Comcast's postmaster pages."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="comcast",
    hosts=r"(?:^|\.)comcast\.net$",
    markers=r"postmaster\.comcast\.net|\bxfinity\b",
    domains=("comcast.net",),
    patterns=(
        P("rbl", "blocked", r"\bbl0\d{2,5}\b|\bblocked\b|\brbl\b|block ?list"),
        P("rate", "speeding", r"\brl0\d{2,5}\b|rate limit|too many (?:messages|sessions)"),
        P("ptr", "require_ptr", r"\bptr\b|reverse dns|rdns"),
        P("not_our_customer", "user_unknown", r"not our customer|no such user|user unknown"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota"),
        P("dmarc", "auth_failure", r"dmarc|spf|dkim"),
    ),
)
