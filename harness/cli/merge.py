"""`harness merge SHARD_DIR... --out DIR`: the shards' run directories into one, as a single
run of the same samples would have left it (report.json, report.html, summary.md, the
samples' folders, the event log), so `harness compare`, `--eval` gates and `--resume` treat
it like any run."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
from pathlib import Path

from rich.console import Console

from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.error_kinds import SHARD_MISSING
from harness.core.errors import InputError, MalformedFile
from harness.core.files import write_atomic, write_atomic_chunks, write_model
from harness.core.layout import PROMPTS
from harness.report.reading import read_report
from harness.run.identity import IDENTITY, PLAN
from harness.run.merge import ShardRun, check_shards, merged_report

EVENTS, REPORT = "events.jsonl", "report.json"


def load_shard(path: Path) -> ShardRun:
    """A finished shard's run directory: its report and the plan it was a part of."""
    if not path.is_dir():
        raise InputError(f"{path}: not a directory; give the run directory of each shard")
    if not (path / REPORT).is_file() and (path / IDENTITY).is_file():
        raise InputError(
            f"{path}: the shard has not finished (no {REPORT}); finish it with "
            f"`harness run --resume {path}` and merge again"
        )
    _, report = read_report(path)
    try:
        plan = json.loads((path / PLAN).read_text(encoding="utf-8"))["samples"]
        keys = [(str(a), str(t), str(s), int(e)) for a, t, s, e in plan]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MalformedFile(
            f"{path / PLAN}: missing or unreadable ({exc}); only runs made by a harness that "
            "writes plan.json can be merged"
        ) from exc
    return ShardRun(name=str(path), report=report, plan=keys)


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"--out {out}: exists and is not empty; give a new directory")
    shards = []
    console = Console()
    for path in args.run_dirs:
        try:
            shards.append(load_shard(path))
        except InputError as exc:  # an unfinished shard: with --allow-partial, left out
            if not args.allow_partial or "has not finished" not in str(exc):
                raise
            console.print(f"[yellow]warning:[/] left out: {exc}")
    missing = check_shards(shards, allow_partial=args.allow_partial)
    report = merged_report(shards, missing, out.name)
    out.mkdir(parents=True, exist_ok=True)
    for shard in shards:
        _link_tree(Path(shard.name) / "samples", out / "samples")
        _link_tree(Path(shard.name) / PROMPTS, out / PROMPTS)
    first = Path(shards[0].name)
    shutil.copyfile(first / PLAN, out / PLAN)
    identity = json.loads((first / IDENTITY).read_text(encoding="utf-8"))
    identity.pop("shard", None)
    invocation = identity.get("invocation") or {}
    invocation.pop("shard", None)
    identity["merged_from"] = [s.name for s in shards]
    write_atomic(out / IDENTITY, json.dumps(identity, indent=2) + "\n")
    write_atomic_chunks(
        out / EVENTS,
        (
            json.dumps({"type": "sample", "score": s.model_dump(mode="json")}, sort_keys=True)
            + "\n"
            for s in report.samples
            if s.status != "skipped" or s.error is None or s.error.kind != SHARD_MISSING
        ),
    )
    write_model(out / REPORT, report)
    from harness.cli.report import write_run_reports

    for problem in write_run_reports(out, report):
        console.print(f"[yellow]warning:[/] {problem}")
    agg = report.aggregates
    console.print(
        f"merged {len(shards)} shard(s) into {out}: {agg.samples} samples, resolved "
        f"{agg.resolved} ({_rate(agg.resolved_rate)})"
        + (f", {agg.skipped} skipped (missing shards)" if missing else "")
    )
    return _gates(args, report, console)


def _gates(args: argparse.Namespace, report, console: Console) -> int:  # type: ignore[no-untyped-def]
    if not args.eval:
        return EXIT_OK
    from harness.cli.common import _repo_root
    from harness.run.evals import arm_gate_failures, eval_path, load_eval

    suite = load_eval(eval_path(args.eval, _repo_root()))
    failures = arm_gate_failures(suite.gates, report, args.gate_arm)
    for failure in failures:
        console.print(f"[red]gate failed ({suite.name}):[/] {failure}")
    if not failures:
        console.print(f"gates of eval {suite.name!r}: passed")
    return EXIT_FAILED if failures else EXIT_OK


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _link_tree(source: Path, target: Path) -> None:
    """Hard links where the file system allows (no copy of large workspaces), else copies;
    symbolic links stay links, never followed (a workspace is the model's)."""
    if not source.is_dir():
        return

    def link(src: str, dst: str) -> object:
        if os.path.lexists(dst):  # a file every shard has (the prompts): the same content
            return dst
        try:
            os.link(src, dst)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                raise
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(source, target, symlinks=True, copy_function=link, dirs_exist_ok=True)
