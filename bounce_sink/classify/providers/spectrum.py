"""Spectrum / Charter / Roadrunner: the AUP# codes of "Understanding email error codes".

Spectrum's refusals end in ``AUP#I-1010``, ``AUP#In-1340``... The 10xx and
11xx families are blocks of the sending IP or domain, 13xx are connection
limits (concurrency, rate); those are the families its page documents.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="spectrum",
    hosts=r"(?:^|\.)(?:charter\.net|rr\.com|twc\.com|spectrum\.net|roadrunner\.com)$",
    markers=r"\baup#(?:i|in|out|o)?-?\d{4}\b",
    domains=("charter.net", "rr.com", "twc.com", "spectrum.net", "roadrunner.com"),
    patterns=(
        P("connection_limit", "too_many_conn", r"\baup#(?:i|in|out|o)?-?13\d\d\b"),
        P("blocked", "blocked", r"\baup#(?:i|in|out|o)?-?1[01]\d\d\b|\bcmsmtp\b.*\bblocked\b"),
    ),
)
