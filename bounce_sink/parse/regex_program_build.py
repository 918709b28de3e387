"""Writes `regex_programs.json`: the regex programs `regex_programs` ships.

Run it after changing a rule or format pattern (a changed pattern is only
slower until then, never wrong: it misses the table and compiles as usual):

    .venv/bin/python -m bounce_sink.parse.regex_program_build \\
        /work/shared/corpus/sisimai-dev/*.eml fixtures/**/*.eml

It parses and classifies the given files, takes every classifier rule and
provider pattern whether the files reach it or not, and stores the program
the running Python's compiler makes for each pattern that went through
`compile_pattern`.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from bounce_sink.parse import regex_programs


def program_of(pattern: str, flags: int) -> list[Any]:
    """The arguments `re` itself gives the engine for `pattern` (mirrors `re._compiler.compile`)."""
    compiler: Any = re._compiler  # type: ignore[attr-defined]
    parsed = compiler._parser.parse(pattern, flags)
    code = compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return [
        pattern,
        int(flags),
        int(flags | parsed.state.flags),
        regex_programs.encode_code([int(c) for c in code]),
        parsed.state.groups - 1,
        groupindex,
        indexgroup,
    ]


def _reach_classifier_patterns() -> None:
    from bounce_sink.classify.providers import PROVIDERS
    from bounce_sink.classify.table import TEXT_RULES

    for rule in TEXT_RULES:
        _ = rule.pattern
    for provider in PROVIDERS:
        _ = provider.host_re, provider.marker_re
        for prule in provider.rules:
            _ = prule.pattern, prule.status, prule.domain


def build(files: list[str]) -> str:
    from bounce_sink.parse.json_lines import parse_file

    for name in files:
        parse_file(name)
    _reach_classifier_patterns()
    rows = [program_of(p, f) for p, f in sorted(regex_programs.requested)]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    return (
        '{"engine": '
        + json.dumps(regex_programs.engine_id())
        + ',\n"programs": [\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )


def main() -> None:
    out = regex_programs.PROGRAM_FILE
    out.write_text(build(sys.argv[1:]), encoding="utf-8")
    print(f"{out}: {len(regex_programs.requested)} patterns", file=sys.stderr)


if __name__ == "__main__":
    main()
