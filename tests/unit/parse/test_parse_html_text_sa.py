"""html_to_text strips each line before it collapses the runs of blanks, and
gives what collapsing first and stripping after gave.

Compared with the former reading (kept here) on the HTML parts of every
corpus and fixture message and on generated text of tags, blanks, tabs,
other whitespace (which strip() takes and the collapsing does not) and
every kind of line break splitlines() knows.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.message_view import (
    _LINE_TAG,
    _SCRIPT,
    _SPACE,
    _TAG,
    html_to_text,
)


def _former(html: str) -> str:
    html = re.sub(_SCRIPT, " ", html)
    html = re.sub(_LINE_TAG, "\n", html)
    text = _TAG.sub(" ", html)
    for ent, ch in (
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(ent, ch)
    return "\n".join([line.strip() for line in _SPACE.sub(" ", text).splitlines()])


def test_html_parts_read_as_before(html_parts: list[str]) -> None:
    htmls = html_parts
    assert len(htmls) > 8
    # Some keep a run of blanks inside a line after stripping (collapsed after).
    inner = [line.strip() for html in htmls for line in _TAG.sub(" ", html).splitlines()]
    assert any("  " in line or "\t" in line for line in inner)
    for html in htmls:
        assert html_to_text(html) == _former(html)


_PIECES = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\xa0",
    "\u2003",
    "a",
    "b c",
    "<b>",
    "<br>",
    "</p>",
    "&nbsp;",
    "&amp;nbsp;",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_generated_text_reads_as_before(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert html_to_text(html) == _former(html)


def test_a_run_inside_a_line_is_still_collapsed() -> None:
    html = "  <p>a \t  b</p>\t\n\t c  d "
    assert html_to_text(html) == "a b\n\nc d" == _former(html)
