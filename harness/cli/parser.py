"""The `harness` argument parser: one function per command, so each stays readable and
`harness --help` imports nothing heavy (the commands' modules are imported on dispatch)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.cli.exit_codes import EXIT_INPUT

CHECK_FORMATS = ("text", "json", "sarif", "github")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"harness: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_INPUT)


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    from harness import __version__

    parser = _Parser(prog="harness", description="Evaluate FastAPI backend agent prompts.")
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (_check, _cache, _rules, _run, _report, _compare, _merge, _doctor, _score, _tasks):
        add(commands)
    return parser


def _check(commands: Any) -> None:
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


def _cache(commands: Any) -> None:
    cache = commands.add_parser(
        "cache", help="the response cache: how many answers it holds, or clear it"
    )
    cache_commands = cache.add_subparsers(
        dest="cache_command", metavar="SUBCOMMAND", required=True, parser_class=type(cache)
    )
    cache_commands.add_parser("stats", help="answers stored, bytes, where")
    cache_commands.add_parser("clear", help="remove every stored answer")


def _rules(commands: Any) -> None:
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule", nargs="?", help="a code or slug to explain")


def _run(commands: Any) -> None:
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
    _run_scaling(run)


def _run_scaling(run: argparse.ArgumentParser) -> None:
    """`harness run`'s options for providers, shards, gates and limits."""
    run.add_argument(
        "--provider-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of the model's provider (e.g. base_url, timeout, attempts for the "
        "API; cli for claude-code); unknown keys are refused",
    )
    run.add_argument(
        "--shard",
        metavar="K/N",
        help="run shard K (from 1) of N: a fixed share of the samples, for a CI matrix or a "
        "batch cluster; merge the shards with `harness merge` (default: HARNESS_SHARD, "
        "JOB_COMPLETION_INDEX + HARNESS_SHARD_COUNT, or Slurm's array variables)",
    )
    run.add_argument(
        "--gate-arm",
        action="append",
        default=[],
        metavar="LABEL",
        help="check the eval's gates on this arm only (repeatable; default: every arm, each "
        "on its own samples)",
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


def _report(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="write a run's report as HTML, Markdown, JUnit, SARIF or JSON"
    )
    report.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    report.add_argument(
        "--format", choices=("html", "markdown", "junit", "sarif", "json"), default="html"
    )
    report.add_argument("--out", type=Path, help="write to this file (default: standard output)")


def _compare(commands: Any) -> None:
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
    compare.add_argument("--format", choices=("table", "markdown", "json", "html"), default="table")
    compare.add_argument(
        "--out",
        type=Path,
        help="also write the comparison to this file (.html, .json or .md, by its suffix)",
    )
    compare.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when a metric is worse with confidence or a rule drops past the eval's threshold",
    )
    compare.add_argument(
        "--eval",
        metavar="NAME",
        help="eval file whose max_*_drop gates apply (point estimates: they fire on one epoch)",
    )
    compare.add_argument(
        "--allow-mismatch",
        action="store_true",
        help="gate even when the runs differ in model, tasks, starters, epochs or scoring",
    )


def _merge(commands: Any) -> None:
    merge = commands.add_parser(
        "merge", help="merge the run directories of a sharded run (harness run --shard K/N)"
    )
    merge.add_argument("run_dirs", type=Path, nargs="+", metavar="RUN_DIR", help="one per shard")
    merge.add_argument("--out", type=Path, required=True, help="the merged run directory (new)")
    merge.add_argument(
        "--allow-partial",
        action="store_true",
        help="merge the shards given and report the missing shards' samples as skipped",
    )
    merge.add_argument("--eval", metavar="NAME", help="check this eval's gates on the merged run")
    merge.add_argument(
        "--gate-arm", action="append", default=[], metavar="LABEL", help="as for harness run"
    )


def _doctor(commands: Any) -> None:
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


def _score(commands: Any) -> None:
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


def _tasks(commands: Any) -> None:
    tasks = commands.add_parser("tasks", help="list, show, validate or initialise tasks")
    task_commands = tasks.add_subparsers(
        dest="tasks_command", metavar="SUBCOMMAND", required=True, parser_class=type(tasks)
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
