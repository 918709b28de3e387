"""Microsoft Exchange 5.5/2000/2003 and 2007+ non-delivery reports in prose.

Exchange 2003 and older: "did not reach the following recipient(s):" (or
"could not be reached:"), each address followed by " on <date>" and the
reason indented below, with an MSEXCH code such as "(000C05A6) Unknown
Recipient". Exchange 2007 and later: "Diagnostic information for
administrators:", then the address and a line "#550 5.1.1
RESOLVER.ADR.RecipNotFound; not found ##". Office 365 adds "Remote Server
returned '550 5.1.10 ...'".
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

# Only Exchange's own numeric codes are certain enough to name a reason;
# its English texts are left to classification, and a wording a rule knows
# still outranks the code. The MSEXCH codes of the IMS/IMC connectors, as
# Sisimai's Exchange 2003 table reads them: 000C05A6 unknown recipient,
# 000C0595 ambiguous recipient (the directory matched several: the mail was
# held back, not refused for a missing mailbox), 00010256 too many
# recipients and 000D06B5 no proxy address for the recipient (the server's
# own configuration), 00120270 too many hops (a routing loop), 00050311 and
# 000502CC conversion to Internet format failed (the content), 000B0981
# "502 Server does not support AUTH". 000B099C, 000B09AA and 000B09B6 only
# say the remote MTA refused, so their text decides.
_HINTS = (
    (rx(r"\(000C05A6\)"), "user_unknown"),
    (rx(r"\(000C0595\)"), "filtered"),
    (rx(r"\((?:00010256|000D06B5)\)"), "system_error"),
    (rx(r"\(00120270\)"), "network_error"),
    (rx(r"\((?:00050311|000502CC)\)"), "content_error"),
    (rx(r"\(000B0981\)"), "security_error"),
)

EXCHANGE2003 = LayoutFormat(
    name="exchange2003",
    # The localised prefixes Exchange documents; French puts a blank before the colon.
    subject=rx(
        r"^(?:undeliverable|non remis|unzustellbar|niet bezorgd|onbestelbaar|"
        r"no se puede entregar)\s?:"
    ),
    header_values=(("x-mailer", rx(r"Microsoft Exchange|Internet Mail Connector")),),
    layout=TextLayout(
        start=rx(
            r"(?:did not reach the following recipient\(s\):|could not be reached:|"
            r"could not be delivered to:)"
        ),
        recipient=rx(r"^\s*(\S+@\S+?)(?:\s+on\s+.+)?$"),
    ),
    hints=_HINTS,
)

EXCHANGE2007 = LayoutFormat(
    name="exchange2007",
    subject=rx(
        r"^(?:undeliverable|non remis|unzustellbar|onbestelbaar|no se puede entregar|"
        r"não é possível entregar|nieodebrane|未送達)\s?:"
    ),
    layout=TextLayout(
        start=rx(
            r"diagnostic information for administrators:|"
            r"informations de diagnostic pour les administrateurs|"
            r"diagnoseinformationen für administratoren"
        ),
        recipient=rx(r"^\s*(\S+@\S+)\s*$"),
    ),
    hints=_HINTS,
)

OFFICE365 = LayoutFormat(
    name="office365",
    from_=rx(r"postmaster@.*(?:\.onmicrosoft\.com|outlook\.com|office365)"),
    layout=TextLayout(
        # The first address follows the heading; each further one starts its
        # own line as "addr<mailto:addr>" over its own explanation.
        recipient=rx(
            r"(?:your message to|delivery has failed to these recipients or groups:)\s*\n?\s*"
            r"<?([^\s<>]+@[^\s<>]+)>?|^([^\s<>]+@[^\s<>]+)<mailto:"
        ),
        line_lead=False,
        whole_segment=True,
    ),
    hints=_HINTS,
)
