"""A workspace whose app never answers some requests: each such case costs its own time
limit (`case_seconds`) and fails saying so, with the request's method and path; the app host
is started again and the other cases are scored as usual. The suite's limit
(`test_seconds`) is only the last resort, never reached here.

Before the per-case limit, the orders-create reference with one planted hang (quantity 3)
took the whole suite limit (182 s measured) and every case failed.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from harness.grading.grader import grade_workspace
from harness.tasks.loader import Task, load_task
from harness.tasks.workspace import copy_layers, render_workspace
from tests.conftest import REPO

CASE_SECONDS = 3.0
SUITE_SECONDS = 170.0  # as the tasks' default: a run that reached it would say so
# What a timed-out case may cost beyond its limit: killing the hung host and starting the
# next one, generous for a loaded 2-core machine.
RESTART_SLACK = 10.0
STARTER = "house-style"
ROUTE = "app/api/routes/orders.py"
SERVICE = "app/services/order_service.py"
ROUTE_BODY = "    items = [item.model_dump() for item in payload.items]\n"
HANG_ON_SOME = (
    "    if any(item.quantity == 3 or item.product_id == 5 for item in payload.items):\n"
    "        import threading\n"
    "        threading.Event().wait()  # never answers\n"
) + ROUTE_BODY
SERVICE_BODY = '        """Create a pending order for `user_id`. All or nothing: a failure writes nothing."""\n'
HANG_ALWAYS = SERVICE_BODY + "        import time\n        time.sleep(10**6)\n"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed"),
]


@pytest.fixture(scope="module")
def task() -> Task:
    """orders-create, with a short per-case limit so that the test stays short."""
    loaded = load_task(REPO / "tasks" / "orders-create")
    limits = loaded.spec.limits.model_copy(
        update={"case_seconds": CASE_SECONDS, "test_seconds": SUITE_SECONDS}
    )
    return dataclasses.replace(loaded, spec=loaded.spec.model_copy(update={"limits": limits}))


def reference(task: Task, where: Path) -> Path:
    workspace = render_workspace(task, STARTER, where)
    return copy_layers(task.solution_layers(STARTER, "reference"), workspace)


def plant(workspace: Path, path: str, old: str, new: str) -> None:
    source = workspace / path
    text = source.read_text()
    assert old in text, f"{path} changed: plant the hang elsewhere"
    source.write_text(text.replace(old, new))


def graded(task: Task, workspace: Path):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    score = grade_workspace(task, STARTER, workspace, sandbox="bwrap")
    return score, time.monotonic() - started


def test_an_endpoint_that_hangs_costs_its_cases_limit_and_the_others_are_scored(
    task: Task, tmp_path: Path
) -> None:
    clean, clean_seconds = graded(task, reference(task, tmp_path / "clean"))
    assert clean.resolved, clean.tests
    workspace = reference(task, tmp_path / "hung")
    plant(workspace, ROUTE, ROUTE_BODY, HANG_ON_SOME)
    score, seconds = graded(task, workspace)
    assert score.status == "scored" and score.error is None, score.error
    outcomes = {case.id: case for case in score.tests.cases}
    hung = {"total-is-exact-decimal": "POST /orders", "last-units-under-simultaneous-orders": "16 simultaneous POST /orders"}  # fmt: skip
    for case_id, request in hung.items():
        assert outcomes[case_id].outcome == "failed"
        assert f"timed out after {CASE_SECONDS:g} s: {request};" in outcomes[case_id].message
    passed = {case_id for case_id, case in outcomes.items() if case.outcome == "passed"}
    assert passed == set(outcomes) - set(hung)  # every other case ran, on a fresh host
    assert {e.case: e.outcome for e in score.evidence} == {
        e.case: e.outcome for e in clean.evidence
    }
    assert seconds <= clean_seconds + len(hung) * (CASE_SECONDS + RESTART_SLACK)


def test_hangs_in_more_cases_than_the_host_may_crash_are_each_timed_out(
    task: Task, tmp_path: Path
) -> None:
    """A restart after a timeout is not one of the few a crashing app is allowed: every
    case that reaches the hung service times out on its own; the others still pass."""
    workspace = reference(task, tmp_path / "ws")
    plant(workspace, SERVICE, SERVICE_BODY, HANG_ALWAYS)
    score, seconds = graded(task, workspace)
    assert score.status == "scored" and score.error is None, score.error
    timed_out = [c.id for c in score.tests.cases if "timed out after" in c.message]
    never_reach_the_service = {"requires-authentication"}  # 401 before the route's body
    assert len(timed_out) == len(score.tests.cases) - len(never_reach_the_service) == 6
    assert {c.id for c in score.tests.cases if c.outcome == "passed"} == never_reach_the_service
    calls = {e.case: e for e in score.evidence if e.case.startswith("service-")}
    assert len(calls) == 4 and all(e.outcome == "not-run" for e in calls.values())
    assert all("timed out after" in e.message for e in calls.values())
    assert seconds <= (len(timed_out) + len(calls)) * (CASE_SECONDS + RESTART_SLACK)
