"""A format without hints offers no `refine`, and its refining would have changed nothing.

The registry skips the header test of a format whose `refine` is None; that
is only sound while `refine_report` of such a format leaves every report as
it was.
"""

from __future__ import annotations

import copy
from pathlib import Path

from bounce_sink.parse.formats import REGISTRY
from bounce_sink.parse.formats.layout_format import LayoutFormat
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree, parse_bytes

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

LAYOUTS = [f for f in REGISTRY if isinstance(f, LayoutFormat)]
WITHOUT_HINTS = [f for f in LAYOUTS if not f.hints and not f.notice_hints]


def test_refine_is_offered_exactly_by_formats_with_hints() -> None:
    assert WITHOUT_HINTS and len(WITHOUT_HINTS) < len(LAYOUTS)
    for fmt in LAYOUTS:
        if fmt in WITHOUT_HINTS:
            assert fmt.refine is None, fmt.name
        else:
            assert fmt.refine == fmt.refine_report, fmt.name


def test_refining_with_a_format_without_hints_changes_no_report(corpus_dir: Path) -> None:
    refined = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        report = parse_bytes(data)
        if not report.recipients:
            continue
        view = MessageView(_stdlib_tree(data), DEFAULT_LIMITS)
        for fmt in WITHOUT_HINTS:
            before = copy.deepcopy(report)
            fmt.refine_report(report, view)
            assert vars(report) == vars(before), (fmt.name, path.name)
            assert [vars(r) for r in report.recipients] == [vars(r) for r in before.recipients]
            refined += 1
    assert refined > 500
