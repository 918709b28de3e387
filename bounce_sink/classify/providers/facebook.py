"""Facebook (mx.facebook.com): the response codes its postmaster page documents.

Facebook's refusals carry a code (``RCP-P1``, ``POL-T2`` ...) beside a link
to postmaster.facebook.com/response_codes; the code names the cause, so the
rules read the code. The letters say what it is about (RCP the recipient,
MSG the message, POL policy, DNS the sender's DNS, CON the connection, INT
Facebook's own system); P is permanent, T temporary. Facebook's own reasons
"is not accepting messages from your mail server" are refusals of the
sender's server, so blocked (soft), never a verdict on the recipient.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="facebook",
    hosts=r"(?:^|\.)(?:facebook\.com|facebookmail\.com)$",
    markers=r"\bpostmaster\.facebook\.com\b",
    patterns=(
        # RCP-P1, INT-P1, INT-P4: the recipient address does not exist;
        # INT-P3: the recipient group does not exist.
        P("recipient_not_found", "user_unknown", r"\b(?:rcp-p1|int-p[134])\b"),
        # RCP-P2/P3: the recipient's preferences or privacy settings.
        P("recipient_settings", "filtered", r"\brcp-p[23]\b"),
        P("recipient_deactivated", "suspend", r"\brcp-t4\b"),
        # MSG-P1, INT-P2: over Facebook's maximum message size.
        P("message_too_big", "mesg_too_big", r"\b(?:msg-p1|int-p2)\b"),
        # MSG-P2 attachment type, MSG-P3 repeated header, POL-P6 blocked URL,
        # POL-P7 the message breaks Facebook's abuse policies.
        P("content_refused", "content_error", r"\b(?:msg-p[23]|pol-p[67])\b"),
        P("virus", "virus_detected", r"\bpol-p5\b"),
        # POL-P1 (the IP is on the Spamhaus PBL), POL-P2 (no more mail from
        # this IP), POL-P3/P4 and POL-T1-T3 (not accepting mail from this
        # server for some hours).
        P("server_refused", "blocked", r"\bpol-(?:p[1-4]|t[1-3])\b"),
        # DNS-P3, DNS-T2: the sending server's reverse DNS.
        P("no_reverse_dns", "require_ptr", r"\bdns-(?:p3|t2)\b"),
        # DNS-P1, DNS-P2, DNS-T1: the MAIL FROM domain does not resolve.
        P("sender_domain", "rejected", r"\bdns-(?:p[12]|t1)\b"),
        # CON-T2 / CON-T3: too many connections from the sender; CON-T4 and
        # MSG-T1: too many recipients for the connection or the message.
        P("too_many", "too_many_conn", r"\b(?:con-t[234]|msg-t1)\b"),
        # CON-T1 (Facebook's server has too many connections open), RCP-T1
        # and INT-Tn: temporary issues inside Facebook.
        P("facebook_internal", "system_error", r"\b(?:con-t1|rcp-t1|int-t\d)\b"),
    ),
)
