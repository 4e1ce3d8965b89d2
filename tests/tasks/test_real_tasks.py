"""The benchmark's own evidence: every real task validates (slow: runs every solution)."""

from __future__ import annotations

import pytest

from harness.postgres import find_bin_dir
from harness.tasks.loader import find_tasks
from harness.tasks.validate import validate_task
from tests.conftest import REPO

TASKS = find_tasks(root=REPO / "tasks")


def test_there_are_tasks_with_two_flaws_each() -> None:
    assert len(TASKS) >= 12
    for task in TASKS:
        assert "reference" in task.solutions and len(task.flaws) >= 2, task.id
        assert task.spec.tempts, task.id


def test_alternative_solutions_guard_against_reference_only_tests() -> None:
    with_alt = [t.id for t in TASKS if any(s.startswith("alt-") for s in t.solutions)]
    assert len(with_alt) >= 4, with_alt


def test_each_expected_weakness_of_the_baseline_is_the_subject_of_two_tasks() -> None:
    """HTTPException in services, constants in functions, god services: each tempted by two
    tasks at least, and tripped by a flawed solution in two tasks at least."""
    for code in ("ARCH101", "ARCH301", "ARCH202"):
        tempting = [t.id for t in TASKS if code in t.spec.tempts]
        tripped = [t.id for t in TASKS if any(code in f.rules for f in t.flaws.values())]
        assert len(tempting) >= 2 and len(tripped) >= 2, (code, tempting, tripped)


def test_one_task_sends_simultaneous_requests() -> None:
    concurrent = [
        t.id for t in TASKS for c in t.contract.cases for s in c.steps if s.concurrent > 1
    ]
    assert concurrent, "no task has a `concurrent` step"


def test_every_area_the_prompt_covers_has_a_task() -> None:
    categories = {t.spec.category for t in TASKS}
    for area in (
        "authentication",
        "orders",
        "payments",
        "invoicing",
        "notifications",
        "refactoring",
    ):
        assert area in categories, (area, sorted(categories))


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_task_validates(task) -> None:  # type: ignore[no-untyped-def]
    problems = [f"{c.solution}: {p}" for c in validate_task(task) for p in c.problems]
    assert problems == []


CONCURRENT_TASKS = [
    t for t in TASKS if any(s.concurrent > 1 for c in t.contract.cases for s in c.steps)
]


@pytest.mark.slow
@pytest.mark.skipif(
    find_bin_dir() is None, reason="PostgreSQL is not installed (apt-get install postgresql)"
)
@pytest.mark.parametrize("task", CONCURRENT_TASKS, ids=[t.id for t in CONCURRENT_TASKS])
def test_the_concurrency_task_validates_on_postgres(task) -> None:  # type: ignore[no-untyped-def]
    problems = [
        f"{c.solution}: {p}" for c in validate_task(task, db="postgres") for p in c.problems
    ]
    assert problems == []


def test_the_base_workspace_is_clean() -> None:
    """The starter has no findings, so every finding in a sample is the model's."""
    from harness.grader import workspace_findings

    assert workspace_findings(REPO / "tasks" / "_base") == []


def test_a_racy_flaw_that_slipped_through_gets_another_run() -> None:
    """Only cases with simultaneous requests may be retried, and only when they alone
    were missed: a flaw that fails some other case is judged at once."""
    from harness.report.schema import CaseOutcome, SampleScore, TestsSummary
    from harness.tasks.validate import _missed_only_races

    [task] = [t for t in TASKS if t.id == "orders-create"]

    def score(failing: list[str]) -> SampleScore:
        cases = [CaseOutcome(id=c, outcome="failed", message="") for c in failing]
        return SampleScore(task_id=task.id, epoch=1, arm="x", status="scored", resolved=False,
                           tests=TestsSummary(passed=0, failed=len(cases), errored=0, expected=12, cases=cases))  # fmt: skip

    assert _missed_only_races(task, "lost-update", score([]))
    assert not _missed_only_races(
        task, "lost-update", score(["last-units-under-simultaneous-orders"])
    )
    assert not _missed_only_races(task, "lost-update", score(["create-order"]))
    assert not _missed_only_races(task, "float-total", score([]))
