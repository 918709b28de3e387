"""not_accept: the recipient's domain accepts no mail at all (null MX, RFC 7505)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "not_accept"
PATTERNS = (
    Pattern(
        "null_mx",
        r"\bnull ?mx\b|\b(?:domain|host) (?:does not|doesn\'t) accept (?:e-?)?mail\b(?! from| relay)|\baccepts no (?:e-?)?mail\b|"
        # Exim's reading of a null MX; OpenSMTPD's when every MX refuses all mail.
        r"\bindicated no smtp service\b|\bdestination seems? to reject all mails?\b",
    ),
    Pattern(
        "no_mx",
        r"\bno (?:mx|mail exchanger|valid mx)(?: records?)? (?:found )?for\b|\bcouldn't find a mail exchanger\b",
    ),
    Pattern(
        "no_mail_host",
        r"\bhas no mail (?:host|server)s?\b|\bmx points to (?:localhost|0\.0\.0\.0|itself)\b",
    ),
)
