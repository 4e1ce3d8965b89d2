"""The harness's own cost per sample with the oracle model: render, tool calls, checker,
generated tests. Prints median and p95 seconds per sample and per phase.

    python benchmarks/sample_overhead.py [--epochs N] [--sandbox auto|bwrap|none]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness.grading.grader import starter_snapshot, workspace_findings
from harness.providers.oracle import OracleProvider
from harness.sandbox.run import Limits, resolve_mode
from harness.solver.loop import solve
from harness.solver.tools import Toolbox
from harness.tasks.loader import find_tasks
from harness.tasks.suite import run_suite
from harness.tasks.workspace import changed_files, render_workspace, snapshot

PHASES = ("render", "solve", "checker", "scope", "tests")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(epochs: int, sandbox: str) -> dict[str, list[float]]:
    mode = resolve_mode(sandbox)
    timings: dict[str, list[float]] = {phase: [] for phase in (*PHASES, "total")}
    for task in find_tasks():
        starter = task.starters[0]
        starter_snapshot(task, starter)  # once per task and starter, as in a run
        for _ in range(epochs):
            with tempfile.TemporaryDirectory() as tmp:
                marks = [time.perf_counter()]
                workspace = render_workspace(task, starter, Path(tmp) / "ws")
                marks.append(time.perf_counter())
                toolbox = Toolbox(workspace, mode, Limits(wall_seconds=60))
                asyncio.run(
                    solve(
                        OracleProvider(task, starter),
                        "oracle",
                        "-",
                        task.spec.statement,
                        toolbox,
                        max_turns=5,
                        wall_seconds=60,
                    )
                )
                marks.append(time.perf_counter())
                workspace_findings(workspace)
                marks.append(time.perf_counter())
                changed_files(starter_snapshot(task, starter), snapshot(workspace))
                marks.append(time.perf_counter())
                run = run_suite(task.id, task.contract, workspace, mode=mode)
                marks.append(time.perf_counter())
                assert run.error is None and all(c.outcome == "passed" for c in run.cases), task.id
            for phase, start, end in zip(PHASES, marks, marks[1:], strict=False):
                timings[phase].append(end - start)
            timings["total"].append(marks[-1] - marks[0])
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--sandbox", default="auto")
    args = parser.parse_args()
    timings = measure(args.epochs, args.sandbox)
    samples = len(timings["total"])
    print(
        f"{samples} samples ({args.epochs} epoch(s) x {samples // args.epochs} task(s)), sandbox {resolve_mode(args.sandbox)}"
    )
    print(f"{'phase':<8} {'median s':>9} {'p95 s':>7} {'share':>6}")
    total = sum(timings["total"])
    for phase in (*PHASES, "total"):
        values = timings[phase]
        share = sum(values) / total if phase != "total" else 1.0
        print(f"{phase:<8} {statistics.median(values):9.3f} {p95(values):7.3f} {share:6.0%}")
    dominant = max(PHASES, key=lambda p: sum(timings[p]))
    print(f"dominant phase: {dominant}")
    print("command: python " + " ".join(sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
