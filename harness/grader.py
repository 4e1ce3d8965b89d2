"""Grade a workspace: the checker, the generated suite in the sandbox, and the scope diff.

Shared by `harness run` (after the model's turn) and `harness score` (a workspace made by
hand or by Claude Code), so both give the same SampleScore for the same files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness.checker.run import check_paths
from harness.report.schema import CaseOutcome, FindingOut, SampleError, SampleScore
from harness.sandbox import Limits, ensure_sandbox
from harness.scoring import score_sample, summarize_tests
from harness.solver import Transcript
from harness.tasks.loader import Task
from harness.tasks.suite import APP_HOST_FAILED, run_suite
from harness.tasks.workspace import changed_files, render_workspace, snapshot

SQLITE, POSTGRES = "sqlite", "postgres"
# Test-run errors that are the harness's failure, not the model's: the sample is errored
# (retried on resume, counted by the `max_errored` gate), never scored as failing.
HARNESS_TEST_ERRORS = frozenset({APP_HOST_FAILED})
DATABASES = (SQLITE, POSTGRES)
_starters: dict[Path, dict[str, str]] = {}


def starter_snapshot(task: Task) -> dict[str, str]:
    """The starter workspace's file hashes, rendered once per task per process."""
    if task.path not in _starters:
        with tempfile.TemporaryDirectory(prefix="harness-starter-") as tmp:
            _starters[task.path] = snapshot(render_workspace(task, Path(tmp) / "ws"))
    return _starters[task.path]


def workspace_findings(workspace: Path) -> list[FindingOut]:
    result = check_paths(["."], cwd=workspace.resolve())
    return [FindingOut.model_validate(f.to_dict()) for f in result.findings]


def _run_suite(task: Task, workspace: Path, sandbox: str, limits: Limits, db: str):  # type: ignore[no-untyped-def]
    """The generated suite on SQLite files, or on a fresh PostgreSQL database of its own."""
    if db == SQLITE:
        return run_suite(task.id, task.contract, workspace, mode=sandbox, limits=limits)
    from harness.postgres import shared_server

    server = shared_server()
    database = server.create_database()
    try:
        return run_suite(
            task.id, task.contract, workspace, mode=sandbox, limits=limits, database=database
        )
    finally:
        server.drop_database(database)


def grade_workspace(
    task: Task,
    workspace: Path,
    *,
    epoch: int = 1,
    arm: str = "manual",
    sandbox: str = "auto",
    transcript: Transcript | None = None,
    db: str = SQLITE,
) -> SampleScore:
    ensure_sandbox(sandbox)
    changes = changed_files(starter_snapshot(task), snapshot(workspace))
    findings = workspace_findings(workspace)
    limits = Limits(wall_seconds=task.spec.limits.test_seconds)
    run = _run_suite(task, workspace, sandbox, limits, db)
    tests = summarize_tests(
        (CaseOutcome(id=c.id, outcome=c.outcome, message=c.message) for c in run.cases),
        run.expected,
    )  # type: ignore[arg-type]
    error = SampleError(kind=run.error[0], message=run.error[1]) if run.error else None
    score = score_sample(
        task_id=task.id,
        epoch=epoch,
        arm=arm,
        findings=findings,
        tests=tests,
        changes=changes,
        test_error=error,
        usage=transcript.usage if transcript else None,
        stop_reason=transcript.stop_reason if transcript else "",
        turns=transcript.turns if transcript else 0,
        duration_s=transcript.duration_s if transcript else 0.0,
    )
    if error is not None and error.kind in HARNESS_TEST_ERRORS:
        return score.model_copy(update={"status": "errored"})
    return score
