"""Every rule of the prompt is tempted by enough tasks, on enough starters, each with a flaw
that proves the rule is caught; docs/coverage.md shows it and stays current."""

from __future__ import annotations

from harness.cli.app import main
from harness.tasks.coverage import (
    MIN_TASKS,
    RULE_CODES,
    cell,
    covering_tasks,
    render_markdown,
    shortfalls,
)
from harness.tasks.loader import find_tasks
from tests.conftest import REPO

TASKS = find_tasks(root=REPO / "tasks")
COVERAGE = REPO / "docs" / "coverage.md"


def test_every_rule_is_tempted_and_caught_by_three_tasks_on_two_starters() -> None:
    assert shortfalls(TASKS) == []
    assert {"ARCH101", "ARCH602", "ARCH701"} <= set(RULE_CODES) and "ARCH000" not in RULE_CODES


def test_the_coverage_table_in_the_docs_is_current() -> None:
    assert COVERAGE.read_text(encoding="utf-8") == render_markdown(TASKS), (
        "docs/coverage.md is out of date: run `harness tasks coverage --out docs/coverage.md`"
    )


def test_a_rule_below_three_tasks_is_a_shortfall_and_fails_the_command(capsys) -> None:  # type: ignore[no-untyped-def]
    """Proving a rule in only two tasks (the others' flaws no longer trip it) makes it short."""
    code = "ARCH602"
    covering = covering_tasks(TASKS, code)
    assert len(covering) >= MIN_TASKS
    kept = set(covering[:2])
    thinned = []
    for task in TASKS:
        if task.id in covering and task.id not in kept:
            flaws = {
                starter: {
                    n: f.model_copy(update={"rules": [r for r in f.rules if r != code]})
                    for n, f in named.items()
                }
                for starter, named in task.flaws.items()
            }
            task = type(task)(
                task.spec, task.contract, task.path, task.root, task.starters, task.solutions, flaws
            )
        thinned.append(task)
    assert [line.split(" ")[0] for line in shortfalls(thinned)] == [code]
    assert not cell(thinned[[t.id for t in thinned].index(covering[-1])], "legacy", code).proven


def test_the_command_writes_the_table_and_passes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HARNESS_TASKS_DIR", str(REPO / "tasks"))
    out = tmp_path / "coverage.md"
    assert main(["tasks", "coverage", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_markdown(TASKS)
