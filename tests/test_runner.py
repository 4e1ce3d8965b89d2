"""`harness run`, `score` and `tasks` end to end with the oracle, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.files import read_events
from harness.core.schema import Report


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_oracle_run_writes_a_complete_run_directory(
    tasks_root: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    code, stdout, _ = run(
        capsys,
        "run",
        "--agent",
        "fastapi-backend-architect",
        "--model",
        "oracle",
        "--out",
        str(out),
    )
    assert code == 0 and "resolved 1/1" in stdout
    report = Report.model_validate_json((out / "report.json").read_text())
    [sample] = report.samples
    assert sample.resolved and sample.tests.passed == sample.tests.expected == 1
    assert sample.starter == "house-style" and report.run.starters == [
        "house-style",
        "legacy",
        "bare",
    ]
    assert {e.case: e.outcome for e in sample.evidence} == {
        "service-check": "success-value",
        "architecture-probe": "imports-cleanly",
    }
    assert (
        report.run.agent.name == "fastapi-backend-architect" and len(report.run.agent.sha256) == 64
    )
    assert (
        report.aggregates.resolved_rate == 1.0
        and report.aggregates.rule_compliance["raw-sql"] == 1.0
    )
    sample_dir = out / "samples/fastapi-backend-architect/health-db/house-style/1"
    transcript = json.loads((sample_dir / "transcript.json").read_text())
    assert transcript["system"].startswith("# FastAPI Backend Architect")
    assert transcript["messages"][1]["content"][1]["name"] == "str_replace_based_edit_tool"
    assert (sample_dir / "workspace/app/services/health_service.py").is_file()
    assert [e["score"]["task_id"] for e in read_events(out / "events.jsonl")] == ["health-db"]


def test_two_arms_and_a_flawed_oracle(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    code, _stdout, _ = run(
        capsys,
        "run",
        "--agent",
        "fastapi-backend-architect",
        "--agent",
        "baseline",
        "--model",
        "oracle:http-exc",
        "--out",
        str(out),
    )
    report = Report.model_validate_json((out / "report.json").read_text())
    assert code == 0 and [s.arm for s in report.samples] == [
        "fastapi-backend-architect",
        "baseline",
    ]
    assert all(not s.resolved for s in report.samples)
    assert {f.code for f in report.samples[0].findings} == {"ARCH101", "ARCH501", "ARCH602"}
    assert report.aggregates.rule_compliance["http-exception-in-service"] == 0.0


def test_a_rerun_skips_finished_samples(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    run(
        capsys,
        "run",
        "--agent",
        "baseline",
        "--model",
        "oracle",
        "--out",
        str(out),
        "--epochs",
        "2",
    )
    (out / "events.jsonl").write_text(
        (out / "events.jsonl").read_text().splitlines(keepends=True)[0] + '{"type": "sam'
    )
    run(
        capsys,
        "run",
        "--agent",
        "baseline",
        "--model",
        "oracle",
        "--out",
        str(out),
        "--epochs",
        "2",
    )
    events = list(read_events(out / "events.jsonl"))
    assert sorted(e["score"]["epoch"] for e in events) == [1, 2]  # each exactly once


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["run", "--agent", "nope", "--model", "oracle"], "unknown agent 'nope'"),
        (["run", "--agent", "baseline", "--model", "gpt-9"], "unknown model 'gpt-9'"),
        (
            ["run", "--agent", "baseline", "--model", "oracle", "--tasks", "zzz*"],
            "no task matches 'zzz*'",
        ),
        (
            ["run", "--agent", "baseline", "--model", "oracle:missing"],
            "that oracle:missing has an answer for",
        ),
        (
            ["run", "--agent", "baseline", "--model", "oracle", "--provider-option", "x=1"],
            "--provider-option x: Extra inputs are not permitted (provider oracle; its options: none)",
        ),
        (
            ["run", "--agent", "baseline", "--model", "oracle", "--provider-option", "novalue"],
            "give KEY=VALUE",
        ),
        (["run", "--agent", "baseline", "--model", "sonnet"], "ANTHROPIC_API_KEY is not set"),
        (["tasks", "show", "nope"], "no task matches 'nope'"),
        (
            ["run", "--agent", "baseline", "--model", "oracle", "--starter", "modern"],
            "--starter 'modern': unknown starter modern; known: house-style, legacy, bare",
        ),
        (
            ["run", "--agent", "baseline", "--model", "oracle", "--starter", "legacy"],
            "no task of * runs on starter(s) legacy",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tasks_root: Path, tmp_path: Path, capsys, argv, needle
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, *argv, *(["--out", str(tmp_path / "r")] if argv[0] == "run" else []))
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err, err


def test_tasks_list_show_init_and_score(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert "health-db" in run(capsys, "tasks", "list")[1]
    code, shown, _ = run(capsys, "tasks", "show", "health-db")
    assert code == 0 and "healthy" in shown
    assert "house-style:" in shown and "ARCH602: (not described); caught by http-exc" in shown
    assert "Solutions on house-style:" in shown and "reference: yes" in shown
    assert (
        "flaw no-database-key [healthy, missing entry point]: forgets the database check" in shown
    )
    assert "flaw http-exc [ARCH101, ARCH501, ARCH602]: raises HTTPException" in shown
    workspace = tmp_path / "manual"
    assert run(capsys, "tasks", "init", "health-db", str(workspace))[0] == 0
    assert (workspace / "TASK.md").read_text().startswith("# Health check")
    code, out, _ = run(capsys, "score", "--task", "health-db", str(workspace), "--format", "json")
    score = json.loads(out)
    assert code == 1 and score["resolved"] is False and score["tests"]["expected"] == 1
    assert score["starter"] == "house-style"  # found by matching the workspace's files
    assert "TASK.md" not in score["changed_files"]
    code, _, err = run(
        capsys, "tasks", "init", "health-db", str(tmp_path / "x"), "--starter", "bare"
    )
    assert code == 2 and "runs on house-style only" in err


def test_validate_checks_every_solution(tasks_root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "tasks", "validate", "health-db")
    assert code == 0 and out.count("ok health-db house-style") == 3
    expect = tasks_root / "health-db/solutions/house-style/http-exc/expect.yaml"
    expect.write_text("rules: [ARCH101]\nfailing_cases: [healthy]\n")
    code, out, _ = run(capsys, "tasks", "validate", "health-db")
    assert code == 1 and "FAIL health-db house-style http-exc" in out


HOSTILE = {
    "import-time-loop": "while True:\n    pass\n",
    "fork-at-import": "import os\nfor _ in range(10000):\n    try:\n        os.fork()\n    except OSError:\n        break\n",
    "exit-at-import": "import os\nos._exit(0)\n",
    "read-secret": "import os\nprint(os.environ.get('ANTHROPIC_API_KEY'))\nraise SystemExit(os.environ.get('ANTHROPIC_API_KEY', 'none'))\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_workspace_is_scored_as_failing_and_the_harness_survives(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from harness.grading.grader import grade_workspace
    from harness.tasks.loader import load_task
    from harness.tasks.workspace import render_workspace

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-must-not-leak")
    task_yaml = tasks_root / "health-db" / "task.yaml"
    task_yaml.write_text(task_yaml.read_text() + "limits: {test_seconds: 8}\n")
    task = load_task(tasks_root / "health-db")
    workspace = render_workspace(task, "house-style", tmp_path / "ws")
    (workspace / "app" / "__init__.py").write_text(HOSTILE[name])
    score = grade_workspace(task, "house-style", workspace)
    assert not score.resolved and score.tests.passed < score.tests.expected
    dumped = score.model_dump_json()
    assert "sk-ant-must-not-leak" not in dumped


def test_resuming_a_run_with_another_agent_or_model_is_refused(
    tasks_root: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    assert run(capsys, "run", "--agent", "baseline", "--model", "oracle", "--out", str(out))[0] == 0
    code, _, err = run(
        capsys,
        "run",
        "--agent",
        "fastapi-backend-architect",
        "--model",
        "oracle",
        "--out",
        str(out),
    )
    assert (
        code == 2
        and "changed since the run began: agents" in err
        and len(err.strip().splitlines()) == 1
    )
    code, _, err = run(
        capsys, "run", "--agent", "baseline", "--model", "oracle:http-exc", "--out", str(out)
    )
    assert code == 2 and "model ('oracle' -> 'oracle:http-exc')" in err
