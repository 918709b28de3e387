"""The words a cold run takes from lazy_pattern_words.py are what reading each pattern gives.

`LazyPattern.options` (the word sets and leads that gate a search),
`plain_words` and `literal_words` read a format pattern with the regex
parser; for the ~140 patterns the parse package makes at import that cost
~9 ms of every cold corpus run, so they are generated into
`formats.lazy_pattern_words`. A stale entry would let a format skip a text
its pattern matches, so every entry is compared with reading the pattern
now, the table must hold every pattern made at import, and a fresh run over
the corpus and fixtures must read none (which fails if the table stops
being used).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bounce_sink.parse.formats import lazy_pattern
from bounce_sink.parse.formats.lazy_pattern import (
    LazyPattern,
    literal_words,
    made_patterns,
    plain_words,
    read_literal_words,
    read_options,
    read_plain_words,
)
from bounce_sink.parse.formats.lazy_pattern_words import LEADS, LITERAL_WORDS, OPTIONS, PLAIN_WORDS

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"


_REGENERATE = (
    "a format pattern changed: regenerate bounce_sink/parse/formats/lazy_pattern_words.py"
    " (the command is in its docstring)"
)


def test_the_tables_hold_every_pattern_made_at_import() -> None:
    made = {(p.pattern, int(p.flags)) for p in made_patterns()}
    assert len(made) > 120
    assert set(OPTIONS) == made, _REGENERATE
    assert set(OPTIONS) == set(LEADS) == set(PLAIN_WORDS) == set(LITERAL_WORDS)


def test_each_entry_is_what_reading_the_pattern_gives() -> None:
    """Regenerate lazy_pattern_words.py when this fails."""
    for key, options in OPTIONS.items():
        read, leads = read_options(*key)
        assert tuple(tuple(tuple(sorted(c)) for c in o) for o in read) == options, _REGENERATE
        assert LEADS[key] == leads, key
        assert PLAIN_WORDS[key] == read_plain_words(*key), key
        words = read_literal_words(*key)
        assert LITERAL_WORDS[key] == (None if words is None else tuple(sorted(words))), key
    assert sum(bool(v) for v in LEADS.values()) > 5
    assert sum(v is not None for v in PLAIN_WORDS.values()) > 10


def test_a_pattern_made_at_import_answers_as_one_read_at_run_time() -> None:
    for made in made_patterns():
        fresh = LazyPattern(made.pattern, made.flags)
        fresh.options(leads=True)
        read, leads = read_options(made.pattern, made.flags)
        assert fresh.options() == read
        assert fresh._leads == leads
        assert plain_words(made.pattern, made.flags) == read_plain_words(made.pattern, made.flags)
        assert literal_words(made.pattern, made.flags) == read_literal_words(
            made.pattern, made.flags
        )
    # Not in the table: read.
    unknown = LazyPattern(r"^(?:no such|unknown) user\b", 2)
    assert unknown.options() == (
        (frozenset({"no such"}), frozenset({" user"})),
        (frozenset({"unknown"}), frozenset({" user"})),
    )
    assert plain_words("mailbox full|over quota", 2) == ("mailbox full", "over quota")
    assert literal_words("^failure notice", 2) == frozenset({"failure notice"})


_FRESH_RUN = """
import sys
from pathlib import Path
from bounce_sink.parse.formats import lazy_pattern

reads = []

def refuse(*args, **kwargs):
    reads.append(args)  # counted: the pipeline logs a format's exception and goes on
    raise AssertionError(f"read at run time: {args!r}")

for name in ("read_options", "read_plain_words", "read_literal_words", "_parsed"):
    setattr(lazy_pattern, name, refuse)
from bounce_sink.parse.pipeline import parse_bytes
paths = sorted(Path(sys.argv[1]).glob("*.eml")) + sorted(Path(sys.argv[2]).rglob("*.eml"))
assert len(paths) > 280
for path in paths:
    raw = path.read_bytes()
    parse_bytes(raw, fast_mime=True)
    parse_bytes(raw, fast_mime=False)
print(f"read {len(reads)}: {reads[:3]!r}")
"""


def test_a_fresh_run_over_the_corpus_reads_no_pattern() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_RUN, str(CORPUS), str(REPO / "fixtures")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "read 0: []", done.stdout[-2000:]
    assert lazy_pattern.read_options is read_options
