"""Google Groups rejections of a post ("the group you tried to contact ...").

The notice names the group only in X-Failed-Recipients; the text is
Google's explanation, which is the diagnostic. The group refused the
sender, so the reason is the rejection itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from bounce_sink.parse.addresses import find_addresses
from bounce_sink.parse.formats.dispatch import Contains, HeaderGate, Present
from bounce_sink.parse.formats.layout_format import rx
from bounce_sink.parse.formats.text_bounce import GENERIC, failure_text, recipient_from_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

_TEXT = rx(
    r"(?:group you tried to contact|you do not have permission to post|"
    r"may not exist, or you may not have permission).*"
)


class GoogleGroups:
    name = "googlegroups"
    gate = HeaderGate(
        (Present("x-failed-recipients"), Contains("from", "google")), require_all=True
    )

    def matches(self, headers: Mapping[str, str]) -> bool:
        return "x-failed-recipients" in headers and "google" in headers.get("from", "").lower()

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        text = failure_text(view, GENERIC)
        m = _TEXT.gated_search(text)
        if not m:
            return None
        start = text.rfind("\n\n", 0, m.start()) + 1
        end = text.find("\n\n", m.end())
        explanation = " ".join(text[start : end if end > 0 else len(text)].split())
        out = []
        for addr in find_addresses(view.header("x-failed-recipients")):
            r = recipient_from_text(addr, explanation)
            r.reason_hint = "rejected"
            out.append(r)
        return out or None
