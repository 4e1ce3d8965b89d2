"""Eval suites: loading, gates, and `harness run --eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.errors import InputError
from harness.core.schema import Aggregates
from harness.run.evals import Gates, failed_gates, load_eval

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


def test_gates_are_checked_per_arm_never_over_arms_pooled() -> None:
    from harness.core.schema import AgentInfo, Report, RunInfo
    from harness.run.evals import arm_gate_failures
    from harness.scoring.score import aggregate
    from tests.report.test_compare import finding, sample

    base = [sample(f"t{n}", arm="base") for n in range(4)]
    head = [sample(f"t{n}", arm="head", findings=[finding("ARCH101")]) for n in range(4)]
    head[0].findings = []
    samples = base + head
    info = AgentInfo(name="a", sha256="0" * 64)
    report = Report(
        run=RunInfo(
            id="r", agent=info, model="m", harness_version="0", started_at="",
            arms={"base": info, "head": info},
        ),
        aggregates=aggregate(samples, ["http-exception-in-service"]),
        samples=samples,
    )  # fmt: skip
    gates = Gates(min_rule_compliance={"http-exception-in-service": 0.5})
    # pooled, 5 of 8 samples are clean (62%) and the gate would pass; per arm the head fails
    assert report.aggregates.rule_compliance["http-exception-in-service"] == 0.625
    assert arm_gate_failures(gates, report, []) == [
        "arm head: http-exception-in-service compliance 25% is below 50%"
    ]
    assert arm_gate_failures(gates, report, ["base"]) == []


def test_smoke_comparison_gates_fire_on_one_epoch() -> None:
    """The smoke eval has one epoch: no confidence verdict is possible, so its drop gates are
    point estimates, and a prompt that loses a rule on most samples fails them."""
    from harness.compare.metrics import compare_samples, regressions
    from tests.report.test_compare import finding, sample

    gates = load_eval(REPO / "evals" / "smoke.yaml").gates
    keys = [(t, s) for t in ("a", "b", "c") for s in range(3)]
    base = [sample(f"{t}{s}") for t, s in keys]
    head = [sample(f"{t}{s}", findings=[finding("ARCH101")], resolved=False) for t, s in keys]
    head[0] = sample("a0")
    comparison = compare_samples(base, head, base_label="base", head_label="head")
    assert comparison.note  # too few samples for a verdict
    found = regressions(
        comparison,
        max_compliance_drop=gates.max_compliance_drop,
        max_resolved_drop=gates.max_resolved_drop,
        max_test_pass_drop=gates.max_test_pass_drop,
    )
    assert [s.split(" fell")[0] for s in found] == [
        "resolved rate",
        "http-exception-in-service (ARCH101) compliance",
    ]
    one_flip = [sample(f"{t}{s}") for t, s in keys]
    one_flip[0] = sample("a0", findings=[finding("ARCH101")], resolved=False)
    noise = compare_samples(base, one_flip, base_label="base", head_label="head")
    assert regressions(noise, max_compliance_drop=gates.max_compliance_drop) == []
