"""`harness check`: the rule checker on a codebase."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.errors import InputError


def run(args: argparse.Namespace) -> int:
    from harness.checker.config import find_pyproject, load_config, python_floor
    from harness.checker.output import render
    from harness.checker.run import check_paths

    if args.config is not None and not args.config.is_file():
        raise InputError(f"--config {args.config}: no such file")
    pyproject = args.config or find_pyproject(Path(args.paths[0])) or find_pyproject(Path.cwd())
    config = load_config(pyproject)
    root = pyproject.resolve().parent if pyproject else None
    cache_dir = None
    if not args.no_cache:
        from harness.checker.cache import default_cache_dir

        cache_dir = args.cache_dir or default_cache_dir(root or Path.cwd())
    if args.fix:
        from harness.checker.fix import fix_paths

        fix_report = fix_paths(args.paths, config, root)
        for line in fix_report.lines():
            sys.stderr.write(line + "\n")
    result = check_paths(
        args.paths,
        config,
        select=args.select,
        ignore=args.ignore,
        cache_dir=cache_dir,
        jobs=args.jobs,
        root=root,
        python=python_floor(config, root or Path(args.paths[0])),
    )
    for hint in result.hints:
        sys.stderr.write(f"hint: {hint}\n")
    fmt = "statistics" if args.statistics else args.format
    if args.output is not None:
        with open(args.output, "w", encoding="utf-8") as handle:
            render(result, fmt, handle, color=False)
    else:
        render(result, fmt, sys.stdout, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    failed = any(f.severity == "error" for f in result.findings)
    return EXIT_FAILED if failed and not args.exit_zero else EXIT_OK
