"""Google Groups rejections of a post ("the group you tried to contact ...").

The notice names the group only in X-Failed-Recipients; the text is
Google's explanation, which is the diagnostic. Google's refusal of a post
lists four possible causes as bullets ("* You might have spelled or
formatted the group name incorrectly.", "* The owner of the group may have
removed this group.", "* You may need to join the group ...", "* This group
may not be open to posting."): with all four the group refused the sender,
so the reason is the rejection itself. A notice with another number of
bullets is some other notice in the same frame, which the words alone do
not place: on_hold (Sisimai's GoogleGroups reader counts them the same way).
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
        reason = "rejected" if _bullets(text) == 4 else "on_hold"
        for addr in find_addresses(view.header("x-failed-recipients")):
            r = recipient_from_text(addr, explanation)
            r.reason_hint = reason
            out.append(r)
        return out or None


def _bullets(text: str) -> int:
    """The lines of the notice that open a bullet ("* ..." or " * ...")."""
    return sum(1 for line in text.splitlines() if line[:1] == "*" or line[:2] == " *")
