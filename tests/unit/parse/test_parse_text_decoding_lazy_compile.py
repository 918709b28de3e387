"""text_decoding compiles its surrogate-escape pattern on first use only.

A corpus run never searches for surrogate escapes (only a non-ASCII value
that is not a Header is searched), so compiling the pattern at import was
~0.15 ms of every start for nothing. The search through re's cache gives
what the compiled pattern gave.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import text_decoding

REPO = Path(__file__).resolve().parents[3]
_COMPILED = re.compile("[\udc80-\udcff]")


def test_a_corpus_run_does_not_compile_the_surrogate_pattern(corpus_dir: Path) -> None:
    files = sorted(map(str, corpus_dir.glob("*.eml")))
    code = (
        "import re, sys\n"
        "from bounce_sink.parse import text_decoding\n"
        "from bounce_sink.parse.json_lines import parse_file\n"
        "for name in sys.argv[1:]:\n"
        "    parse_file(name)\n"
        "assert isinstance(text_decoding._SURROGATE, str), 'compiled at import'\n"
        "print(sum(key[1] == text_decoding._SURROGATE for key in re._cache))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *files], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0", done.stdout


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("a\u00e9\udc7f\udc80\udcc3\udcff\ud800\n"), max_size=8))
def test_has_surrogates_equals_the_compiled_search(text: str) -> None:
    expected = not text.isascii() and _COMPILED.search(text) is not None
    assert text_decoding._has_surrogates(text) == expected
