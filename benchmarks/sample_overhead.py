"""The harness's own cost per sample with the oracle model: render, tool calls, checker,
generated tests; and, on the same workspace in the same run, the floor of those tests.
Prints median and p95 seconds per sample and per phase, then graded and floor medians per
task and over all tasks, and their ratio.

The floor (`grading_floor.py`) is the least the generated tests can cost: the app started
and the same HTTP cases run in one plain process, without sandboxes, app host or pytest.

    python benchmarks/sample_overhead.py [--epochs N] [--sandbox auto|bwrap|none] [--task ID]...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from harness.grader import starter_snapshot, workspace_findings
from harness.providers.oracle import OracleProvider
from harness.sandbox import Limits, resolve_mode
from harness.solver import solve
from harness.tasks.app_host import host_files
from harness.tasks.loader import Task, find_tasks
from harness.tasks.suite import render_suite, run_suite
from harness.tasks.workspace import changed_files, render_workspace, snapshot
from harness.tools import Toolbox

PHASES = ("render", "solve", "checker", "scope", "tests")
FLOOR_SCRIPT = Path(__file__).with_name("grading_floor.py")
TARGET_RATIO = 1.5
TARGET_SECONDS = 1.5
FLOOR_SECONDS = 600


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def floor(task: Task, workspace: Path) -> float:
    """Seconds to run the task's cases against `workspace` in one plain process."""
    with tempfile.TemporaryDirectory(prefix="harness-floor-") as tmp:
        suite, data = Path(tmp) / "suite", Path(tmp) / "data"
        suite.mkdir()
        data.mkdir()
        for name, content in {**render_suite(task.id, task.contract), **host_files()}.items():
            (suite / name).write_text(content, encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "PYTHONHASHSEED": "0",
            "HARNESS_WORKSPACE_PATH": str(workspace.resolve()),
            "HARNESS_APP_DATA": str(data),
        }
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-I", "-B", str(FLOOR_SCRIPT), str(suite)],
            capture_output=True, text=True, env=env, cwd=workspace, timeout=FLOOR_SECONDS,
            check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    outcome = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    expected = len(task.contract.cases)
    assert outcome.get("ran") == expected and not outcome.get("failed"), (task.id, done.stderr)
    return seconds


def one_sample(task: Task, starter: str, mode: str) -> tuple[list[float], float]:
    """Phase marks of one oracle sample, and the floor of its tests."""
    with tempfile.TemporaryDirectory() as tmp:
        marks = [time.perf_counter()]
        workspace = render_workspace(task, starter, Path(tmp) / "ws")
        marks.append(time.perf_counter())
        toolbox = Toolbox(workspace, mode, Limits(wall_seconds=60))
        oracle = OracleProvider(task, starter)
        solving = solve(
            oracle, "oracle", "-", task.spec.statement, toolbox, max_turns=5, wall_seconds=60
        )
        asyncio.run(solving)
        toolbox.close()
        marks.append(time.perf_counter())
        workspace_findings(workspace)
        marks.append(time.perf_counter())
        changed_files(starter_snapshot(task, starter), snapshot(workspace))
        marks.append(time.perf_counter())
        run = run_suite(task.id, task.contract, workspace, mode=mode)
        marks.append(time.perf_counter())
        assert run.error is None and all(c.outcome == "passed" for c in run.cases), task.id
        return marks, floor(task, workspace)


def measure(
    epochs: int, sandbox: str, only: list[str]
) -> tuple[dict[str, list[float]], dict[str, dict[str, list[float]]]]:
    """Per phase, the seconds of every sample; per task, its graded and floor seconds."""
    mode = resolve_mode(sandbox)
    timings: dict[str, list[float]] = {phase: [] for phase in (*PHASES, "total", "floor")}
    per_task: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for task in find_tasks():
        if only and task.id not in only:
            continue
        starter = task.starters[0]
        starter_snapshot(task, starter)  # once per task and starter, as in a run
        for _ in range(epochs):
            marks, floor_seconds = one_sample(task, starter, mode)
            for phase, start, end in zip(PHASES, marks, marks[1:], strict=False):
                timings[phase].append(end - start)
            timings["total"].append(marks[-1] - marks[0])
            timings["floor"].append(floor_seconds)
            per_task[task.id]["graded"].append(marks[-1] - marks[-2])
            per_task[task.id]["floor"].append(floor_seconds)
    return timings, per_task


def report(timings: dict[str, list[float]], per_task: dict[str, dict[str, list[float]]]) -> None:
    print(f"{'phase':<8} {'median s':>9} {'p95 s':>7} {'share':>6}")
    total = sum(timings["total"])
    for phase in (*PHASES, "total"):
        values = timings[phase]
        share = sum(values) / total if phase != "total" else 1.0
        print(f"{phase:<8} {statistics.median(values):9.3f} {p95(values):7.3f} {share:6.0%}")
    dominant = max(PHASES, key=lambda p: sum(timings[p]))
    print(f"dominant phase: {dominant}")
    print(f"\n{'task (tests phase, median s)':<36} {'graded':>7} {'floor':>7} {'ratio':>6}")
    for task_id, values in sorted(per_task.items()):
        graded, floor_s = statistics.median(values["graded"]), statistics.median(values["floor"])
        print(f"{task_id:<36} {graded:7.3f} {floor_s:7.3f} {graded / floor_s:6.2f}")
    graded, floor_s = statistics.median(timings["tests"]), statistics.median(timings["floor"])
    print(f"{'all tasks':<36} {graded:7.3f} {floor_s:7.3f} {graded / floor_s:6.2f}")
    print(
        f"graded / floor {graded / floor_s:.2f} (target <= {TARGET_RATIO}); median per sample "
        f"{statistics.median(timings['total']):.3f} s (target < {TARGET_SECONDS} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--task", action="append", default=[], help="only this task (repeatable)")
    args = parser.parse_args()
    timings, per_task = measure(args.epochs, args.sandbox, args.task)
    samples = len(timings["total"])
    print(
        f"{samples} samples ({args.epochs} epoch(s) x {samples // args.epochs} task(s)), "
        f"sandbox {resolve_mode(args.sandbox)}, load average {os.getloadavg()[0]:.2f}"
    )
    report(timings, per_task)
    print("command: python " + " ".join(sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
