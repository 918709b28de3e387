"""Which of a fixed set of words a text contains, without testing every word.

The word gates ask about ~430 words per diagnostic; one ``in`` test per word
was a third of classification's cost. Every word of three characters or
more is filed under one of its three-character pieces (a rare-looking one,
so that few words share it); a text can contain a word only if it contains
that piece, so only the words filed under pieces the text has are tested.
The answer is exact: a skipped word lacks a piece the text would need, and
every candidate is still tested with ``in``. Shorter words are always tested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# English letters, most frequent first; the key of a word is its piece whose
# letters are rarest by this order (digits and punctuation count as fairly
# rare, a space as the most common). Only speed depends on the choice.
_LETTER_ORDER = " etaoinshrdlcumwfgypbvkjxqz"


def _rarity(piece: str) -> int:
    return sum(_LETTER_ORDER.find(c) if c in _LETTER_ORDER else 12 for c in piece)


def piece_key(word: str) -> str:
    """The three-character piece of `word` (3+ characters) it is filed under."""
    pieces = sorted({word[i : i + 3] for i in range(len(word) - 2)})
    return max(pieces, key=_rarity)


class WordScan:
    """A fixed vocabulary, asked per text which of its words occur in it."""

    __slots__ = ("_by_key", "_keys", "_short")

    def __init__(self, words: Iterable[str], keys: Mapping[str, str] | None = None) -> None:
        """`keys`: `piece_key` of some words, computed ahead (``gate_words.SCAN_KEYS``:
        choosing costs ~8 ms for the rule table's words); an entry that is
        not a piece of its word is not used, so a stale table costs time only."""
        known = keys or {}
        by_key: dict[str, list[str]] = {}
        short: list[str] = []
        for word in sorted(set(words)):
            if len(word) < 3:
                short.append(word)
                continue
            key = known.get(word)
            if key is None or len(key) != 3 or key not in word:
                key = piece_key(word)
            by_key.setdefault(key, []).append(word)
        self._short = tuple(short)
        self._by_key = {key: tuple(found) for key, found in by_key.items()}
        self._keys = frozenset(self._by_key)

    def present(self, text: str) -> frozenset[str]:
        """The words of the vocabulary that occur in `text` (as substrings)."""
        found = [w for w in self._short if w in text]
        # Every three-character piece of the text, fed straight to the
        # intersection (no set of them built first).
        pieces = map("".join, zip(text, text[1:], text[2:], strict=False))
        by_key = self._by_key
        for key in self._keys.intersection(pieces):
            found.extend(filter(text.__contains__, by_key[key]))
        return frozenset(found)
