"""The `harness` command: argument parsing and exit codes, nothing else.

Exit codes (DESIGN.md): 0 success, 1 the check or gate failed, 2 bad input (one line on
stderr saying what to fix). Heavy imports live inside the command functions so that
`harness --help` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
CHECK_FORMATS = ("text", "json", "sarif", "github")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"harness: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_INPUT)


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="harness", description="Evaluate FastAPI backend agent prompts.")
    from harness import __version__

    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check",
        help="check Python code against the agent's architecture rules",
        description="Check Python files against the architecture rules (ARCH000-ARCH602).",
    )
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--format", choices=CHECK_FORMATS, default="text")
    check.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="only these rules (codes, prefixes such as ARCH1, or slugs)",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="skip these rules",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="move function-level constants to module level (ARCH301), where safe",
    )
    check.add_argument("--no-cache", action="store_true", help="read and write no cache")
    check.add_argument("--cache-dir", type=Path, help="cache directory (default: .harness_cache)")
    check.add_argument(
        "--config", type=Path, help="pyproject.toml to read [tool.harness.check] from"
    )
    check.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    check.add_argument(
        "--output", type=Path, help="write the report to this file instead of stdout"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument("--statistics", action="store_true", help="print counts per rule instead")

    cache = commands.add_parser(
        "cache", help="the response cache: how many answers it holds, or clear it"
    )
    cache_commands = cache.add_subparsers(
        dest="cache_command", metavar="SUBCOMMAND", required=True, parser_class=_Parser
    )
    cache_commands.add_parser("stats", help="answers stored, bytes, where")
    cache_commands.add_parser("clear", help="remove every stored answer")
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule", nargs="?", help="a code or slug to explain")

    run = commands.add_parser("run", help="run an agent prompt against the benchmark tasks")
    run.add_argument(
        "--agent",
        action="append",
        metavar="AGENT",
        help="NAME (agents/NAME.md), a path to an .md file, or either with @GITREV",
    )
    run.add_argument(
        "--model", help="oracle, oracle:<flaw>, an alias (opus, sonnet, ...) or a full id"
    )
    run.add_argument("--tasks", metavar="GLOB", help="task ids to run (globs, comma-separated)")
    run.add_argument("--epochs", type=int)
    run.add_argument(
        "--starter",
        metavar="NAME[,NAME]",
        help="starter codebases to run the tasks on (house-style, legacy, bare; default: all)",
    )
    run.add_argument(
        "--out", type=Path, help="run directory (default: runs/<time>-<agent>-<model>)"
    )
    run.add_argument("--sandbox", choices=("auto", "bwrap", "none"))
    run.add_argument(
        "--eval",
        metavar="NAME",
        help="an eval suite: evals/NAME.yaml or a path (agents, tasks, epochs, gates)",
    )
    run.add_argument(
        "--resume",
        type=Path,
        metavar="RUN_DIR",
        help="finish an interrupted run: the samples not yet in its event log",
    )
    run.add_argument(
        "--max-connections",
        type=int,
        metavar="N",
        help="API calls in flight at once (default 8; halves on HTTP 429, then recovers)",
    )
    run.add_argument(
        "--db",
        choices=("sqlite", "postgres"),
        help="where the generated tests run: SQLite files (default) or a private PostgreSQL",
    )
    run.add_argument(
        "--no-score",
        action="store_true",
        help="keep transcripts only; score later with --model replay:RUN_DIR",
    )
    run.add_argument(
        "--no-cache", action="store_true", help="ask the model even for requests answered before"
    )
    run.add_argument(
        "--max-cost",
        type=float,
        metavar="USD",
        help="start no sample once the spend would pass this",
    )

    report = commands.add_parser(
        "report", help="write a run's report as HTML, Markdown, JUnit, SARIF or JSON"
    )
    report.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    report.add_argument(
        "--format", choices=("html", "markdown", "junit", "sarif", "json"), default="html"
    )
    report.add_argument("--out", type=Path, help="write to this file (default: standard output)")

    compare = commands.add_parser(
        "compare",
        help="compare two runs (or report.json files), or the two arms of one run",
    )
    compare.add_argument("base", type=Path, metavar="BASE", help="run directory or report.json")
    compare.add_argument(
        "head", type=Path, nargs="?", metavar="HEAD", help="(omit: the arms of BASE)"
    )
    compare.add_argument("--base-arm", help="the arm of BASE to compare (when it has several)")
    compare.add_argument("--head-arm", help="the arm of HEAD to compare (when it has several)")
    compare.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    compare.add_argument("--out", type=Path, help="also write the comparison to this file")
    compare.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when a metric is worse with confidence or a rule drops past the eval's threshold",
    )
    compare.add_argument(
        "--eval", metavar="NAME", help="eval file whose gates.max_compliance_drop applies"
    )
    compare.add_argument(
        "--allow-mismatch",
        action="store_true",
        help="gate even when the runs differ in model, tasks, starters, epochs or scoring",
    )

    doctor = commands.add_parser(
        "doctor", help="what this machine has: sandbox, PostgreSQL, Claude Code CLI, API key"
    )
    doctor.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="CHECK",
        help="exit 1 unless this check is ok (python, bwrap, postgresql, claude-code, api-key)",
    )
    doctor.add_argument("--json", action="store_true", help="the checks as JSON")
    score = commands.add_parser("score", help="score an existing workspace against a task")
    score.add_argument("--task", required=True)
    score.add_argument("workspace", type=Path)
    score.add_argument(
        "--starter",
        metavar="NAME",
        help="the starter the workspace was rendered from (default: the one it matches best)",
    )
    score.add_argument("--format", choices=("text", "json"), default="text")
    score.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto")
    score.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")

    tasks = commands.add_parser("tasks", help="list, show, validate or initialise tasks")
    task_commands = tasks.add_subparsers(
        dest="tasks_command", metavar="SUBCOMMAND", required=True, parser_class=_Parser
    )
    task_commands.add_parser("list", help="one line per task")
    show = task_commands.add_parser(
        "show", help="a task's statement, cases, temptations and limits"
    )
    show.add_argument("id")
    validate = task_commands.add_parser(
        "validate", help="run every solution of the tasks through the pipeline"
    )
    validate.add_argument("ids", nargs="*")
    validate.add_argument(
        "--starter", metavar="NAME[,NAME]", help="validate on these starters only (default: all)"
    )
    validate.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto")
    validate.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    coverage = task_commands.add_parser(
        "coverage", help="the rule x task x starter table: tempted, and which flaw proves it"
    )
    coverage.add_argument("--out", type=Path, help="write the Markdown here (docs/coverage.md)")
    init = task_commands.add_parser(
        "init", help="write a task's starter workspace (with TASK.md) to DIR"
    )
    init.add_argument("id")
    init.add_argument("dir", type=Path)
    init.add_argument(
        "--starter", metavar="NAME", default="house-style", help="the starter codebase to render"
    )
    return parser


def _cmd_check(args: argparse.Namespace) -> int:
    from harness.checker.config import find_pyproject, load_config, python_floor
    from harness.checker.output import render
    from harness.checker.run import check_paths

    if args.config is not None and not args.config.is_file():
        raise _input_error(f"--config {args.config}: no such file")
    pyproject = args.config or find_pyproject(Path(args.paths[0])) or find_pyproject(Path.cwd())
    config = load_config(pyproject)
    root = pyproject.resolve().parent if pyproject else None
    cache_dir = None
    if not args.no_cache:
        from harness.checker.cache import default_cache_dir

        root = pyproject.parent if pyproject else Path.cwd()
        cache_dir = args.cache_dir or default_cache_dir(root)
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


def _cmd_rules(args: argparse.Namespace) -> int:
    from harness.checker.config import resolve_selector
    from harness.rules import all_rules
    from harness.scoring import OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_DOC, OUT_OF_SCOPE_SLUG

    rules = all_rules()
    if args.rule and args.rule.upper() in (OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG.upper()):
        print(f"# {OUT_OF_SCOPE_CODE} {OUT_OF_SCOPE_SLUG} (error)\n")
        print(OUT_OF_SCOPE_DOC)
        return EXIT_OK
    if args.rule:
        codes = resolve_selector(args.rule)
        for rule in rules:
            if rule.CODE in codes:
                print(f"# {rule.CODE} {rule.SLUG} ({rule.SEVERITY})\n")
                print(_dedent_doc(rule.__doc__ or ""))
        return EXIT_OK
    for rule in rules:
        print(f"{rule.CODE}  {rule.SLUG:<34} {rule.SEVERITY:<8} {rule.SCOPE.value}")
    print(f"{OUT_OF_SCOPE_CODE}  {OUT_OF_SCOPE_SLUG:<34} {'error':<8} run/score only")
    return EXIT_OK


def _cmd_cache(args: argparse.Namespace) -> int:
    from harness.providers.cache import cache_stats, clear_cache

    if args.cache_command == "clear":
        print(f"removed {clear_cache()} cached answer(s) from {cache_stats()[0]}")
        return EXIT_OK
    directory, count, size = cache_stats()
    print(f"{count} cached answer(s), {size:,} bytes, in {directory}")
    return EXIT_OK


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def _input_error(message: str) -> Exception:
    from harness.errors import InputError

    return InputError(message)


def _cmd_run(args: argparse.Namespace) -> int:
    from harness.commands import run_command

    return run_command(args)


def _cmd_doctor(args: argparse.Namespace) -> int:
    import json

    from harness.doctor import CHECKS, run_checks, unmet

    unknown = [name for name in args.require if name not in CHECKS]
    if unknown:
        raise _input_error(f"--require {unknown[0]}: no such check; use one of {', '.join(CHECKS)}")
    checks = run_checks()
    if args.json:
        sys.stdout.write(json.dumps([c.model_dump() for c in checks], indent=2) + "\n")
    else:
        for check in checks:
            fix = f"  -> {check.fix}" if check.fix else ""
            sys.stdout.write(
                f"{check.status:<8} {check.name:<12} {check.detail}  [{check.needed_for}]{fix}\n"
            )
    return EXIT_FAILED if unmet(checks, args.require) else EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from harness.commands import score_command

    return score_command(args)


def _cmd_tasks(args: argparse.Namespace) -> int:
    from harness.commands import tasks_command

    return tasks_command(args)


def _cmd_report(args: argparse.Namespace) -> int:
    from harness.report_commands import report_command

    return report_command(args)


def _cmd_compare(args: argparse.Namespace) -> int:
    from harness.report_commands import compare_command

    return compare_command(args)


COMMANDS = {
    "check": _cmd_check,
    "report": _cmd_report,
    "compare": _cmd_compare,
    "doctor": _cmd_doctor,
    "rules": _cmd_rules,
    "cache": _cmd_cache,
    "run": _cmd_run,
    "score": _cmd_score,
    "tasks": _cmd_tasks,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        sys.stderr.write("harness: interrupted\n")
        return 130
    except Exception as exc:
        from harness.errors import HarnessError

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
