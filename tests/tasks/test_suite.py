"""The generated suite: accepts the reference, rejects flaws, and cannot be fooled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.tasks.loader import find_tasks, load_task
from harness.tasks.suite import PROBE_ID, TAMPERING, render_suite, run_suite
from harness.tasks.workspace import render_workspace
from tests.conftest import REPO


@pytest.fixture
def task(tasks_root: Path):  # type: ignore[no-untyped-def]
    return load_task(tasks_root / "health-db")


def solved(task, tmp_path: Path, solution: str = "reference") -> Path:  # type: ignore[no-untyped-def]
    workspace = render_workspace(task, tmp_path / "ws")
    shutil.copytree(
        task.solutions[solution],
        workspace,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("expect.yaml"),
    )
    return workspace


def outcomes(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.id: c.outcome for c in run.cases}


def test_every_real_task_renders_a_suite_that_compiles() -> None:
    for task in find_tasks(root=REPO / "tasks"):
        files = render_suite(task.id, task.contract)
        compile(files["test_contract.py"], task.id, "exec")
        assert files["test_contract.py"].count("\ndef test_") == len(task.contract.cases) + 1


def test_reference_passes_and_flaw_fails(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = run_suite(task.id, task.contract, solved(task, tmp_path))
    assert run.error is None and outcomes(run) == {
        "healthy": "passed",
        "service-check": "passed",
        PROBE_ID: "passed",
    }
    flawed = run_suite(task.id, task.contract, solved(task, tmp_path / "f", "http-exc"))
    assert outcomes(flawed) == {"healthy": "passed", "service-check": "failed", PROBE_ID: "failed"}
    assert "fastapi" in next(c.message for c in flawed.cases if c.id == PROBE_ID)


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
    workspace = render_workspace(task, tmp_path / "ws")  # the unsolved starter
    for name, content in TAMPERING_FILES.items():
        (workspace / name).write_text(content)
    run = run_suite(task.id, task.contract, workspace)
    assert run.error is None
    assert outcomes(run)["healthy"] == "failed" and outcomes(run)["service-check"] == "failed"


def test_exit_during_the_tests_is_tampering(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = solved(task, tmp_path)
    routes = workspace / "app/api/routes/health.py"
    routes.write_text(
        routes.read_text().replace("    check_database(db)\n", "    import os; os._exit(0)\n")
    )
    run = run_suite(task.id, task.contract, workspace)
    assert run.error is not None and run.error[0] == TAMPERING


def test_forged_output_is_not_believed(task, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = render_workspace(task, tmp_path / "ws")
    (workspace / "app/__init__.py").write_text("print('test_healthy PASSED\\n3 passed in 0.1s')\n")
    run = run_suite(task.id, task.contract, workspace)
    assert outcomes(run)["healthy"] == "failed"
