"""The harness's own cost per sample with the oracle model: render, tool calls, checker,
generated tests; and, on the same workspace in the same run, the floor of those tests.
Prints median and p95 seconds per sample and per phase, then graded and floor medians per
task and over all tasks, and their ratio: in wall-clock seconds and, where the benchmark
can give itself a cgroup (root), in CPU seconds of every process involved.

The floor (`grading_floor.py`) is the least the generated tests can cost: the app started
and the same HTTP cases run in one plain process, without sandboxes, app host or pytest.
The graded tests are run as the grader runs them (with the architecture probe importing
the service modules the oracle changed).

    python benchmarks/sample_overhead.py [--epochs N] [--sandbox auto|bwrap|none] [--task ID]...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from harness.grading.grader import probe_paths, starter_snapshot, workspace_findings
from harness.providers.oracle import OracleProvider
from harness.sandbox.run import Limits, resolve_mode
from harness.solver.loop import solve
from harness.solver.tools import Toolbox
from harness.tasks.app_host import host_files
from harness.tasks.loader import Task, find_tasks
from harness.tasks.suite import render_suite, run_suite
from harness.tasks.workspace import changed_files, render_workspace, snapshot

PHASES = ("render", "solve", "checker", "scope", "tests")
FLOOR_SCRIPT = Path(__file__).with_name("grading_floor.py")
TARGET_RATIO = 1.5
TARGET_SECONDS = 1.5
FLOOR_SECONDS = 600
CGROUPS = (  # (hierarchy, usage file, its unit in seconds): cgroup v1 cpuacct, then v2
    (Path("/sys/fs/cgroup/cpuacct"), "cpuacct.usage", 1e-9),
    (Path("/sys/fs/cgroup"), "cpu.stat", 1e-6),
)
Series = dict[str, list[float]]


class CpuMeter:
    """CPU seconds of this process and of every process it starts (sandboxes included,
    killed or not), read from a cgroup of its own."""

    def __init__(self, root: Path, usage: str, unit: float) -> None:
        self.root, self.unit = root, unit
        self.group = root / f"harness-bench-{os.getpid()}"
        self.group.mkdir()
        self.usage = self.group / usage
        (self.group / "cgroup.procs").write_text(str(os.getpid()))

    @classmethod
    def create(cls) -> CpuMeter | None:
        """A meter, or None where no cgroup can be made here (not root, no cgroup fs)."""
        for root, usage, unit in CGROUPS:
            if (root / usage).exists() or (root / "cgroup.procs").exists():
                with contextlib.suppress(OSError):
                    return cls(root, usage, unit)
        return None

    def seconds(self) -> float:
        text = self.usage.read_text()
        value = text.split()[1] if text.startswith("usage_usec") else text.split()[0]
        return int(value) * self.unit

    def close(self) -> None:
        (self.root / "cgroup.procs").write_text(str(os.getpid()))
        with contextlib.suppress(OSError):
            self.group.rmdir()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def floor(task: Task, workspace: Path) -> None:
    """Run the task's cases against `workspace` in one plain process; all must pass."""
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
        done = subprocess.run(
            [sys.executable, "-I", "-B", str(FLOOR_SCRIPT), str(suite)],
            capture_output=True, text=True, env=env, cwd=workspace, timeout=FLOOR_SECONDS,
            check=False,
        )  # fmt: skip
    outcome = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    expected = len(task.contract.cases)
    assert outcome.get("ran") == expected and not outcome.get("failed"), (task.id, done.stderr)


