"""The generated suite: accepts the reference, rejects flaws, and cannot be fooled."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from harness.grading.grader import grade_workspace
from harness.tasks import app_host, suite
from harness.tasks.loader import find_tasks, load_task
from harness.tasks.suite import APP_HOST_FAILED, PROBE_ID, TAMPERING, render_suite, run_suite
from harness.tasks.workspace import render_workspace
from tests.conftest import REPO


@pytest.fixture
def task(tasks_root: Path):  # type: ignore[no-untyped-def]
    return load_task(tasks_root / "health-db")


def solved(task, tmp_path: Path, solution: str = "reference") -> Path:  # type: ignore[no-untyped-def]
    workspace = render_workspace(task, "house-style", tmp_path / "ws")
    shutil.copytree(
        task.solutions["house-style"][solution],
        workspace,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("expect.yaml"),
    )
    return workspace


def outcomes(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.id: c.outcome for c in run.cases}


def evidence(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e.case: e.outcome for e in run.evidence}


def test_every_real_task_renders_a_suite_that_compiles() -> None:
    for task in find_tasks(root=REPO / "tasks"):
        files = render_suite(task.id, task.contract)
        compile(files["test_contract.py"], task.id, "exec")
        assert files["test_contract.py"].count("\ndef test_") == len(task.contract.cases) + 1


def test_reference_passes_and_flaw_fails(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """HTTP cases are behaviour; the service case and the probe are rule evidence only."""
    probe = ("app/services/health_service.py",)
    run = run_suite(task.id, task.contract, solved(task, tmp_path), probe_paths=probe)
    assert run.error is None and outcomes(run) == {"healthy": "passed"}
    assert (run.expected, run.generated) == (1, 3)
    assert evidence(run) == {"service-check": "success-value", PROBE_ID: "imports-cleanly"}
    flawed = run_suite(
        task.id, task.contract, solved(task, tmp_path / "f", "http-exc"), probe_paths=probe
    )
    assert outcomes(flawed) == {"healthy": "passed"}
    assert evidence(flawed) == {"service-check": "success-value", PROBE_ID: "imports-framework"}
    [probed] = [e for e in flawed.evidence if e.case == PROBE_ID]
    assert probed.message.startswith("app/services/health_service.py\t") and "fastapi" in probed.message


TAMPERING_FILES = {
    "conftest.py": "import pytest\n\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n    pass\n"
    "def pytest_collection_modifyitems(items):\n    items.clear()\n",
    "pytest.ini": "[pytest]\naddopts = -p no:junitxml --co\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
    "setup.cfg": "[tool:pytest]\naddopts = -k nothing\n",
    "sitecustomize.py": "import os\nos._exit(0)\n",
    "usercustomize.py": "import os\nos._exit(0)\n",
    "app/services/evil.pth": "import os; os._exit(0)\n",
}


def test_workspace_config_conftest_and_startup_hooks_are_ignored(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = render_workspace(task, "house-style", tmp_path / "ws")  # the unsolved starter
    for name, content in TAMPERING_FILES.items():
        (workspace / name).write_text(content)
    run = run_suite(task.id, task.contract, workspace)
    assert run.error is None
    assert outcomes(run) == {"healthy": "failed"}
    assert evidence(run)["service-check"] == "missing-entry-point"


def with_extra_test(monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """Append a test to the generated suite, as only the harness could."""
    render = suite.render_suite

    def rendered(task_id, contract):  # type: ignore[no-untyped-def]
        files = render(task_id, contract)
        files["test_contract.py"] += "\n\ndef test_zz_extra():\n" + body
        return files

    monkeypatch.setattr(suite, "render_suite", rendered)


def test_exit_during_the_tests_fails_that_case_only(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The app runs in its own process: an exit ends that process, not the tests, and the
    host is started again for the next case."""
    workspace = solved(task, tmp_path)
    routes = workspace / "app/api/routes/health.py"
    routes.write_text(
        routes.read_text().replace("    check_database(db)\n", "    import os; os._exit(0)\n")
    )
    run = run_suite(task.id, task.contract, workspace)
    assert run.error is None, run.error
    assert outcomes(run) == {"healthy": "failed"}
    assert evidence(run) == {"service-check": "success-value", PROBE_ID: "imports-cleanly"}
    message = next(c.message for c in run.cases if c.id == "healthy")
    assert "the app's process ended during this request" in message


def test_fewer_executed_tests_than_generated_is_tampering(
    task, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The count check stays: a pytest process that ends before writing its results (here
    the generated suite itself exits, as only harness code could now) is not believed."""
    with_extra_test(monkeypatch, "    import os\n    os._exit(0)\n")
    run = run_suite(task.id, task.contract, solved(task, tmp_path))
    assert run.error is not None and run.error[0] == TAMPERING


def test_forged_output_is_not_believed(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = render_workspace(task, "house-style", tmp_path / "ws")
    (workspace / "app/__init__.py").write_text("print('test_healthy PASSED\\n3 passed in 0.1s')\n")
    run = run_suite(task.id, task.contract, workspace)
    assert outcomes(run)["healthy"] == "failed"


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_the_tests_see_neither_the_workspace_nor_the_app_host(
    task, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    with_extra_test(
        monkeypatch,
        "    import os\n"
        "    assert os.listdir('/workspace') == [], os.listdir('/workspace')\n"
        "    assert sorted(os.listdir('/harness')) == ['app', 'control', 'results', 'suite']\n"
        "    assert os.listdir('/harness/app') == ['app.sock']\n",
    )
    run = run_suite(task.id, task.contract, solved(task, tmp_path))
    assert run.error is not None and run.error[0] == TAMPERING  # one test more than generated
    assert outcomes(run) == {"healthy": "passed", "test_zz_extra": "passed"}, run.cases


def test_an_app_that_does_not_import_fails_its_cases_with_the_traceback(
    task, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A normal model failure: the host reports the import error for every case."""
    workspace = solved(task, tmp_path)
    (workspace / "app" / "main.py").write_text("import no_such_module\n")
    run = run_suite(task.id, task.contract, workspace)
    assert run.error is None, run.error
    assert outcomes(run) == {"healthy": "error"}
    # the call itself could not be made: evidence of nothing, with the reason
    assert evidence(run) == {"service-check": "not-run", PROBE_ID: "imports-cleanly"}
    [call] = [e for e in run.evidence if e.case == "service-check"]
    assert "No module named 'no_such_module'" in call.message
    message = next(c.message for c in run.cases if c.id == "healthy")
    assert "ModuleNotFoundError: No module named 'no_such_module'" in message, message


def test_a_host_that_cannot_start_is_the_harness_failure(
    task, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Before any app code runs: `app-host-failed`, and the sample is errored, not failed."""
    monkeypatch.setattr(
        app_host,
        "host_files",
        lambda: {"_app_host.py": "raise SystemExit('no host here')\n", "_shared.py": ""},
    )
    workspace = solved(task, tmp_path)
    started = time.monotonic()
    run = run_suite(task.id, task.contract, workspace)
    assert time.monotonic() - started < 30  # the tests were told at once, not left waiting
    assert run.error is not None and run.error[0] == APP_HOST_FAILED
    assert "no host here" in run.error[1]
    score = grade_workspace(task, "house-style", workspace)
    assert score.status == "errored" and not score.resolved
    assert score.error is not None and score.error.kind == APP_HOST_FAILED
