"""blocked: the receiver refuses our sending IP or host (DNSBL, block list)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "blocked"
PATTERNS = (
    Pattern(
        "blocked_using",
        r"\bblocked using\b|\bis in an? \S*rbl on\b|\blisted (?:at|on|in) (?:the )?(?:[a-z0-9.-]+ )?(?:dnsbl|rbl|block ?list|blacklist)\b|\bfound on (?:a )?(?:black|block) ?list\b|\bfound on one or more (?:dnsbls?|rbls?|block ?lists?)\b",
    ),
    Pattern(
        "blacklisted",
        r"\b(?:black|block|deny|ban)[- ]?list(?:ed)?\b|\bdnsbl\b|\bspamhaus\b|\bspamcop\b|\bsorbs\b|\bbarracudacentral\b",
    ),
    # Sendmail's greeting to a client its access map rejects ("554 <host>
    # ESMTP not accepting messages"): our host is turned away before any
    # address is named, whatever the relaying MTA says around it.
    Pattern("esmtp_not_accepting", r"\besmtp not accepting (?:messages|connections)\b"),
    # "Connection refused by <host>" is the sending MTA's own TCP error
    # (ECONNREFUSED, as Sendmail words it): network_error, not a block. A
    # server that says it refused our connection says "from" or "due to".
    Pattern(
        "client_host_rejected",
        r"\bclient host (?:\S+ )?(?:rejected|blocked)\b|\bconnection (?:rejected|dropped) (?:by|from|due)\b|\bconnection refused (?:from|due)\b",
    ),
    # Written so that its gate words rule out the texts that merely say
    # "rejected" or " b...": the space after "ip" stands inside each optional
    # part (every match holds "ip "), and the last alternation is spelt out
    # (a shared "b" would be read as the word " b"). The same texts match as
    # for the shorter form, test_classify_ip_blocked.PREVIOUS.
    Pattern(
        "ip_blocked",
        r"\b(?:your |sending |the )?ip (?:address )?(?:\S+ )?(?:is |has been |was )?(?:blocked|banned|rejected|not allowed|blacklisted|listed)\b"
        r"|\bblocked ip\b"
        r"|\b(?:ip blocked|ip block|ip banned|ip ban|host blocked|host block|host banned|host ban"
        r"|sender blocked|sender block|sender banned|sender ban"
        r"|network blocked|network block|network banned|network ban)\b",
    ),
    Pattern(
        "access_denied_host",
        r"\bhost (?:\S+ )?(?:is )?(?:not authorized|denied|refused)\b|\baccess denied (?:to|for) (?:ip|host|network)\b",
    ),
    Pattern(
        "helo_rejected", r"\bmy name was rejected\b|\bhelo (?:command )?rejected\b|\binvalid helo\b"
    ),
    # Sendmail's access map refusing a sending server listed as an open
    # relay or proxy ("no access from mail server [ip] which is an open relay").
    Pattern(
        "open_relay_listed",
        r"\bno access from (?:mail )?server\b|\bwhich is an open (?:relay|proxy)\b|\brejecting open proxy\b",
    ),
    Pattern("invalid_ip", r"\binvalid ip for sending\b|\bblocked (?:for abuse|by ldap)\b"),
    Pattern(
        "use_isp_relay",
        r"\bplease use (?:the )?smtp (?:server|relay) of your isp\b|\buse your (?:isp|provider)'?s? (?:smtp|mail) (?:server|relay)\b|\b(?:dynamic|residential|dial-?up) ips?\b",
    ),
    Pattern(
        "blocked_generic",
        r"^blocked\b|\b(?:blocked|refused) - see\b|\bmessage blocked\b|\bservice refused\b|\bservice not available\b|(?<!indicated )\bno smtp service\b",
    ),
    # The sending server or its network refused, in the receivers' own words.
    Pattern(
        "sending_server_refused",
        r"\bbanned sending ip\b|\bbad sender ip address\b|\bhost network not allowed\b|"
        r"\bextreme bad ip profile\b|\bdynamic/zombied/spam ips\b|"
        r"\bnot currently accepting mail from your ip\b|\bmail server at \S+ is blocked\b|"
        r"\btoo many (?:spams|unwanted messages)\b.*\bfrom (?:your|the following) ip\b|"
        r"\bremotehost looks suspiciously like spammer\b|"
        r"\bsending mta or the sender has not passed validation\b|\bforbidden by your ip\b|"
        r"\bdue to (?:unexpected volume or )?user complaints\b|\bcurrently sending spam\b|"
        r"\byou are sending spam\b|\byou are not allowed to connect\b|"
        r"\byour server requires confirmation\b|\bconnection was dropped by (?:the )?remote host\b|"
        r"\bmail from (?:\d{1,3}\.){3}\d{1,3} refused\b",
    ),
)
