"""`text.blocked.ip_blocked` matches the same texts as the shorter form it replaced.

The pattern was rewritten only so that its gate words (gate_words.py) rule
out the texts that merely say "rejected" or hold a " b" (~40 failed
searches per corpus pass). A text rule is a yes/no test (`search`), so the
two forms must agree on every text: those of the corpus, the fixtures and
the rule examples, texts generated from either form, and texts built from
the pieces both are made of.
"""

from __future__ import annotations

import re

import test_classify_shortcuts as shortcuts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.classify.rules.reasons import blocked
from bounce_sink.classify.table import text_rule_index, text_words_in

PREVIOUS = re.compile(
    r"\b(?:your |sending |the )?ip(?: address)?(?: \S+)? (?:is |has been |was )?"
    r"(?:blocked|banned|rejected|not allowed|blacklisted|listed)\b|\bblocked ip\b"
    r"|\b(?:ip|host|sender|network) (?:block(?:ed)?|ban(?:ned)?)\b"
)
CURRENT = re.compile(next(p.regex for p in blocked.PATTERNS if p.name == "ip_blocked"))


def _agree(text: str) -> None:
    assert bool(CURRENT.search(text)) == bool(PREVIOUS.search(text)), text


def test_the_same_corpus_fixture_and_example_texts_match() -> None:
    matched = 0
    for ev in shortcuts.EVIDENCE:
        _agree(ev.text)
        matched += bool(PREVIOUS.search(ev.text))
    assert matched > 5


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_same_generated_matches_match(data: st.DataObject) -> None:
    for pattern in (PREVIOUS, CURRENT):
        text = data.draw(st.from_regex(pattern))
        _agree(text)
        _agree(text.lower())


_PIECES = [
    "ip", "ip ", " ", "  ", "address", "address ", " address", "192.0.2.1", "192.0.2.1 ", "is ",
    "has been ", "was ", "blocked", "banned", "rejected", "not allowed", "blacklisted", "listed",
    "block", "ban", "ned", "ed", "your ", "sending ", "the ", "host", "sender", "network", "x",
    "-", ".", "\n", "\t", "blocked ip", "ips", "zip ", "_", "é",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10))
def test_the_same_texts_made_of_their_pieces_match(pieces: list[str]) -> None:
    _agree("".join(pieces))


def test_texts_that_only_say_rejected_are_not_searched() -> None:
    """What the rewrite is for: the gate rules out a text without "ip "."""
    index = text_rule_index()
    text = "550 5.7.1 message rejected by the recipient's filter: banned word"
    assert not PREVIOUS.search(text)
    searched: list[str] = []
    rule = next(i for i, r in enumerate(index._rules) if r.name == "text.blocked.ip_blocked")
    alternatives = [i for i, of in enumerate(index._rule_of) if of == rule]
    assert len(alternatives) == 3
    for i in alternatives:
        index._patterns[i] = searched.append
    try:
        index.first_match(text, text_words_in(text))
    finally:
        for i in alternatives:
            index._patterns[i] = None
    assert searched == []
