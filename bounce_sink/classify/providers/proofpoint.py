"""Proofpoint (pphosted.com, ppe-hosted.com): Proofpoint's documented refusals."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="proofpoint",
    hosts=r"(?:^|\.)(?:pphosted\.com|ppe-hosted\.com|proofpoint\.com)$",
    markers=r"support\.proofpoint\.com|\bproofpoint\b|ipcheck\.proofpoint",
    patterns=(
        P("dnsbl", "blocked", r"dnsbl-lookup|blocked - see|ip reputation|\bblocked\b"),
        P("spam", "spam_detected", r"message rejected (?:due to|as) (?:spam|local policy)|spam"),
        P("user_unknown", "user_unknown", r"user unknown|no such user|invalid recipient"),
    ),
)
