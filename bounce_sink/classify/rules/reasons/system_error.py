"""system_error: the receiving system failed or is misconfigured."""

from bounce_sink.classify.rules.model import Pattern

REASON = "system_error"
PATTERNS = (
    Pattern(
        "local_error",
        r"\blocal error in processing\b|\binternal (?:server )?error\b|\bsystem (?:error|failure)\b|\btemporary (?:local )?problem\b|\bserver (?:error|failure)\b",
    ),
    Pattern(
        "service_unavailable",
        r"\bservice (?:currently )?unavailable\b|\bcould not load\b|\bmail system problem\b|\bconfiguration error\b",
    ),
    Pattern(
        "error_in_processing",
        r"\berror in processing\b|\bsystem (?:is )?(?:temporarily )?(?:unavailable|overloaded)\b",
    ),
    Pattern(
        "server_misconfigured",
        r"\bcan'?t create user output file\b|\binterrupted system call\b|\bqueue file write error\b|"
        r"\bremote server is misconfigured\b|\bsystem config error\b|\btimeout waiting for input\b|"
        r"\bencountered an error while being processed\b|\brecipient deferred because there is no mdb\b|"
        # Courier on a domain whose DNS it cannot use; Exim refusing a file or
        # pipe delivery it is not allowed to make, or its local transport failing.
        r"\bdns violates rfc 1035\b|\bdelivery to (?:file|pipe) forbidden\b|\blocal delivery failed\b",
    ),
    # A receiving system reporting a mail loop through itself (Sendmail's
    # aliasing loop, "mail loops back to myself", MX pointing back at it).
    Pattern(
        "mail_loop",
        r"\baliasing/forwarding loop\b|\bloops? back to myself\b|\bit would create a mail loop\b|"
        r"\bloop was found in the mail exchanger\b",
    ),
    # qmail-ldap's documented lookup and delivery failures; Domino's ambiguous
    # directory entry; Exchange's address-resolver faults (RESOLVER.ADR.*).
    Pattern(
        "directory_failure",
        r"\b(?:contact|search on|login into) ldap server\b|\bfailure in ldap lookup\b|\bldap attribute\b|"
        r"\bhomedir creat|\bwhile executing qmail-forward\b|\btoo many results returned but needs to be unique\b|"
        r"\bbad interpreter: no such file\b|\bseveral matches found in domino directory\b|"
        r"\bresolver\.adr\.(?:badprimary|invalidinsmtp|ambiguous)\b",
    ),
)
