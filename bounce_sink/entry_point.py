"""The `bounce-sink` console script: `parse` starts without loading the other commands.

The full command group imports asyncio, the store's options and logging set-up
(~0.1 s) before it runs anything; `parse` needs none of that, and scripts
start it once per batch of files. Everything else goes to `bounce_sink.cli`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["parse"]:
        from bounce_sink.parse.command import parse_cmd

        parse_cmd.main(args=sys.argv[2:], prog_name="bounce-sink parse")  # exits
    from bounce_sink.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
