"""Nothing a model sees, apart from the agent prompt under test, may state or hint at the
architecture rules: every task on every starter is rendered as the model gets it and its
prose (TASK.md, README, comments, docstrings) is scanned."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.tasks.leaks import scan_text, scan_workspace
from harness.tasks.loader import find_tasks
from harness.run.validate import workspace_leaks
from harness.tasks.workspace import render_workspace
from tests.conftest import REPO

TASKS = find_tasks(root=REPO / "tasks")
RENDERS = [(t, s) for t in TASKS for s in t.starters]


@pytest.mark.parametrize(("task", "starter"), RENDERS, ids=[f"{t.id}@{s}" for t, s in RENDERS])
def test_no_workspace_a_model_sees_hints_at_the_rules(task, starter: str) -> None:  # type: ignore[no-untyped-def]
    assert [str(leak) for leak in workspace_leaks(task, starter)] == []


def test_a_planted_hint_is_found_with_its_file_and_line(tmp_path: Path) -> None:
    [task] = [t for t in TASKS if t.id == "orders-create"]
    workspace = render_workspace(task, "legacy", tmp_path / "ws", with_statement=True)
    assert scan_workspace(workspace) == []
    service = workspace / "app" / "services" / "catalog_service.py"
    lines = service.read_text().splitlines()
    lines.insert(3, "# keep services framework-agnostic: never import fastapi here")
    service.write_text("\n".join(lines) + "\n")
    statement = workspace / "TASK.md"
    statement.write_text(statement.read_text() + "\nRun `harness check .` before you finish.\n")
    found = {(leak.path, leak.line, leak.hint) for leak in scan_workspace(workspace)}
    assert ("app/services/catalog_service.py", 4, "framework-agnostic") in found
    assert ("app/services/catalog_service.py", 4, "imports to avoid") in found
    assert ("TASK.md", len(statement.read_text().splitlines()), "the checker") in found


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('"""Services return a Result and never raise."""\n', "return a Result"),
        ('def f():\n    """Map domain errors to HTTP in the API layer."""\n', "layering"),
        ("# UPPER_CASE constants at module level\n", "module-level constants"),
        ("# Optional[UserRepository] = None is a needless repository\n", "repository advice"),
        ("# use the ORM, no raw SQL\n", "raw-SQL advice"),
        ("# time.sleep is blocking inside async def\n", "blocking-call advice"),
        ("x = 1  # keep this a small single-purpose service\n", "god services"),
    ],
)
def test_each_kind_of_hint_is_recognised_in_comments_and_docstrings(text: str, hint: str) -> None:
    assert hint in {leak.hint for leak in scan_text("app/services/x.py", text)}


def test_code_itself_is_not_prose() -> None:
    """A starter shows its conventions in code; only what is said about them counts."""
    code = (
        "from fastapi import HTTPException\n"
        "from app.core.result import failure, success\n\n"
        "def f(repository):\n    raise HTTPException(404)\n"
    )
    assert scan_text("app/services/x.py", code) == []
