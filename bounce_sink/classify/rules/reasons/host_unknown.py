"""host_unknown: the recipient's domain does not exist or has no mail host.

Temporary DNS failures ("try again", SERVFAIL, time-outs) are network
errors, matched earlier in the table; these wordings say the name is gone.
"""

from bounce_sink.classify.rules.model import Pattern

REASON = "host_unknown"
PATTERNS = (
    Pattern("domain_does_not_exist", r"\bdomain(?: name)? (?:does not|doesn'?t) exist\b"),
    Pattern("no_such_domain", r"\bno such (?:domain|host)\b"),
    Pattern("host_not_found", r"\bhost or domain name not found\b"),
    Pattern("unknown_host", r"\bunknown (?:host|domain)\b|\bhost unknown\b|\bdomain unknown\b"),
    Pattern("domain_not_found", r"\bdomain (?:name )?not found\b|\brecipient domain not found\b"),
    Pattern(
        "invalid_domain", r"\binvalid (?:recipient )?domain\b|\bbad destination system address\b"
    ),
    Pattern("host_does_not_exist", r"(?:^|\s)[a-z0-9-]+(?:\.[a-z0-9-]+)+\.? does not exist\b"),
    Pattern("dns_lookup_not_found", r"\bdns lookup failure: host \S+ not found\b"),
    Pattern("nxdomain", r"\bnxdomain\b"),
    # Exim's answers when DNS says the domain or its mail hosts do not exist;
    # qmail's "Sorry, I couldn't find any host named x. (#5.1.2)"; Gmail's
    # "DNS Error: Domain name not found" (NXDOMAIN) and "... returned answer
    # with no data" (no MX and no address: no mail host).
    Pattern(
        "dns_says_no_host",
        r"\ball host address lookups failed permanently\b|"
        r"\ball relevant mx records point to non-existent hosts\b|"
        r"\bcouldn'?t find any host (?:named|by that name)\b|\bsmtpsend\.dns\.nonexistentdomain\b|"
        r"\billegal host/domain name found\b|"
        r"\bdns error: (?:domain name not found|dns server returned answer with no data)\b",
    ),
    # getaddrinfo's EAI_NONAME, as Postfix passes it on for a [host] next hop.
    Pattern("name_or_service_not_known", r"\bname or service not known\b"),
    Pattern(
        "name_service_error_host_not_found",
        r"name service error for .*: host not found(?!, try again)",
    ),
    # Exim: no router could resolve the domain.
    Pattern("unrouteable_address", r"\bunrout(?:e)?able address\b"),
    Pattern(
        "recipient_domain_unknown",
        r"\bmail domain mentioned in (?:the )?e-?mail address is unknown\b|\brecipient domain must exist\b",
    ),
)
