"""The benchmark's own evidence: every real task validates (slow: runs every solution)."""

from __future__ import annotations

import pytest

from harness.tasks.loader import find_tasks
from harness.tasks.validate import validate_task
from tests.conftest import REPO

TASKS = find_tasks(root=REPO / "tasks")


def test_there_are_tasks_with_two_flaws_each() -> None:
    assert len(TASKS) >= 3
    for task in TASKS:
        assert "reference" in task.solutions and len(task.flaws) >= 2, task.id
        assert task.spec.tempts, task.id


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_task_validates(task) -> None:  # type: ignore[no-untyped-def]
    problems = [f"{c.solution}: {p}" for c in validate_task(task) for p in c.problems]
    assert problems == []


def test_the_base_workspace_is_clean() -> None:
    """The starter has no findings, so every finding in a sample is the model's."""
    from harness.grader import workspace_findings

    assert workspace_findings(REPO / "tasks" / "_base") == []
