"""has_text_report given the view's lower case tests an ASCII text by its flag
and finds the word in the lower case's first 4000 characters without copying
them: the same answers as without it, at the 4000 boundary too.
"""

from __future__ import annotations

import re

import pytest

from bounce_sink.parse.arf import _TEXT_REPORT, has_text_report

_FIELDS = "Feedback-Type: abuse\nUser-Agent: x\n"


@pytest.mark.parametrize("start", range(3940, 4001, 2))
@pytest.mark.parametrize("tail", ["", "\u0130", "\u212a", "é" * 50])
@pytest.mark.parametrize("head", ["x", "\u0130", "é"])
def test_word_near_the_boundary(start: int, tail: str, head: str) -> None:
    text = head + "y" * (start - len(head) - 1) + "\n" + _FIELDS + tail
    expected = bool(re.search(_TEXT_REPORT, text[:4000]))
    assert has_text_report(text, text.lower()) == has_text_report(text) == expected


def test_the_boundary_cases_hold_both_answers() -> None:
    found = [
        has_text_report(text, text.lower())
        for start in range(3940, 4001, 2)
        for text in ["y" * (start - 1) + "\n" + _FIELDS]
    ]
    assert any(found) and not all(found)


def test_a_report_in_reach_is_found() -> None:
    text = "z" * 100 + "\n" + _FIELDS
    assert has_text_report(text, text.lower())
    late = "z" * 3990 + "\n" + _FIELDS
    assert not has_text_report(late, late.lower())
