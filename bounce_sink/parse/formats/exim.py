"""Exim (and MTAs built on it: GMX, 1&1, mail.ru, MXLogic, ...).

Exim lists each failed address indented by two spaces after "The following
address(es) failed:", with the explanation indented by four; the remote
answer follows "SMTP error from remote mail server after RCPT TO:<...>:".
A pipe or file delivery ("save to ...") has no address at all; then
X-Failed-Recipients names the recipient. "retry timeout exceeded" means
Exim gave up on a temporary error.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

EXIM = LayoutFormat(
    name="exim",
    from_=rx(r"mail delivery system|mailer-daemon"),
    subject=rx(
        r"^mail delivery failed|^warning: message .* delayed|^mail failure|"
        r"^message frozen|^error in address"
    ),
    require_all=True,
    layout=TextLayout(
        start=rx(
            r"(?:following\s+address(?:\(es\)|es)?\s+failed:|"
            r"could not be delivered to one or more of\s+its\s+recipients.*?$|"
            r"address(?:es)? (?:that|which) (?:were|was) incorrectly constructed:?|"
            r"has not yet been delivered to the following addresses:?|"
            # Exim 4.8x+ delay warnings: "The address to which the message has
            # not yet been delivered is:" ("addresses ... are:" for several).
            r"address(?:es)? to which the message has not yet been delivered (?:is|are):|"
            r"incorrectly constructed:)"
        ),
        # The address starts its line (GMX and 1&1 quote it or put it in <>).
        recipient=rx(r"^[ \t]{0,4}[\"<]?([^\s@\"<>]+@[\w.-]+\.\w+)[\">]?(?=[\s:<]|$)"),
    ),
    hints=(
        (rx(r"mailbox is full|quota exceeded"), "mailbox_full"),
        (rx(r"malformed address"), "syntax_error"),
        (rx(r"retry timeout exceeded"), "expired"),
    ),
)

# Mail.ru runs Exim under a Russian subject ("Ваше сообщение не доставлено");
# the English half of its notice is Exim's own text.
MAILRU = LayoutFormat(
    name="mailru",
    from_=rx(r"mailer-daemon@(?:[\w-]+\.)?mail\.ru\b"),
    layout=EXIM.layout,
    hints=EXIM.hints,
)
