"""Only what the agent introduced counts: findings matched against the starter's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.schema import FindingOut
from harness.scoring.introduced import Located, classify, fingerprint
from harness.tasks.loader import find_tasks
from harness.tasks.workspace import render_workspace
from tests.conftest import REPO


def finding(
    code: str, path: str, line: int, message: str = "m", source: str = "static"
) -> FindingOut:
    return FindingOut(
        code=code, rule="r", severity="error", path=path, line=line, column=1,
        message=message, source=source,  # type: ignore[arg-type]
    )  # fmt: skip


def at(
    code: str, path: str, line: int, text: str, message: str = "m", source: str = "static"
) -> Located:
    return Located(finding(code, path, line, message, source), fingerprint(text))


RAISE = "        raise HTTPException(status_code=404)"


def test_a_moved_line_is_still_the_starters_and_a_new_one_is_the_agents() -> None:
    starter = [at("ARCH101", "app/services/a.py", 10, RAISE)]
    sample = [
        at("ARCH101", "app/services/a.py", 14, "  raise   HTTPException(status_code=404)"),
        at("ARCH101", "app/services/a.py", 20, "        raise HTTPException(status_code=409)"),
    ]
    origins = classify(sample, starter, {"app/services/a.py": "modified"})
    assert [f.line for f in origins.pre_existing] == [14]
    assert [f.line for f in origins.counted] == [20]
    assert origins.fixed == []


def test_two_identical_lines_need_two_starter_findings() -> None:
    starter = [at("ARCH101", "app/services/a.py", 10, RAISE)]
    sample = [at("ARCH101", "app/services/a.py", n, RAISE) for n in (10, 30)]
    origins = classify(sample, starter, {"app/services/a.py": "modified"})
    assert [f.line for f in origins.pre_existing] == [10]
    assert [f.line for f in origins.counted] == [30]


def test_a_changed_line_with_the_same_message_still_matches() -> None:
    """A file-level finding whose line changed (an import added above a module's first
    line) is the starter's as long as rule, path and message agree."""
    starter = [at("ARCH203", "app/services/big.py", 1, '"""Big."""', message="module too big")]
    sample = [at("ARCH203", "app/services/big.py", 1, "import os", message="module too big")]
    origins = classify(sample, starter, {"app/services/big.py": "modified"})
    assert origins.counted == [] and len(origins.pre_existing) == 1


def test_rule_and_path_must_agree_and_what_is_gone_was_fixed() -> None:
    starter = [
        at("ARCH101", "app/services/a.py", 10, RAISE),
        at("ARCH602", "app/services/r.py", 5, "text('SELECT 1')"),
    ]
    sample = [at("ARCH101", "app/services/b.py", 10, RAISE)]
    origins = classify(sample, starter, {"app/services/b.py": "added"})
    assert [f.path for f in origins.counted] == ["app/services/b.py"]
    assert sorted(f.path for f in origins.fixed) == ["app/services/a.py", "app/services/r.py"]


def test_a_static_finding_in_a_file_the_agent_did_not_touch_is_not_its_own() -> None:
    sample = [at("ARCH102", "app/services/old.py", 3, "raise Gone()")]
    assert classify(sample, [], {}).counted == []
    runtime = [at("ARCH102", "app/services/old.py", 3, "raise Gone()", source="runtime")]
    assert len(classify(runtime, [], {}).counted) == 1  # the agent's call reached it


def test_code_a_refactoring_names_must_end_clean() -> None:
    starter = [at("ARCH101", "app/services/order_service.py", 10, RAISE)]
    sample = [at("ARCH101", "app/services/order_service.py", 10, RAISE)]
    origins = classify(sample, starter, {}, must_end_clean=["app/services/order_service.py"])
    assert len(origins.counted) == 1 and origins.pre_existing == []


@pytest.mark.slow
def test_one_new_raise_in_a_legacy_workspace_is_exactly_what_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The legacy starter is full of findings; adding one HTTPException raise (and its
    import) to a module makes exactly those two introduced, the debt listed apart."""
    [task] = [t for t in find_tasks(root=REPO / "tasks") if t.id == "orders-create"]
    workspace = render_workspace(task, "legacy", tmp_path / "ws")
    module = workspace / "app" / "services" / "report_service.py"
    lines = module.read_text().splitlines()
    lines.insert(2, "from fastapi import HTTPException")  # every line below moves down
    lines += [
        "",
        "",
        "def require_report(rows):",
        "    if not rows:",
        "        raise HTTPException(status_code=404)",
        "    return rows",
    ]
    module.write_text("\n".join(lines) + "\n")
    argv = [
        "score",
        "--task",
        "orders-create",
        "--starter",
        "legacy",
        str(workspace),
        "--format",
        "json",
    ]
    code = main(argv)
    score = json.loads(capsys.readouterr().out)
    assert code == 1 and score["starter"] == "legacy"
    introduced = [(f["code"], f["path"], f["line"]) for f in score["findings"]]
    assert introduced == [
        ("ARCH501", "app/services/report_service.py", 3),
        ("ARCH101", "app/services/report_service.py", len(lines) - 1),
    ]
    pre = {(f["code"], f["path"]) for f in score["pre_existing"]}
    assert ("ARCH602", "app/services/report_service.py") in pre  # moved, still the starter's
    assert {"ARCH101", "ARCH301", "ARCH401", "ARCH501", "ARCH602"} <= {code for code, _ in pre}
    assert score["fixed"] == []
