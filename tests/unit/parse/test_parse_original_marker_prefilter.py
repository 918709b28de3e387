"""The word prefilter before `ORIGINAL_MARKERS` never changes what the search finds.

`find_original_marker` skips the multi-line search when an ASCII text holds
none of the words every alternative needs; a word missing from its list
would silently stop cutting the returned original off.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.prose import ORIGINAL_MARKERS, find_original_marker

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

# A sample of each alternative of the pattern, to be cased and framed at random.
_MARKERS = [
    "-- this is a copy of the message",
    "--- Original message",
    "- below this line",
    "--the header of the original",
    "---- Returned message",
    "--- below this line is a copy of the message",
    "-- The following is the original",
    "--the following are the message",
    "original message follows",
    "Original Message Headers",
    "the headers of the original message",
    "header of the original message",
    "  --- Unsent message",
    "-- undelivered message",
    "Your message reads:",
    "Message headers follow",
]


def _span(text: str) -> tuple[int, int] | None:
    m = ORIGINAL_MARKERS.search(text)
    return m.span() if m else None


def _found(text: str) -> tuple[int, int] | None:
    m = find_original_marker(text)
    return m.span() if m else None


def test_every_alternative_is_found_through_the_prefilter() -> None:
    for marker in _MARKERS:
        for text in (marker, marker.upper(), f"notice\n> {marker}\nrest", f"x\n\t{marker.title()}"):
            assert _span(text) is not None, text
            assert _found(text) == _span(text), text


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(alphabet=" \t>-\nabcdeforigOR", max_size=30),
    marker=st.sampled_from(_MARKERS),
    upper=st.lists(st.booleans(), min_size=60, max_size=60),
    after=st.text(max_size=20),
)
def test_random_framings_agree(before: str, marker: str, upper: list[bool], after: str) -> None:
    cased = "".join(c.upper() if u else c for c, u in zip(marker, upper, strict=False))
    cased += marker[len(upper) :]
    text = before + cased + after
    assert _found(text) == _span(text)


def test_corpus_and_fixture_texts_agree(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    cut = 0
    for path in files:
        message = parse_fast(path.read_bytes())
        if message is None:
            continue
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            text = payload.decode("utf-8", "replace")
            assert _found(text) == _span(text), path.name
            cut += _span(text) is not None
    assert cut > 20  # the corpus does exercise the markers
