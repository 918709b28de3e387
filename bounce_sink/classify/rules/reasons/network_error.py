"""network_error: DNS or connection trouble on the way (often temporary)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "network_error"
PATTERNS = (
    Pattern(
        "dns_temporary",
        r"\bhost not found, try again\b|\bdns error\b(?!: (?:domain name not found|dns server returned answer with no data|could not contact dns servers))|\btemporary (?:dns|lookup) failure\b|\bservfail\b|\bname server (?:timeout|failure)\b|\bmalformed (?:or unexpected )?name server reply\b",
    ),
    Pattern(
        "connection_failed",
        r"\bconnection (?:refused|reset)\b|\bconnect failed\b|\bno route to host\b|\bnetwork is unreachable\b|\b(?:wasn't|was not|unable to|could not) (?:able to )?(?:establish (?:an )?smtp connection|connect)\b|\btried all mxs\b|\bhost (?:is )?unreachable\b|\bunable to resolve route\b|"
        # OpenSMTPD's and Courier's words for a route or lookup that failed.
        r"\btemporary failure in mx lookup\b|\baddress family mismatch on destination mxs\b|"
        r"\ball routes to destination blocked\b|\bno valid route to (?:remote mx|destination)\b|"
        r"\bdns lookup failed\b|\bbad dns lookup error code\b|\bcould not retrieve source address\b|"
        r"\blisted as a best-preference mx or a for that host\b|\bsmtpsend\.dns\.mxloopback\b",
    ),
    Pattern("network_error", r"\bnetwork error\b"),
    # Exim's router finding no route for the domain ("Unrouteable mail
    # domain"): Sisimai's network_error, soft (the domain may come back).
    Pattern("unrouteable_domain", r"\bunrout(?:e)?able (?:mail )?domain\b"),
    Pattern(
        "host_lookup_failed",
        r"\bhost name lookup failure\b|\bdns records for the destination computer could not be found\b",
    ),
    Pattern(
        "routing_loop",
        r"\bmail forwarding loop\b|\brouting loop\b(?! detected -- too many received)|\btoo many hops\b|\bforwarding loop count exceeded\b|\bmessage looping\b",
    ),
    Pattern(
        "hop_count",
        r"\bhop count exceeded\b|\bmail loop(?:ing)? detected\b|\bexceeded maximum hop count\b|\bloop detected\b(?! -- too many received)",
    ),
)
