"""The benchmark's own evidence: every real task validates (slow: runs every solution)."""

from __future__ import annotations

import pytest

from harness.sandbox.postgres import find_bin_dir
from harness.tasks.loader import STARTERS, find_tasks
from harness.run.validate import validate_task
from tests.conftest import REPO, render_starter

TASKS = find_tasks(root=REPO / "tasks")


def test_there_are_tasks_with_two_flaws_each_on_every_starter() -> None:
    assert len(TASKS) >= 12
    for task in TASKS:
        assert task.spec.tempts, task.id
        for starter in task.starters:
            assert "reference" in task.solutions[starter], (task.id, starter)
            assert len(task.flaws[starter]) >= 2, (task.id, starter)


def test_at_least_twelve_tasks_run_on_all_three_starters() -> None:
    everywhere = [t.id for t in TASKS if set(STARTERS) <= set(t.starters)]
    assert len(everywhere) >= 12, everywhere


def test_alternative_solutions_guard_against_reference_only_tests() -> None:
    for starter in STARTERS:
        with_alt = [
            t.id
            for t in TASKS
            if starter in t.starters and any(s.startswith("alt-") for s in t.solutions[starter])
        ]
        assert len(with_alt) >= 4, (starter, with_alt)


def test_every_legacy_and_bare_task_has_follows_the_neighbours_flaws() -> None:
    """On the starters whose code breaks the rules (or has no layer to follow), the flaws
    that copy the neighbours are what prove the benchmark catches a model without rules:
    raising like the legacy services and bare routes do, and on legacy, reusing the
    Optional-repository pattern."""
    for task in TASKS:
        for starter in ("legacy", "bare"):
            if starter not in task.starters:
                continue
            flaws = task.flaws[starter]
            raising = {n for n, f in flaws.items() if {"ARCH101", "ARCH102"} & set(f.rules)}
            assert raising, (task.id, starter, sorted(flaws))
            if starter == "legacy":
                repository = [n for n, f in flaws.items() if "ARCH401" in f.rules]
                assert repository, (task.id, sorted(flaws))


def test_each_expected_weakness_of_the_baseline_is_the_subject_of_two_tasks() -> None:
    """HTTPException in services, constants in functions, god services: each tempted by two
    tasks at least, and tripped by a flawed solution in two tasks at least."""
    for code in ("ARCH101", "ARCH301", "ARCH202"):
        tempting = [t.id for t in TASKS if code in t.spec.tempts]
        tripped = [
            t.id
            for t in TASKS
            if any(code in f.rules for flaws in t.flaws.values() for f in flaws.values())
        ]
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


TASK_STARTERS = [(t, s) for t in TASKS for s in t.starters]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("task", "starter"), TASK_STARTERS, ids=[f"{t.id}@{s}" for t, s in TASK_STARTERS]
)
def test_task_validates(task, starter: str) -> None:  # type: ignore[no-untyped-def]
    problems = [
        f"{c.solution}: {p}" for c in validate_task(task, starters=(starter,)) for p in c.problems
    ]
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


def test_the_house_style_and_bare_starters_are_clean_and_legacy_has_its_debt(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """Legacy's findings are its tech debt, there to be copied and never counted; the other
    two starters have none."""
    from harness.grading.grader import workspace_findings

    for starter in ("house-style", "bare"):
        assert workspace_findings(render_starter(tmp_path / starter, starter)) == [], starter
    legacy = {f.code for f in workspace_findings(render_starter(tmp_path / "legacy", "legacy"))}
    assert legacy == {"ARCH101", "ARCH301", "ARCH401", "ARCH501", "ARCH602"}


def test_a_racy_flaw_that_slipped_through_gets_another_run() -> None:
    """Only cases with simultaneous requests may be retried, and only when they alone
    were missed: a flaw that fails some other case is judged at once."""
    from harness.core.schema import CaseOutcome, SampleScore, TestsSummary
    from harness.run.validate import _missed_only_races

    [task] = [t for t in TASKS if t.id == "orders-create"]

    def score(failing: list[str]) -> SampleScore:
        cases = [CaseOutcome(id=c, outcome="failed", message="") for c in failing]
        return SampleScore(task_id=task.id, epoch=1, arm="x", status="scored", resolved=False,
                           tests=TestsSummary(passed=0, failed=len(cases), errored=0, expected=12, cases=cases))  # fmt: skip

    hs = "house-style"
    assert _missed_only_races(task, hs, "lost-update", score([]))
    assert not _missed_only_races(
        task, hs, "lost-update", score(["last-units-under-simultaneous-orders"])
    )
    assert not _missed_only_races(task, hs, "lost-update", score(["create-order"]))
    assert not _missed_only_races(task, hs, "float-total", score([]))
