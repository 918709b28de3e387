"""Amazon SES (amazonses.com, amazonaws.com): SES's documented refusals.

As a receiving side (SES inbound, WorkMail) Amazon answers with its own
texts; the ``Transaction failed`` texts come from the SES SMTP endpoint.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="amazon_ses",
    hosts=r"(?:^|\.)(?:amazonses\.com|amazonaws\.com|awsapps\.com)$",
    patterns=(
        P("duplicate_header", "content_error", r"transaction failed: duplicate header"),
        P(
            "not_verified",
            "security_error",
            r"email address is not verified|identity not verified|not authorized to send",
        ),
        P(
            "suppressed",
            "suppressed",
            r"address is on the (?:account-level )?suppression list|suppressed",
        ),
        P("blacklisted", "blocked", r"ip address blacklisted|blacklisted by recipient"),
    ),
)
