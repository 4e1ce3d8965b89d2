"""Grade a workspace: the checker, the generated suite in the sandbox, and the scope diff,
against the starter it was rendered from (only what the agent introduced counts).

Shared by `harness run` (after the model's turn) and `harness score` (a workspace made by
hand or by Claude Code), so both give the same SampleScore for the same files.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from harness.checker.config import CheckConfig
from harness.checker.run import check_paths
from harness.core.schema import CaseOutcome, FindingOut, SampleError, SampleScore
from harness.core.transcript import Transcript
from harness.rules.layers import Layers
from harness.sandbox.run import Limits, ensure_sandbox
from harness.scoring.evidence import evidence_findings
from harness.scoring.introduced import Located, classify, locate
from harness.scoring.score import score_sample, summarize_tests
from harness.tasks.loader import Task
from harness.tasks.suite import APP_HOST_FAILED, run_suite
from harness.tasks.workspace import changed_files, render_workspace, snapshot

SQLITE, POSTGRES = "sqlite", "postgres"
# Test-run errors that are the harness's failure, not the model's: the sample is errored
# (retried on resume, counted by the `max_errored` gate), never scored as failing.
HARNESS_TEST_ERRORS = frozenset({APP_HOST_FAILED})
DATABASES = (SQLITE, POSTGRES)
LAYERS = Layers()
# The agent prompt mandates Result types, so ARCH102 applies to every sample, whatever
# the starter shows: on legacy and bare a model that raises its own domain errors is
# exactly what the benchmark must catch.
BENCHMARK_CHECK = CheckConfig(result_convention="always")


@dataclass(frozen=True)
class StarterState:
    """What a task's workspace on a starter holds before the agent: its files' hashes and
    its own findings (fingerprinted), to tell the agent's findings from the starter's."""

    files: dict[str, str]
    findings: list[Located]


_starters: dict[tuple[Path, str], StarterState] = {}
_starters_lock = threading.Lock()


def starter_state(task: Task, starter: str) -> StarterState:
    """Rendered and checked once per task and starter per process."""
    key = (task.path, starter)
    with _starters_lock:
        if key not in _starters:
            with tempfile.TemporaryDirectory(prefix="harness-starter-") as tmp:
                root = render_workspace(task, starter, Path(tmp) / "ws")
                findings = locate(workspace_findings(root), _lines_in(root))
                _starters[key] = StarterState(snapshot(root), findings)
        return _starters[key]


def starter_snapshot(task: Task, starter: str) -> dict[str, str]:
    return starter_state(task, starter).files


def workspace_findings(workspace: Path) -> list[FindingOut]:
    result = check_paths(["."], BENCHMARK_CHECK, cwd=workspace.resolve())
    return [FindingOut.model_validate(f.to_dict()) for f in result.findings]


def _lines_in(root: Path):  # type: ignore[no-untyped-def]
    def lines_of(path: str) -> list[str]:
        try:
            return (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    return lines_of


def probe_paths(changes: dict[str, str]) -> tuple[str, ...]:
    """The service modules the agent created or changed: the ones the probe imports."""
    return tuple(
        path
        for path, change in changes.items()
        if change != "deleted" and path.endswith(".py") and LAYERS.is_service(path)
    )


def entry_modules(task: Task) -> dict[str, str]:
    """Service case id -> the path of the module its entry point lives in."""
    return {
        case.id: case.call.target.partition(":")[0].replace(".", "/") + ".py"
        for case in task.contract.cases
        if case.call is not None
    }


def _run_suite(
    task: Task, workspace: Path, sandbox: str, limits: Limits, db: str, probe: tuple[str, ...]
):  # type: ignore[no-untyped-def]
    """The generated suite on SQLite files, or on a fresh PostgreSQL database of its own."""
    case_seconds = task.spec.limits.case_seconds
    if db == SQLITE:
        return run_suite(
            task.id, task.contract, workspace, mode=sandbox, limits=limits, probe_paths=probe,
            case_seconds=case_seconds,
        )  # fmt: skip
    from harness.sandbox.postgres import shared_server

    server = shared_server()
    database = server.create_database()
    try:
        return run_suite(
            task.id, task.contract, workspace, mode=sandbox, limits=limits, database=database,
            probe_paths=probe, case_seconds=case_seconds,
        )  # fmt: skip
    finally:
        server.drop_database(database)


def grade_workspace(
    task: Task,
    starter: str,
    workspace: Path,
    *,
    epoch: int = 1,
    arm: str = "manual",
    sandbox: str = "auto",
    transcript: Transcript | None = None,
    db: str = SQLITE,
) -> SampleScore:
    ensure_sandbox(sandbox)
    before = starter_state(task, starter)
    changes = changed_files(before.files, snapshot(workspace))
    static = workspace_findings(workspace)
    limits = Limits(wall_seconds=task.spec.limits.test_seconds)
    run = _run_suite(task, workspace, sandbox, limits, db, probe_paths(changes))
    tests = summarize_tests(
        (CaseOutcome(id=c.id, outcome=c.outcome, message=c.message) for c in run.cases),
        run.expected,
    )  # type: ignore[arg-type]
    error = SampleError(kind=run.error[0], message=run.error[1]) if run.error else None
    evidence, runtime = evidence_findings(run.evidence, changes, entry_modules(task), static)
    origins = classify(
        locate([*static, *runtime], _lines_in(workspace)),
        before.findings,
        changes,
        task.spec.must_end_clean,
    )
    score = score_sample(
        task_id=task.id,
        starter=starter,
        epoch=epoch,
        arm=arm,
        origins=origins,
        evidence=evidence,
        tests=tests,
        changes=changes,
        test_error=error,
        usage=transcript.usage if transcript else None,
        stop_reason=transcript.stop_reason if transcript else "",
        turns=transcript.turns if transcript else 0,
        cached_turns=transcript.cached_turns if transcript else 0,
        duration_s=transcript.duration_s if transcript else 0.0,
    )
    if error is not None and error.kind in HARNESS_TEST_ERRORS:
        return score.model_copy(update={"status": "errored"})
    return score
