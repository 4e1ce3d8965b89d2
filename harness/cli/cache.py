"""`harness cache stats|clear`: the response cache."""

from __future__ import annotations

import argparse

from harness.cli.exit_codes import EXIT_OK


def run(args: argparse.Namespace) -> int:
    from harness.providers.cache import cache_stats, clear_cache

    if args.cache_command == "clear":
        print(f"removed {clear_cache()} cached answer(s) from {cache_stats()[0]}")
        return EXIT_OK
    directory, count, size = cache_stats()
    print(f"{count} cached answer(s), {size:,} bytes, in {directory}")
    return EXIT_OK
