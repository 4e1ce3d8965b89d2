"""ARCH701 out-of-scope-change: a rule of the benchmark, not of `harness check`. It needs
the starter workspace to compare with, so scoring applies it (harness/scoring/score.py);
it is listed with the others by `harness rules`, in docs/rules.md and in the catalog."""

from __future__ import annotations

from harness.core.schema import FindingOut
from harness.rules.catalog import RuleInfo
from harness.rules.finding import Severity
from harness.rules.layers import matches_pattern

OUT_OF_SCOPE_CODE = "ARCH701"
OUT_OF_SCOPE_SLUG = "out-of-scope-change"
OUT_OF_SCOPE_PATTERNS = (
    "app/models", "models.py", "alembic", "migrations", "tests", "test_*.py", "*_test.py", "conftest.py",
)  # fmt: skip


OUT_OF_SCOPE_DOC = """## What it does
Reports, when a sample is scored (`harness run`, `harness score`), every file the agent
created, changed or deleted among the ORM models (`app/models`, `models.py`), migrations
(`alembic`, `migrations`) and tests (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`).
It needs the starter workspace to compare with, so `harness check` cannot report it.

## Why is this bad?
The agent prompt gives these to other roles: models and migrations to the database
architect, tests to the testing engineer. A backend agent that adds a column the model
already has under another name, writes a migration, or writes tests has left its lane,
and its change is what a reviewer must then undo.

## Example
A profile endpoint asked to store a "display name" adds `display_name` to `app/models/user.py`
although `User.full_name` already holds it; or a feature arrives with `tests/test_feature.py`.

Use instead: the existing columns, and a request to the role that owns the rest.
"""


def out_of_scope_findings(changes: dict[str, str]) -> list[FindingOut]:
    """Models, migrations and tests that the agent created, changed or deleted."""
    findings = []
    for path, change in sorted(changes.items()):
        if any(matches_pattern(path, pattern) for pattern in OUT_OF_SCOPE_PATTERNS):
            findings.append(
                FindingOut(
                    code=OUT_OF_SCOPE_CODE,
                    rule=OUT_OF_SCOPE_SLUG,
                    severity="error",
                    path=path,
                    line=1,
                    column=1,
                    message=f"Agent {change} {path}: models, migrations and tests belong to other roles",
                )
            )
    return findings


OUT_OF_SCOPE = RuleInfo(OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG, Severity.ERROR, "run")
