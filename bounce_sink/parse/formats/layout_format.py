"""A bounce format described by data: how to spot it and where its text is.

Most format modules are one `LayoutFormat`: the header test, the
`TextLayout` of its failure list, and the MTA's own wordings that name a
reason without doubt (`hints`). Formats that need code of their own are
classes of their own beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from bounce_sink.parse.formats.dispatch import Atom, HeaderGate, Present, Searched
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import (
    GENERIC,
    TextLayout,
    failure_text,
    read_text_bounce,
)
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus, Report

# Header values up to this long are searched at once (From, Subject, X-Mailer):
# there a search costs less than the word test.
_SHORT_VALUE = 64


class LayoutFormat:
    """One format described by data (see the module's docstring).

    A plain class, built once per format at import and never changed (it was
    a frozen dataclass: the parse path no longer imports `dataclasses`, ~10
    ms at every start, and each definition cost ~1 ms more).
    """

    def __init__(
        self,
        name: str,
        from_: LazyPattern | None = None,
        subject: LazyPattern | None = None,
        header_names: tuple[str, ...] = (),
        header_values: tuple[tuple[str, LazyPattern], ...] = (),
        require_all: bool = False,
        layout: TextLayout = GENERIC,
        hints: tuple[tuple[LazyPattern, str], ...] = (),
        notice_hints: tuple[tuple[LazyPattern, str], ...] = (),
        commands: tuple[tuple[LazyPattern, str], ...] = (),
        command_section: LazyPattern | None = None,
    ) -> None:
        self.name = name
        self.from_ = from_  # on the decoded From header
        self.subject = subject  # on the decoded Subject header
        self.header_names = header_names  # any of these header fields present
        self.header_values = header_values  # (field, pattern on its value)
        self.require_all = require_all  # every given test must pass, not just one
        self.layout = layout
        self.hints = hints
        # The MTA's own sentences in the notice above the failure list, which
        # name the reason for every recipient listed (ezweb's "The user(s)
        # account is disabled." above the remote server's "user unknown").
        self.notice_hints = notice_hints
        # The MTA's own words for which SMTP command the remote server refused.
        self.commands = commands
        # A section of the notice that names the command (group 1), looked for
        # after each recipient's address (m-FILTER's "-------SMTP command").
        self.command_section = command_section
        # `refine_report`, or None for a format with no wording of its own to
        # read: the registry refines an RFC 3464 report with every format that
        # has a `refine` and whose header test passes, and without hints there
        # is nothing to name, so its header test need not run either.
        self.refine: Callable[[Report, MessageView], None] | None = (
            self.refine_report if hints or notice_hints else None
        )
        # What `matches` reads, for the registry's dispatch (formats/dispatch.py).
        atoms: list[Atom] = []
        if from_ is not None:
            atoms.append(Searched("from", from_))
        if subject is not None:
            atoms.append(Searched("subject", subject))
        if len(header_names) == 1 or not require_all:
            # (Under require_all, several names are one test: any of them.
            # A gate of all atoms may leave that test out: it only asks more.)
            atoms += [Present(name) for name in header_names]
        atoms += [Searched(name, pattern) for name, pattern in header_values]
        self.gate = HeaderGate(tuple(atoms), require_all)

    def __repr__(self) -> str:
        return f"LayoutFormat(name={self.name!r})"

    def matches(self, headers: Mapping[str, str]) -> bool:
        # The first test that decides (a pass for "any", a failure for
        # "all") ends it. Headers are short: a search costs less than a word
        # test first (found_in), unless the pattern is plain words.
        want_all = self.require_all
        tested = False
        if self.from_ is not None:
            passed = self.from_.found_in(headers.get("from", ""))
            if passed is not want_all:
                return passed
            tested = True
        if self.subject is not None:
            passed = self.subject.found_in(headers.get("subject", ""))
            if passed is not want_all:
                return passed
            tested = True
        if self.header_names:
            passed = any(h in headers for h in self.header_names)
            if passed is not want_all:
                return passed
            tested = True
        for name, pattern in self.header_values:
            # A long value (Received: ~150 characters) is worth the word test:
            # a case-insensitive search tries every position (~1.5 us there),
            # lower() and `in` skip through it (~0.3 us).
            passed = pattern.found_in(headers.get(name, ""), _SHORT_VALUE)
            if passed is not want_all:
                return passed
            tested = True
        return tested and want_all

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        found = read_text_bounce(view, self.layout)
        notice = self.notice_hint(view)
        for r in found:
            r.reason_hint = r.reason_hint or self.hint_for(r.diagnostic) or notice
            if not r.smtp_command and self.commands:  # most formats name none: no generator
                r.smtp_command = next(
                    (cmd for pattern, cmd in self.commands if pattern.found_in(r.diagnostic)), ""
                )
            if not r.smtp_command and self.command_section is not None:
                r.smtp_command = self._section_command(view, r.address)
        return found or None

    def _section_command(self, view: MessageView, address: str) -> str:
        assert self.command_section is not None
        text = failure_text(view, GENERIC)
        start = text.lower().find(address.lower())
        m = self.command_section.search(text, max(start, 0))
        return m.group(1).upper() if m else ""

    def refine_report(self, report: Report, view: MessageView) -> None:
        """Name reasons in an RFC 3464 report of this MTA from its own wording."""
        notice = self.notice_hint(view)
        for r in report.recipients:
            if not r.reason_hint:
                r.reason_hint = self.hint_for(r.diagnostic) or notice
                r.hint_source = self.name if r.reason_hint else ""

    def notice_hint(self, view: MessageView) -> str:
        if not self.notice_hints:
            return ""
        text = failure_text(view, GENERIC)
        for pattern, reason in self.notice_hints:
            if pattern.found_in(text):
                return reason
        return ""

    def hint_for(self, text: str) -> str:
        for pattern, reason in self.hints:
            if pattern.found_in(text):
                return reason
        return ""


def rx(pattern: str) -> LazyPattern:
    """Patterns in format modules are case-insensitive and multi-line, compiled on first use."""
    return LazyPattern(pattern, re.IGNORECASE | re.MULTILINE)
