"""Which of a fixed set of words a text contains, without testing every word.

The word gates ask about ~700 words per diagnostic; one ``in`` test per word
was a third of classification's cost. Every word of four characters or more
is filed under two three-character pieces of it: one that starts at an even
offset of the word, one at an odd offset. Wherever the word starts in a
text, one of the two then starts at an even position of the text, so the
text's pieces at even positions alone (half of them, which halves the
slicing and hashing that was most of the scan) name every word it may
contain. The answer is exact: a skipped word lacks both pieces where the
text would have one, and every candidate is still tested with ``in``.
Shorter words are always tested.

Only speed depends on which pieces are chosen: the fewer texts hold a piece,
the fewer words are tested for nothing (`choose_keys`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

# English letters, most frequent first; the key of a word is its span whose
# letters are rarest by this order (digits and punctuation count as fairly
# rare, a space as the most common). Only speed depends on the choice.
_LETTER_ORDER = " etaoinshrdlcumwfgypbvkjxqz"

SPAN = 4  # words this long are filed under pieces; `piece_key`'s span: two neighbouring pieces


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


# Where a word's two pieces start in it: an even offset, then an odd one.
PieceOffsets = tuple[int, int]


def choose_keys(words: Iterable[str], texts: Iterable[str] = ()) -> dict[str, PieceOffsets]:
    """Where the two pieces each word of four characters or more is filed
    under start in it, chosen with the whole vocabulary and sample `texts` in
    view (`gate_words.SCAN_KEYS` holds these, chosen over the fixtures'
    diagnostics: see `required_text.sample_texts`).

    Of the pieces at even offsets, and then of those at odd offsets, each
    word takes the one the fewest sample texts hold, then the one the fewest
    words hold (the rules are written in the texts' own wording, so a piece
    that many of their words hold is common in the texts as well), then the
    rarest by letters, then the first. On the dev corpus that tests ~16
    words a text for ~5 found, against ~22 with a four-character span chosen
    from the words alone.
    """
    long_words = sorted({w for w in words if len(w) >= SPAN})
    holders = Counter(p for w in long_words for p in {w[i : i + 3] for i in range(len(w) - 2)})
    in_texts = Counter(p for t in texts for p in {t[i : i + 3] for i in range(len(t) - 2)})

    def best(word: str, first: int) -> int:
        def cost(at: int) -> tuple[int, int, int, int]:
            piece = word[at : at + 3]
            return (in_texts[piece], holders[piece], -_rarity(piece), at)

        return min(range(first, len(word) - 2, 2), key=cost)

    return {w: (best(w, 0), best(w, 1)) for w in long_words}


def is_piece_offsets(word: str, offsets: object) -> bool:
    """Whether `offsets` are an even and an odd offset where a piece of `word` starts.

    Any such pair files the word exactly (the module's docstring says why):
    integer tests only, so checking the ~700 shipped entries on first use
    costs next to nothing.
    """
    if not (isinstance(offsets, tuple) and len(offsets) == 2):
        return False
    even, odd = offsets
    last = len(word) - 3
    return (
        isinstance(even, int)
        and isinstance(odd, int)
        and even % 2 == 0
        and odd % 2 == 1
        and 0 <= even <= last
        and 0 <= odd <= last
    )


class WordScan:
    """A fixed vocabulary, asked per text which of its words occur in it."""

    __slots__ = ("_by_piece", "_pieces", "_short")

    def __init__(
        self, words: Iterable[str], keys: Mapping[str, PieceOffsets] | None = None
    ) -> None:
        """`keys`: where the pieces of some words start, chosen ahead
        (``gate_words.SCAN_KEYS``, by `choose_keys`: choosing costs ~10 ms for
        the rule table's words); a word without them is filed under both
        pieces of its `piece_key` (they start at neighbouring offsets), and an
        entry that is not an even and an odd offset of a piece of its word
        (`is_piece_offsets`) is not used, so a stale table costs time only."""
        known = keys or {}
        by_piece: dict[str, list[str]] = {}
        short: list[str] = []
        for word in sorted(set(words)):
            if len(word) < SPAN:
                short.append(word)
                continue
            offsets = known.get(word)
            if offsets is None or not is_piece_offsets(word, offsets):
                key = piece_key(word)
                pair = (key[:3], key[1:])
            else:
                pair = (word[offsets[0] : offsets[0] + 3], word[offsets[1] : offsets[1] + 3])
            for piece in pair:
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
