"""`harness tasks validate`: every solution of a task, on every starter, through the whole
pipeline.

A task is valid on a starter when its reference resolves there, every `alt-*` solution
resolves, and every flawed solution trips exactly the rules (introduced findings) and fails
exactly the cases its expect.yaml names.
A race is caught with high probability, never with certainty, so a flaw that is expected
to fail a case with simultaneous requests and passed only such cases gets two more runs.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.core.schema import SampleScore
from harness.scoring.score import missing_entry_points
from harness.tasks.leaks import Leak, scan_workspace
from harness.tasks.loader import REFERENCE, Task
from harness.tasks.workspace import render_workspace


@dataclass(frozen=True)
class SolutionCheck:
    task_id: str
    starter: str
    solution: str
    ok: bool
    problems: tuple[str, ...]
    score: SampleScore | None = None


RACE_ATTEMPTS = 3
MIN_FLAWS = 2


def _score(task: Task, starter: str, solution: str, sandbox: str, db: str) -> SampleScore:
    from harness.agents.definition import AgentDefinition
    from harness.run.runner import RunOptions, SampleSpec, run_sample

    agent = AgentDefinition(name="oracle", body="(oracle)", source="-", sha256="-")
    model = "oracle" if solution == REFERENCE else f"oracle:{solution}"
    with tempfile.TemporaryDirectory(prefix="harness-validate-") as tmp:
        options = RunOptions(
            [agent], model, [task], 1, Path(tmp), sandbox, db=db, starters=(starter,)
        )
        return run_sample(SampleSpec(solution, agent, task, starter, 1), options, sandbox)


def _missed_only_races(task: Task, starter: str, solution: str, score: SampleScore) -> bool:
    """A race shows up with high probability, never with certainty: did the flaw pass only
    cases that send simultaneous requests, which it was expected to fail?"""
    expect = task.flaws.get(starter, {}).get(solution)
    if expect is None or score.status != "scored":
        return False
    racy = {c.id for c in task.contract.cases if any(s.concurrent > 1 for s in c.steps)}
    failing = {c.id for c in score.tests.cases if c.outcome != "passed"}
    missed = set(expect.failing_cases) - failing
    return bool(missed) and missed <= racy and failing <= set(expect.failing_cases)


def check_solution(
    task: Task, starter: str, solution: str, sandbox: str, db: str = "sqlite"
) -> SolutionCheck:
    score = _score(task, starter, solution, sandbox, db)
    for _ in range(RACE_ATTEMPTS - 1):
        if not _missed_only_races(task, starter, solution, score):
            break
        score = _score(task, starter, solution, sandbox, db)
    problems: list[str] = []
    if score.status != "scored":
        problems.append(f"errored: {score.error.message if score.error else ''}")
    elif solution == REFERENCE or solution.startswith("alt-"):
        if not score.resolved:
            failing = [c.id for c in score.tests.cases if c.outcome != "passed"]
            codes = sorted({f.code for f in score.findings})
            problems.append(
                f"not resolved (failing cases: {failing or '-'}, findings: {codes or '-'}"
                + (
                    f", missing entry points: {missing}"
                    if (missing := missing_entry_points(score.evidence))
                    else ""
                )
                + (f", {score.error.kind}: {score.error.message}" if score.error else "")
                + ")"
            )
    else:
        expect = task.flaws[starter][solution]
        codes = {f.code for f in score.findings}
        failing = {c.id for c in score.tests.cases if c.outcome != "passed"}
        if score.error:
            problems.append(f"{score.error.kind}: {score.error.message}")
        if codes != set(expect.rules):
            problems.append(f"rules: expected {sorted(expect.rules)}, got {sorted(codes)}")
        if failing != set(expect.failing_cases):
            problems.append(
                f"failing cases: expected {sorted(expect.failing_cases)}, got {sorted(failing)}"
            )
        missing = bool(missing_entry_points(score.evidence))
        if missing != expect.missing_entry_point:
            problems.append(
                f"missing entry point: expected {expect.missing_entry_point}, got {missing}"
            )
        if not (expect.rules or expect.failing_cases or expect.missing_entry_point):
            problems.append("expect.yaml names no rule and no case: a flaw must trip something")
    return SolutionCheck(task.id, starter, solution, not problems, tuple(problems), score)


def workspace_leaks(task: Task, starter: str) -> list[Leak]:
    """The rule hints in everything the model sees of the task on a starter."""
    with tempfile.TemporaryDirectory(prefix="harness-leaks-") as tmp:
        return scan_workspace(
            render_workspace(task, starter, Path(tmp) / "ws", with_statement=True)
        )


def validate_task(
    task: Task, sandbox: str = "auto", db: str = "sqlite", starters: tuple[str, ...] | None = None
) -> list[SolutionCheck]:
    """Every solution on every starter (of `starters`), as many at once as there are cores
    (each is a sandboxed pytest run)."""
    chosen = [s for s in task.starters if starters is None or s in starters]
    jobs = [(starter, name) for starter in chosen for name in task.solutions[starter]]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        checks = list(pool.map(lambda job: check_solution(task, *job, sandbox, db), jobs))
    for starter in chosen:
        leaks = workspace_leaks(task, starter)
        if leaks:
            checks.append(
                SolutionCheck(task.id, starter, "(rule hints)", False, tuple(map(str, leaks)))
            )
        if REFERENCE not in task.solutions[starter]:
            problem = f"no solutions/{starter}/reference/"
            checks.append(SolutionCheck(task.id, starter, REFERENCE, False, (problem,)))
        if len(task.flaws[starter]) < MIN_FLAWS:
            message = f"{len(task.flaws[starter])} flawed solution(s); at least {MIN_FLAWS} needed"
            checks.append(SolutionCheck(task.id, starter, "(flaws)", False, (message,)))
    return checks
