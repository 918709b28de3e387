"""virus_detected: the receiver found malware in the message."""

from bounce_sink.classify.rules.model import Pattern

REASON = "virus_detected"
PATTERNS = (
    Pattern(
        "virus_found",
        r"\bvirus(?:es)? (?:found|detected)\b|\b(?:contains?|infected with) (?:a )?virus\b|\bmalware (?:detected|found)\b|\bmalicious (?:content|attachment|software)\b|\bpotentially executable attachment\b|\bused by recent viruses\b|"
        # amavisd-new's "id=... - INFECTED: <name>"; "virus phishing/malicious_url detected".
        r"\bid=\S+ - infected\b|\bmalicious_url detected\b|\bcontains prohibited virus or spam content\b",
    ),
)
