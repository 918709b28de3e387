"""Lotus Notes / IBM Domino (text notices without a delivery-status part).

Notes puts the reason on the line above the address under
"------- Failure Reasons --------"; the returned message follows
"------- Returned Message --------". Domino's newer notices say "Your
message ... was not delivered to: addr because: reason".
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

NOTES = LayoutFormat(
    name="notes",
    subject=rx(r"^undeliverable message$"),
    header_values=(("received", rx(r"Lotus SMTP MTA|Lotus Domino")),),
    layout=TextLayout(
        start=rx(r"^-+\s*failure reasons\s*-+\s*$"),
        end=rx(r"^-+\s*returned message\s*-+"),
    ),
    hints=(
        (
            rx(
                r"not listed in (?:the )?(?:domino )?directory|not listed in public name & address book|"
                r"ディレクトリのリストにありません"
            ),
            "user_unknown",
        ),
    ),
)

DOMINO = LayoutFormat(
    name="domino",
    subject=rx(r"^delivery (?:failure|report):"),
    layout=TextLayout(
        recipient=rx(r"was not delivered to:\s*\n?\s*(\S+@\S+)"),
        strip_lines=(rx(r"^\s*because:\s*$"),),
    ),
    hints=(
        (
            rx(
                r"not listed in (?:the )?(?:domino )?directory|not listed in public name|"
                r"ディレクトリ(?:のリスト)?に(?:は)?(?:ありません|見つかりません)"
            ),
            "user_unknown",
        ),
    ),
)
