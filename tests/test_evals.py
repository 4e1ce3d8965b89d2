"""Eval suites: loading, gates, and `harness run --eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import InputError
from harness.evals import Gates, failed_gates, load_eval
from harness.report.schema import Aggregates

REPO = Path(__file__).resolve().parents[1]


def test_the_shipped_evals_load_and_name_real_tasks() -> None:
    from harness.tasks.loader import find_tasks

    for name in ("default", "smoke"):
        suite = load_eval(REPO / "evals" / f"{name}.yaml")
        assert suite.agents == ["fastapi-backend-architect"]
        assert find_tasks(suite.task_pattern, REPO / "tasks")
    assert len(load_eval(REPO / "evals" / "smoke.yaml").tasks) == 3


def test_gates_name_each_miss() -> None:
    aggregates = Aggregates(
        samples=4, resolved=1, resolved_rate=0.25, test_pass_rate=0.8, errored=1,
        rule_compliance={"http-exception-in-service": 0.5, "raw-sql": 1.0},
    )  # fmt: skip
    gates = Gates(
        min_resolved_rate=0.5, min_test_pass_rate=0.8, max_errored=0,
        min_rule_compliance={"http-exception-in-service": 0.75, "raw-sql": 1.0},
    )  # fmt: skip
    assert failed_gates(gates, aggregates) == [
        "resolved rate 25% is below 50%",
        "http-exception-in-service compliance 50% is below 75%",
        "1 errored samples (at most 0)",
    ]
    assert failed_gates(Gates(), aggregates) == []


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("- just\n- a list\n", "an eval file is a mapping"),
        ("epochs: 0\n", "epochs: Input should be greater than or equal to 1"),
        ("gates: {min_rule_compliance: {no-such-rule: 1}}\n", "unknown rule no-such-rule"),
        ("tasks: [a\n", "not readable YAML"),
        ("surprise: 1\n", "surprise: Extra inputs are not permitted"),
    ],
)
def test_malformed_eval_files_are_named_with_what_to_fix(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=needle.replace("[", r"\[")) as error:
        load_eval(path)
    assert str(path) in str(error.value)


def _suite(tmp_path: Path, gates: str) -> Path:
    path = tmp_path / "ci.yaml"
    path.write_text(
        f"name: ci\nagents: [baseline]\ntasks: [health-db]\nepochs: 1\ngates: {gates}\n"
    )
    return path


def test_run_eval_exits_1_when_a_gate_fails(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    suite = _suite(tmp_path, "{min_rule_compliance: {http-exception-in-service: 1.0}}")
    argv = ["run", "--eval", str(suite), "--model", "oracle:http-exc"]
    assert main([*argv, "--out", str(tmp_path / "bad")]) == 1
    assert (
        "gate failed (ci): http-exception-in-service compliance 0% is below 100%"
        in capsys.readouterr().out
    )
    assert (
        main(["run", "--eval", str(suite), "--model", "oracle", "--out", str(tmp_path / "good")])
        == 0
    )
    assert "gates of eval 'ci': passed" in capsys.readouterr().out


def test_an_unknown_eval_is_bad_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", "--eval", str(tmp_path / "missing.yaml"), "--model", "oracle"]) == 2
    assert "unknown eval" in capsys.readouterr().err
