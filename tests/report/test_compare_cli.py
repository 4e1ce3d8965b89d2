"""`harness compare` as a new user runs it: two oracle runs, or the two arms of one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.app import main


@pytest.fixture
def runs(tasks_root: Path, tmp_path: Path) -> tuple[Path, Path]:
    good, flawed = tmp_path / "good", tmp_path / "flawed"
    assert main(["run", "--agent", "baseline", "--model", "oracle", "--out", str(good)]) == 0
    assert (
        main(["run", "--agent", "baseline", "--model", "oracle:http-exc", "--out", str(flawed)])
        == 0
    )
    return good, flawed


@pytest.mark.slow
def test_compare_names_the_rules_that_got_worse_and_gates_on_them(
    runs, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    good, flawed = runs
    capsys.readouterr()
    out = tmp_path / "comparison.md"
    assert main(["compare", str(good), str(flawed), "--format", "markdown", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    for slug in ("http-exception-in-service", "framework-import-in-service", "raw-sql"):
        assert f"| {slug} |" in text
    assert out.read_text() == text
    threshold = tmp_path / "gate.yaml"
    threshold.write_text("name: gate\ngates: {max_compliance_drop: 0.1}\n")
    gate = ["compare", str(good), str(flawed), "--format", "json", "--fail-on-regression"]
    # the two runs used different models: said always, and refused as a gate unless allowed
    assert main([*gate, "--eval", str(threshold)]) == 2
    refused = capsys.readouterr().err
    assert "warning: the runs differ in model (oracle -> oracle:http-exc)" in refused
    assert (
        refused.strip()
        .splitlines()[-1]
        .startswith("harness: --fail-on-regression: the runs differ in model")
    )
    code = main([*gate, "--eval", str(threshold), "--allow-mismatch"])
    captured = capsys.readouterr()
    assert code == 1
    assert "regression: http-exception-in-service (ARCH101) compliance fell" in captured.err
    assert json.loads(captured.out)["head"]["label"] == "flawed"
    assert (
        main(["compare", str(good), str(good), "--fail-on-regression", "--eval", str(threshold)])
        == 0
    )


@pytest.mark.slow
def test_one_run_with_two_arms_compares_its_arms(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run = tmp_path / "arms"
    agent = Path(__file__).resolve().parents[2] / "agents" / "fastapi-backend-architect.md"
    argv = [
        "run",
        "--agent",
        "baseline",
        "--agent",
        str(agent),
        "--model",
        "oracle",
        "--out",
        str(run),
    ]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["compare", str(run), "--format", "json"]) == 0
    comparison = json.loads(capsys.readouterr().out)
    assert comparison["base"]["label"].endswith("/baseline")
    assert comparison["head"]["label"].endswith("/fastapi-backend-architect")


def test_a_run_with_one_arm_cannot_be_compared_with_itself(
    tasks_root: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    run = tmp_path / "one"
    assert (
        main(["run", "--agent", "baseline", "--model", "oracle", "--no-score", "--out", str(run)])
        == 0
    )
    capsys.readouterr()
    assert main(["compare", str(run)]) == 2
    assert "compares its arms only when it has two" in capsys.readouterr().err


def test_comparing_missing_or_broken_reports_is_bad_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "report.json"
    broken.write_text('{"schema_version": 1, "run": {')
    assert main(["compare", str(tmp_path / "nope"), str(broken)]) == 2
    assert "no such run directory" in capsys.readouterr().err
    assert main(["compare", str(broken), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and len(err.strip().splitlines()) == 1
