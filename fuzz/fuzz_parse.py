"""atheris harness: bounce_sink.parse.parse_message must never raise.

Run: .venv/bin/python fuzz/fuzz_parse.py -max_total_time=60 fuzz/corpus
(see fuzz/README.md). Seeds come from fixtures/parse when the corpus
directory is empty.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from bounce_sink.parse.limits import DEFAULT_LIMITS
    from bounce_sink.parse.pipeline import parse_bytes


def test_one_input(data: bytes) -> None:
    report = parse_bytes(data)
    # parse_bytes turns every failure into a Report; a raise is a bug, and so
    # is a report beyond the limits. An unexpected exception it caught
    # ("parse failed: ...") is a bug it hid, so it counts as a crash too.
    if report.error.startswith("parse failed:"):
        raise AssertionError(report.error)
    if len(report.recipients) > DEFAULT_LIMITS.max_recipients:
        raise AssertionError("recipient limit exceeded")
    if report.kind not in ("dsn", "arf", "autoreply", "unknown"):
        raise AssertionError(f"unknown kind {report.kind!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
