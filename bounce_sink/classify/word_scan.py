"""Which of a fixed set of words a text contains, without testing every word.

The word gates ask about ~430 words per diagnostic; one ``in`` test per word
was a third of classification's cost. Every word of four characters or more
is filed under a four-character span of it (a rare-looking one, so that few
words share it), that is under both three-character pieces the span holds.
Those two pieces start at neighbouring positions of any text holding the
word, so one of them starts at an even position: the text's pieces at even
positions alone (half of them, which halves the slicing and hashing that
was most of the scan) name every word it may contain. The answer is exact:
a skipped word lacks both pieces where the text would have one, and every
candidate is still tested with ``in``. Shorter words are always tested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

# English letters, most frequent first; the key of a word is its span whose
# letters are rarest by this order (digits and punctuation count as fairly
# rare, a space as the most common). Only speed depends on the choice.
_LETTER_ORDER = " etaoinshrdlcumwfgypbvkjxqz"

SPAN = 4  # a word's key: this many characters, i.e. two neighbouring pieces of three


def _rarity(piece: str) -> int:
    return sum(_LETTER_ORDER.find(c) if c in _LETTER_ORDER else 12 for c in piece)


def piece_key(word: str) -> str:
    """The four-character span of `word` (4+ characters) it is filed under.

    The word is tested for each text holding either piece of the span, so
    the span whose commoner piece is rarest wins ("mail" files "mailbox"
    under "ail" too, which "failed" holds).
    """
    spans = sorted({word[i : i + SPAN] for i in range(len(word) - SPAN + 1)})
    return max(spans, key=_span_rarity)


def _span_rarity(span: str) -> tuple[int, int]:
    return (min(_rarity(span[:3]), _rarity(span[1:])), _rarity(span))


def choose_keys(words: Iterable[str]) -> dict[str, str]:
    """The span each word of four characters or more is filed under, chosen
    with the whole vocabulary in view (`gate_words.SCAN_KEYS` holds these).

    The rules are written in the texts' own wording, so a piece that many of
    their words hold is common in the texts as well ("unk" of every
    "unknown ..."): each word gets the span whose commoner piece the fewest
    words hold, then the fewest in all, then `piece_key`'s letter rarity. On
    the corpus that halves the words tested for nothing (~22 -> ~11 a text).
    """
    long_words = sorted({w for w in words if len(w) >= SPAN})
    holders = Counter(p for w in long_words for p in {w[i : i + 3] for i in range(len(w) - 2)})

    def cost(span: str) -> tuple[int, int, int, str]:
        first, second = holders[span[:3]], holders[span[1:]]
        return (max(first, second), first + second, -_span_rarity(span)[0], span)

    return {
        w: min((w[i : i + SPAN] for i in range(len(w) - SPAN + 1)), key=cost) for w in long_words
    }


class WordScan:
    """A fixed vocabulary, asked per text which of its words occur in it."""

    __slots__ = ("_by_piece", "_pieces", "_short")

    def __init__(self, words: Iterable[str], keys: Mapping[str, str] | None = None) -> None:
        """`keys`: the spans of some words, chosen ahead (``gate_words.SCAN_KEYS``,
        by `choose_keys`: choosing costs ~8 ms for the rule table's words); a
        word without one gets its `piece_key`, and an entry that is not a span
        of its word is not used, so a stale table costs time only."""
        known = keys or {}
        by_piece: dict[str, list[str]] = {}
        short: list[str] = []
        for word in sorted(set(words)):
            if len(word) < SPAN:
                short.append(word)
                continue
            key = known.get(word)
            if key is None or len(key) != SPAN or key not in word:
                key = piece_key(word)
            for piece in (key[:3], key[1:]):
                found = by_piece.setdefault(piece, [])
                if word not in found:
                    found.append(word)
        self._short = tuple(short)
        # Pieces as tuples of characters: the text's are then zip's tuples
        # as they come, without joining each into a string (~1.3 us a text).
        self._by_piece = {tuple(piece): tuple(found) for piece, found in by_piece.items()}
        self._pieces = frozenset(self._by_piece)

    def present(self, text: str) -> frozenset[str]:
        """The words of the vocabulary that occur in `text` (as substrings)."""
        # The three-character pieces starting at even positions, fed straight
        # to the intersection (no set of them built first).
        pieces = zip(text[::2], text[1::2], text[2::2], strict=False)
        by_piece = self._by_piece
        found = [w for w in self._short if w in text]
        found += [
            w for piece in self._pieces.intersection(pieces) for w in by_piece[piece] if w in text
        ]
        return frozenset(found)
