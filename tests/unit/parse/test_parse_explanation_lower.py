"""`explanation_for` given the view's lower-case text explains as it did lowering itself.

The text before the returned original is cut from the given lower case
where lowering kept every position; a text with a dotted capital I (the one
character whose lower case is two) is cut and lowered as before. Compared
on every corpus and fixture text, for every address each names, and on
generated texts.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import prose
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
_ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+")


def _agree(text: str, addresses: list[str]) -> str:
    prose._before_original.cache_clear()
    given_lower = prose.explanation_for(text, addresses, text.lower())
    prose._before_original.cache_clear()
    own = prose.explanation_for(text, addresses)
    assert given_lower == own, (text[:200], addresses)
    cut_given = prose.find_original_marker(text, text.lower())
    cut_own = prose.find_original_marker(text)
    assert (cut_given.span() if cut_given else None) == (cut_own.span() if cut_own else None)
    return own


def test_corpus_and_fixture_texts(corpus_dir: Path) -> None:
    explained = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        text = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS).body_text
        for address in sorted(set(_ADDRESS.findall(text)))[:20]:
            explained += bool(_agree(text, [address]))
    assert explained > 200


_PIECES = ["user@example.org", "<user@example.org>:", "\u0130", "\u0130\u0130 ", "x", " ", "\n"]
_PIECES += ["\n\n", "550 ", "said: no such user", "----- Original message -----\n", "To: "]
_PIECES += ["USER@EXAMPLE.ORG", "\u212a", "\u00e9"]
# Where the original may start: marker lines, the filler lines above them,
# blank runs, near misses.
_PIECES += ["\n---\n", "\n\n\n", "\n  \n", "\n>\n", "original message follows\n", "--"]
_PIECES += ["\n-- returned message\n", "the following is the original", "Original"]
_PIECES += ["\n\u3000\n", "\nx\n", "user@example.org\n"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24))
def test_generated_texts(pieces: list[str]) -> None:
    _agree("".join(pieces), ["user@example.org"])


def test_an_address_just_before_the_original_after_dotted_capitals() -> None:
    """Lowering "\u0130" gives two characters: the lower case is then cut by itself."""
    for capitals in ("", "\u0130", "\u0130\u0130\u0130"):
        text = f"{capitals}\n550 user@example.org\n----- Original message -----\nTo: x"
        assert _agree(text, ["user@example.org"]) or capitals
