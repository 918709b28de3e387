"""The returned original's kept headers read as decode_header_value reads them.

`_fill_original` takes a plain ASCII one-line value as it is, stripped,
without calling decode_header_value (whose own first test that is); every
other value goes through the call. Both ways must keep the same headers.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _KEPT, _fill_original, _stdlib_tree
from bounce_sink.parse.report import Report
from bounce_sink.parse.text_decoding import decode_header_value

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _full_way(view: MessageView) -> dict[str, str]:
    return {
        key: decode_header_value(value)[:1000]
        for key, value in view.original_fields.items()
        if key in _KEPT or key.startswith("x-mailing")
    }


def _kept(view: MessageView) -> dict[str, str]:
    report = Report()
    _fill_original(report, view)
    return report.original_headers


def test_corpus_and_fixture_originals(corpus_dir: Path) -> None:
    seen = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        for tree in (parse_fast(data), _stdlib_tree(data)):
            if tree is None:
                continue
            view = MessageView(tree, DEFAULT_LIMITS)
            if view.original is None:
                continue
            kept = _kept(view)
            assert list(kept.items()) == list(_full_way(view).items()), path.name
            seen += len(kept)
    assert seen > 500


_VALUE_PIECES = [
    "Kijitora <a@example.org>",
    " ",
    "\t",
    "\n ",
    "\r\n\t",
    "\r",
    "=?utf-8?B?5L2Q6Jek?=",
    "=?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=",
    "=?",
    "\x1b$B",
    "\u732b",
    "x" * 600,
    "<1234@example.org>",
]


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.lists(st.sampled_from(_VALUE_PIECES), max_size=6), min_size=1, max_size=4)
)
def test_generated_original_headers(values: list[list[str]]) -> None:
    names = ["Subject", "Message-ID", "X-Mailing-List", "To"]
    head = "".join(
        f"{name}: {''.join(pieces)}\n" for name, pieces in zip(names, values, strict=False)
    )
    data = (
        "From: MAILER-DAEMON@example.org\nTo: s@example.com\nSubject: failed\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nfailed\n"
        f"--b\nContent-Type: message/rfc822\n\n{head}\nbody\n--b--\n"
    ).encode("utf-8", "surrogateescape")
    for tree in (parse_fast(data), _stdlib_tree(data)):
        if tree is None:
            continue
        view = MessageView(tree, DEFAULT_LIMITS)
        assert view.original is not None
        assert list(_kept(view).items()) == list(_full_way(view).items())
