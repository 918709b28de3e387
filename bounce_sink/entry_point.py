"""The `bounce-sink` console script: `parse` starts without loading the other commands.

The full command group imports asyncio, the store's options and logging set-up
(~0.1 s) before it runs anything; `parse` needs none of that, and scripts
start it once per batch of files. Everything else goes to `bounce_sink.cli`.
"""

from __future__ import annotations

import os
import sys


def _plain_json_parse(args: list[str]) -> list[str] | None:
    """The files of `parse --json FILE...` with nothing else to interpret, else None."""
    files = [a for a in args if a != "--json"]
    if len(files) == len(args) or not files:
        return None
    if any(a.startswith("-") or os.path.isdir(a) for a in files):
        return None  # options, "--", or a directory: click says what is wrong
    return files


def main() -> None:
    files = _plain_json_parse(sys.argv[2:]) if sys.argv[1:2] == ["parse"] else None
    if files is not None:
        # The scripts' and the scorer's form: no click needed (~25 ms less start-up).
        from bounce_sink.parse.json_lines import write_json_lines

        write_json_lines(files)
        return
    if sys.argv[1:2] == ["parse"]:
        from bounce_sink.parse.command import parse_cmd

        parse_cmd.main(args=sys.argv[2:], prog_name="bounce-sink parse")  # exits
    from bounce_sink.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
