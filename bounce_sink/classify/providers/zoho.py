"""Zoho Mail (zoho.com, zohomail.com): Zoho's documented bounce texts.

Zoho's own notices about mail its users sent write one line per recipient,
"[Status: Error, Address: <a@b>, ResponseCode 421, , Host not reachable.]":
that line is its signature, since the recipient is anywhere. "Host not
reachable" there is Zoho giving up on (or still retrying) a host it never
reached, which the notice says it retries for days: expired, soft.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="zoho",
    hosts=r"(?:^|\.)(?:zoho\.(?:com|eu|in|jp)|zohomail\.(?:com|eu|in))$",
    domains=("zoho.com", "zohomail.com"),
    # Only that line recognises Zoho: its other rules (a "no such user" at
    # Zoho's own hosts) are not meant for the replies Zoho relays.
    markers=r"\[status: error, address: <[^>]*>, responsecode \d{3}\b.*\bhost not reachable\b",
    patterns=(
        P(
            "host_not_reachable",
            "expired",
            r"\bresponsecode \d{3}\b.*\bhost not reachable\b",
        ),
        P("dmarc", "auth_failure", r"dmarc|spf|dkim"),
        # "552 5.7.1 virus <name> detected by Zoho Mail".
        P("virus", "virus_detected", r"\bvirus\b.*\bdetected by zoho mail\b"),
        # "554 5.7.7 Email policy violation detected", "Mailbox delivery
        # restricted by policy error": the recipient organisation's policy.
        P(
            "policy",
            "policy_violation",
            r"email policy violation detected|mailbox delivery restricted by policy",
        ),
        P(
            "no_such_user",
            "user_unknown",
            r"mailbox not found|no such user|user does not exist",
        ),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota|quota exceeded"),
        P("spam", "spam_detected", r"spam"),
        P("blocked", "blocked", r"blocked|block ?list|blacklist"),
    ),
)