def timed(meter: CpuMeter | None, action, *args) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds of `action(*args)` (CPU 0.0 without a meter)."""
    cpu, started = meter.seconds() if meter else 0.0, time.perf_counter()
    action(*args)
    return time.perf_counter() - started, (meter.seconds() - cpu if meter else 0.0)


def one_sample(task: Task, starter: str, mode: str, meter: CpuMeter | None) -> Series:
    """The phases of one oracle sample, then the graded tests and their floor."""
    seconds: Series = defaultdict(list)
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
        probed = probe_paths(changed_files(starter_snapshot(task, starter), snapshot(workspace)))
        marks.append(time.perf_counter())

        def graded() -> None:
            run = run_suite(task.id, task.contract, workspace, mode=mode, probe_paths=probed)
            assert run.error is None and all(c.outcome == "passed" for c in run.cases), task.id

        (wall, cpu), (floor_wall, floor_cpu) = timed(meter, graded), timed(meter, floor, task, workspace)  # fmt: skip
    marks.append(marks[-1] + wall)
    for phase, start, end in zip(PHASES, marks, marks[1:], strict=False):
        seconds[phase].append(end - start)
    seconds["total"].append(marks[-1] - marks[0])
    for name, value in (("floor", floor_wall), ("tests cpu", cpu), ("floor cpu", floor_cpu)):
        seconds[name].append(value)
    return seconds


def measure(
    epochs: int, sandbox: str, only: list[str], meter: CpuMeter | None
) -> tuple[Series, dict[str, Series]]:
    """Every sample's seconds, per phase over all tasks and per task."""
    mode = resolve_mode(sandbox)
    timings: Series = defaultdict(list)
    per_task: dict[str, Series] = defaultdict(lambda: defaultdict(list))
    for task in find_tasks():
        if only and task.id not in only:
            continue
        starter = task.starters[0]
        starter_snapshot(task, starter)  # once per task and starter, as in a run
        for _ in range(epochs):
            for name, values in one_sample(task, starter, mode, meter).items():
                timings[name] += values
                per_task[task.id][name] += values
    return timings, per_task


def _row(label: str, series: Series, cpu: bool) -> str:
    graded, floor_s = statistics.median(series["tests"]), statistics.median(series["floor"])
    row = f"{label:<32} {graded:7.3f} {floor_s:7.3f} {graded / floor_s:6.2f}"
    if cpu:
        graded_cpu, floor_cpu = (statistics.median(series[k]) for k in ("tests cpu", "floor cpu"))
        row += f" {graded_cpu:8.3f} {floor_cpu:8.3f} {graded_cpu / floor_cpu:6.2f}"
    return row


def report(timings: Series, per_task: dict[str, Series], cpu: bool) -> None:
    print(f"{'phase':<8} {'median s':>9} {'p95 s':>7} {'share':>6}")
    total = sum(timings["total"])
    for phase in (*PHASES, "total"):
        values = timings[phase]
        share = sum(values) / total if phase != "total" else 1.0
        print(f"{phase:<8} {statistics.median(values):9.3f} {p95(values):7.3f} {share:6.0%}")
    print(f"dominant phase: {max(PHASES, key=lambda p: sum(timings[p]))}")
    header = f"\n{'tests phase, median per sample':<32} {'graded':>7} {'floor':>7} {'ratio':>6}"
    print(header + (f" {'cpu gr.':>8} {'cpu fl.':>8} {'ratio':>6}" if cpu else ""))
    for task_id, series in sorted(per_task.items()):
        print(_row(task_id, series, cpu))
    print(_row("all tasks", timings, cpu))
    graded, floor_s = statistics.median(timings["tests"]), statistics.median(timings["floor"])
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
    meter = CpuMeter.create()
    started_load = os.getloadavg()[0]
    try:
        timings, per_task = measure(args.epochs, args.sandbox, args.task, meter)
    finally:
        if meter is not None:
            meter.close()
    samples = len(timings["total"])
    print(
        f"{samples} samples ({args.epochs} epoch(s) x {samples // args.epochs} task(s)), "
        f"sandbox {resolve_mode(args.sandbox)}, load average {started_load:.2f} at the start "
        f"and {os.getloadavg()[0]:.2f} at the end"
        + ("" if meter else "; no cgroup here, so no CPU seconds")
    )
    report(timings, per_task, meter is not None)
    print("command: python " + " ".join(sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
