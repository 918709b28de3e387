"""require_ptr: the receiver wants reverse DNS (PTR) for our sending IP."""

from bounce_sink.classify.rules.model import Pattern

REASON = "require_ptr"
PATTERNS = (
    Pattern(
        "no_ptr",
        r"\b(?:no|missing|bad|invalid) (?:dns )?(?:ptr|reverse dns|rdns)(?: resource)?(?: record)?\b|\bptr record\b|\breverse (?:dns|lookup) (?:failed|required|lookup)\b|\bcannot find your hostname\b|\bcannot resolve (?:your|the) (?:ip|host)",
    ),
    Pattern(
        "no_reverse",
        r"\bdoes not have a reverse\b|\bclient host rejected: cannot find your (?:reverse )?hostname\b|\breverse dns\b.*\b(?:required|missing|failed)\b|\bfcrdns\b|"
        r"\bip name lookup failed\b|\bfix reverse dns\b|\bcustom reverse dns\b|\breverse lookup rejected\b|"
        # The sending host's name and address do not check out: mail.ru's
        # "generic DNS PTR-records", Google's forward entry, "domain x
        # mismatches client ip", "unresolvable relay host name",
        # "unverifyable sending IPs" (all Sisimai 5's require_ptr).
        r"\bgeneric dns ptr-records\b|\bforward dns entry does not point to the sending ip\b|"
        r"\bmismatches client ip\b|\bunresolvable relay host name\b|\bunverifyable sending ips\b",
    ),
)
