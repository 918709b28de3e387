"""html_to_text collapses only the runs of blanks that change (two or more,
or a tab) and gives what collapsing every run (`[ \\t]+`) gave.

Compared on the HTML parts of every corpus and fixture message and on
generated text of tags, blanks, tabs and line ends.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import message_view
from bounce_sink.parse.message_view import html_to_text

_EVERY_RUN = re.compile(r"[ \t]+")  # the former pattern


def _former(html: str) -> str:
    saved = message_view._SPACE
    message_view._SPACE = _EVERY_RUN
    try:
        return html_to_text(html)
    finally:
        message_view._SPACE = saved


def test_html_parts_read_as_before(html_parts: list[str]) -> None:
    htmls = html_parts
    assert len(htmls) > 8
    assert any("\t" in html for html in htmls)
    for html in htmls:
        assert html_to_text(html) == _former(html)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "\n", "\r", "a", "<b>", "<br>", "&nbsp;"])))
def test_generated_text_reads_as_before(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert html_to_text(html) == _former(html)
