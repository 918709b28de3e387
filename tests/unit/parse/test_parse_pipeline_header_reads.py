"""The pipeline and the complaint test read lower-case fields from `view.headers`
directly; that must be what `view.header(name)` gives for those names."""

from __future__ import annotations

from pathlib import Path

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
NAMES = ("to", "message-id", "date", "x-apple-unsubscribe")


def test_direct_reads_equal_the_views_header(corpus_dir: Path) -> None:
    present = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        for tree in (parse_fast(data), _stdlib_tree(data)):
            if tree is None:
                continue
            for name in NAMES:
                # Fresh views: each way reads the field first (decoded on first use).
                direct = MessageView(tree, DEFAULT_LIMITS).headers.get(name, "")
                assert direct == MessageView(tree, DEFAULT_LIMITS).header(name), (path.name, name)
                present += bool(direct)
    assert present > 500
