"""The `harness` command: parse (harness/cli/parser.py), dispatch to the command's module
(`harness/cli/<command>.py`, whose `run(args)` returns an exit code), and turn errors into
exit codes (harness/cli/exit_codes.py), here only."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from harness.cli.exit_codes import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"{__package__}.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    from harness.cli.parser import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(_module(args.command).run(args))
    except KeyboardInterrupt:
        sys.stderr.write("harness: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from harness.core.errors import HarnessError

        if os.environ.get("HARNESS_DEBUG") == "1":
            raise
        if isinstance(exc, HarnessError):
            sys.stderr.write(f"harness: {exc}\n")
            return EXIT_INPUT
        if isinstance(exc, BrokenPipeError):
            return EXIT_OK
        raise


if __name__ == "__main__":
    sys.exit(main())
