"""`harness tasks validate`: every solution of a task through the whole pipeline.

A task is valid when its reference resolves, every `alt-*` solution resolves, and every
flawed solution trips exactly the rules and fails exactly the cases its expect.yaml names.
A race is caught with high probability, never with certainty, so a flaw that is expected
to fail a case with simultaneous requests and passed only such cases gets two more runs.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.report.schema import SampleScore
from harness.tasks.loader import REFERENCE, Task


@dataclass(frozen=True)
class SolutionCheck:
    task_id: str
    solution: str
    ok: bool
    problems: tuple[str, ...]
    score: SampleScore | None = None


RACE_ATTEMPTS = 3


def _score(task: Task, solution: str, sandbox: str, db: str) -> SampleScore:
    from harness.agents import AgentDefinition
    from harness.runner import RunOptions, SampleSpec, run_sample

    agent = AgentDefinition(name="oracle", body="(oracle)", source="-", sha256="-")
    model = "oracle" if solution == REFERENCE else f"oracle:{solution}"
    with tempfile.TemporaryDirectory(prefix="harness-validate-") as tmp:
        options = RunOptions([agent], model, [task], 1, Path(tmp), sandbox, db=db)
        return run_sample(SampleSpec(solution, agent, task, 1), options, sandbox)


def _missed_only_races(task: Task, solution: str, score: SampleScore) -> bool:
    """A race shows up with high probability, never with certainty: did the flaw pass only
    cases that send simultaneous requests, which it was expected to fail?"""
    expect = task.flaws.get(solution)
    if expect is None or score.status != "scored":
        return False
    racy = {c.id for c in task.contract.cases if any(s.concurrent > 1 for s in c.steps)}
    failing = {c.id for c in score.tests.cases if c.outcome != "passed"}
    missed = set(expect.failing_cases) - failing
    return bool(missed) and missed <= racy and failing <= set(expect.failing_cases)


def check_solution(task: Task, solution: str, sandbox: str, db: str = "sqlite") -> SolutionCheck:
    score = _score(task, solution, sandbox, db)
    for _ in range(RACE_ATTEMPTS - 1):
        if not _missed_only_races(task, solution, score):
            break
        score = _score(task, solution, sandbox, db)
    problems: list[str] = []
    if score.status != "scored":
        problems.append(f"errored: {score.error.message if score.error else ''}")
    elif solution == REFERENCE or solution.startswith("alt-"):
        if not score.resolved:
            failing = [c.id for c in score.tests.cases if c.outcome != "passed"]
            codes = sorted({f.code for f in score.findings})
            problems.append(
                f"not resolved (failing cases: {failing or '-'}, findings: {codes or '-'}"
                + (f", {score.error.kind}: {score.error.message}" if score.error else "")
                + ")"
            )
    else:
        expect = task.flaws[solution]
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
        if not expect.rules and not expect.failing_cases:
            problems.append("expect.yaml names no rule and no case: a flaw must trip something")
    return SolutionCheck(task.id, solution, not problems, tuple(problems), score)


def validate_task(task: Task, sandbox: str = "auto", db: str = "sqlite") -> list[SolutionCheck]:
    """Every solution, as many at once as there are cores (each is a sandboxed pytest run)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        checks = list(
            pool.map(lambda name: check_solution(task, name, sandbox, db), task.solutions)
        )
    if REFERENCE not in task.solutions:
        checks.append(SolutionCheck(task.id, REFERENCE, False, ("no solutions/reference/",)))
    if len(task.flaws) < 2:
        message = f"{len(task.flaws)} flawed solution(s); at least 2 needed"
        checks.append(SolutionCheck(task.id, "(flaws)", False, (message,)))
    return checks
