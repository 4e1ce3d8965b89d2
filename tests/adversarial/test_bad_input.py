"""Bad input, table-driven: each case ends with exit 2 and ONE line on stderr naming the file
(or the argument) and what to fix; never a traceback, and never a partial run directory
that a later `harness report`/`compare` takes for a finished one.

Malformed agent files, task folders, eval files, reports given to `compare`, and command
line arguments, each through `harness.cli.app.main` (and a few through a real subprocess).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.schema import (
    SCHEMA_VERSION,
    AgentInfo,
    Aggregates,
    Report,
    RunInfo,
    SampleScore,
)

REPO = Path(__file__).resolve().parents[2]
TEN_MB = 10 * 1024 * 1024
AGENT_BODY = "You are a careful backend engineer.\n"
GOOD_TASK = "id: {id}\ntitle: T\ncategory: c\nstatement: do it\n"
GOOD_CONTRACT = (
    "cases:\n  - id: ok\n    steps:\n      - request: {method: GET, path: /health}\n"
    "        expect: {status: 200}\n"
)
REAL_STYLE_AGENT = (  # not valid YAML (colons, an <example> block), read as Claude Code reads it
    "---\nname: real-style\ndescription: Use this agent when: the user asks. Examples:\n"
    "<example>\nContext: a user wants an endpoint\nuser: add it\nassistant: I will\n</example>\n"
    "tools: Read, Bash\nmodel: sonnet\n---\n" + AGENT_BODY
)


def agent(front: str) -> str:
    return f"---\n{front}---\n{AGENT_BODY}"


@dataclass(frozen=True)
class Bad:
    """Files to write under the case's folder ({dir} in argv and needles is that folder)."""

    argv: tuple[str, ...]
    needles: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)
    run_dir: str | None = None  # a run directory the command must not leave looking finished


def run_with(agent_path: str, *extra: str) -> tuple[str, ...]:
    return ("run", "--agent", agent_path, "--model", "oracle", "--no-score", "--out", "{dir}/run", *extra)  # fmt: skip


def run_task(task: str, *extra: str) -> tuple[str, ...]:
    return ("run", "--agent", "{dir}/a.md", "--model", "oracle", "--no-score", "--tasks", task, "--out", "{dir}/run", *extra)  # fmt: skip


def task_files(name: str, **files: str | bytes) -> dict[str, str | bytes]:
    """A task folder in the tasks root ({tasks}), with a valid task.yaml unless replaced."""
    made: dict[str, str | bytes] = {"a.md": agent("name: a\n")}
    made[f"{{tasks}}/{name}/task.yaml"] = GOOD_TASK.format(id=name)
    made.update({f"{{tasks}}/{name}/{path}": content for path, content in files.items()})
    return made


def contract_with(value: str) -> str:
    return (
        "fixtures:\n  p:\n    - model: Product\n      values: {id: 1, price: " + value + "}\n"
        "cases:\n  - id: ok\n    fixtures: [p]\n    steps:\n"
        "      - request: {method: GET, path: /health}\n        expect: {status: 200}\n"
    )


AGENT_CASES = {
    "binary agent": Bad(run_with("{dir}/bin.md"), ("bin.md", "binary"), {"bin.md": b"\x7fELF\x00\x01\x02"}),
    "empty agent": Bad(run_with("{dir}/empty.md"), ("empty.md", "empty agent file"), {"empty.md": ""}),
    "10 MB agent": Bad(
        run_with("{dir}/big.md"), ("big.md", "MB", "shorten"),
        {"big.md": agent("name: big\n") + "x" * TEN_MB},
    ),
    "front matter never closed": Bad(
        run_with("{dir}/open.md"), ("open.md:1", "never closed"), {"open.md": "---\nname: open\n" + AGENT_BODY}
    ),
    "invalid YAML without a name": Bad(
        run_with("{dir}/noname.md"), ("noname.md", "no `name:`"),
        {"noname.md": agent("description: a: b: c\n<example>\nuser: hi\n</example>\n")},
    ),
    "a name that is a list": Bad(
        run_with("{dir}/list.md"), ("list.md", "no `name:`"), {"list.md": agent("name: [a, b]\n")}
    ),
    "not UTF-8": Bad(
        run_with("{dir}/latin.md"), ("latin.md:4", "UTF-8"), {"latin.md": b"---\nname: latin\n---\n\xe9t\xe9\n"}
    ),
    "front matter only": Bad(
        run_with("{dir}/nobody.md"), ("nobody.md", "no system prompt"), {"nobody.md": "---\nname: nobody\n---\n\n"}
    ),
    "unknown model alias in the front matter": Bad(
        ("run", "--agent", "{dir}/gpt.md", "--no-score", "--out", "{dir}/run"),
        ("gpt.md", "unknown model 'gpt-5'", "claude-"),
        {"gpt.md": agent("name: gpt\nmodel: gpt-5\n")},
    ),
    "unknown model alias on the command line": Bad(
        ("run", "--agent", "{dir}/a.md", "--model", "sonet", "--out", "{dir}/run"),
        ("--model", "unknown model 'sonet'"), {"a.md": agent("name: a\n")},
    ),
    "unknown agent name": Bad(run_with("no-such-agent"), ("unknown agent 'no-such-agent'", "known agents")),
    "agent path that is a folder": Bad(run_with("{dir}/folder.md"), ("folder.md",), {"folder.md/x": ""}),
    "agent at an unknown git revision": Bad(
        run_with(f"{REPO}/agents/baseline.md@no-such-revision"), ("baseline.md@no-such-revision", "revision")
    ),
}  # fmt: skip

TASK_CASES = {
    "missing contract": Bad(run_task("broken"), ("broken/contract.yaml", "missing"), task_files("broken")),
    "contract naming a missing fixture": Bad(
        run_task("broken"), ("broken/contract.yaml", "undefined fixtures: ghost"),
        task_files("broken", **{"contract.yaml": GOOD_CONTRACT.replace("    steps:", "    fixtures: [ghost]\n    steps:")}),
    ),
    "a value marker that does not parse (@decimal)": Bad(
        run_task("broken"), ("broken/contract.yaml", "@decimal:12,50"),
        task_files("broken", **{"contract.yaml": contract_with('"@decimal:12,50"')}),
    ),
    "a value marker that does not parse (@now)": Bad(
        run_task("broken"), ("broken/contract.yaml", "@now+5x"),
        task_files("broken", **{"contract.yaml": contract_with('"@now+5x"')}),
    ),
    "a value marker that does not parse (@strftime)": Bad(
        run_task("broken"), ("broken/contract.yaml", "@strftime+1w:%Y"),
        task_files("broken", **{"contract.yaml": contract_with('"@strftime+1w:%Y"')}),
    ),
    "contract that is a list": Bad(
        run_task("broken"), ("broken/contract.yaml", "(top level)"), task_files("broken", **{"contract.yaml": "- a\n- b\n"})
    ),
    "invalid task YAML": Bad(
        run_task("broken"), ("broken/task.yaml:", "invalid YAML"),
        task_files("broken", **{"task.yaml": "id: broken\ntitle: [unclosed\n", "contract.yaml": GOOD_CONTRACT}),
    ),
    "binary task.yaml": Bad(
        run_task("broken"), ("broken/task.yaml", "cannot read"),
        task_files("broken", **{"task.yaml": b"\xff\xfe\x00\x01", "contract.yaml": GOOD_CONTRACT}),
    ),
    "id differing from the folder": Bad(
        run_task("broken"), ("broken/task.yaml", "differs from the folder name"),
        task_files("broken", **{"task.yaml": GOOD_TASK.format(id="other"), "contract.yaml": GOOD_CONTRACT}),
    ),
    "flawed solution without expect.yaml": Bad(
        run_task("broken"), ("broken/solutions/house-style/flaw/expect.yaml", "missing"),
        task_files("broken", **{"contract.yaml": GOOD_CONTRACT, "solutions/house-style/flaw/app/x.py": ""}),
    ),
    "no task matches": Bad(run_task("nothing-like-it"), ("no task matches 'nothing-like-it'", "known tasks"), task_files("x", **{"contract.yaml": GOOD_CONTRACT})),
}  # fmt: skip

EVAL_CASES = {
    "eval that is a list": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "mapping"), {"e.yaml": "- a\n"}),
    "eval with an unknown key": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "agentz"), {"e.yaml": "agentz: [a]\n"}),
    "eval with zero epochs": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "epochs"), {"e.yaml": "epochs: 0\n"}),
    "eval of invalid YAML": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "YAML"), {"e.yaml": "gates: {a: [\n"}),
    "eval gating an unknown rule": Bad(
        ("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "unknown rule no-such-rule"),
        {"e.yaml": "gates: {min_rule_compliance: {no-such-rule: 0.5}}\n"},
    ),
    "binary eval": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "YAML"), {"e.yaml": b"\xff\x00\xfe"}),
    "eval that does not exist": Bad(("run", "--eval", "{dir}/none.yaml"), ("none.yaml", "unknown eval")),
    "eval of a billion epochs": Bad(("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "epochs"), {"e.yaml": "epochs: 1000000000\n"}),
    "eval naming a rate above 1": Bad(
        ("run", "--eval", "{dir}/e.yaml"), ("e.yaml", "min_resolved_rate"), {"e.yaml": "gates: {min_resolved_rate: 2}\n"}
    ),
    "compare with a broken eval": Bad(
        ("compare", "{report}", "{report}", "--fail-on-regression", "--eval", "{dir}/e.yaml"), ("e.yaml",), {"e.yaml": "[\n"}
    ),
}  # fmt: skip

REPORT_CASES = {
    "truncated report": Bad(("compare", "{dir}/cut.json", "{report}"), ("cut.json", "not valid JSON", "--resume"), {"cut.json": "{truncated}"}),
    "empty report": Bad(("compare", "{report}", "{dir}/empty.json"), ("empty.json", "not valid JSON"), {"empty.json": ""}),
    "binary report": Bad(("compare", "{report}", "{dir}/bin.json"), ("bin.json", "cannot be read"), {"bin.json": b"\xff\xfe\x00"}),
    "a JSON list": Bad(("compare", "{report}", "{dir}/list.json"), ("list.json", "not a run report"), {"list.json": "[]"}),
    "another schema version": Bad(("compare", "{report}", "{dir}/v99.json"), ("v99.json", "schema_version 99"), {"v99.json": "{other_version}"}),
    "a sample that is not a sample": Bad(("compare", "{report}", "{dir}/bad.json"), ("bad.json", "samples.0"), {"bad.json": "{bad_sample}"}),
    "two runs of different tasks": Bad(
        ("compare", "{report}", "{dir}/other.json"), ("other.json", "different tasks", "other.json: other-task"),
        {"other.json": "{other_tasks}"},
    ),
    "a run directory without report.json": Bad(("compare", "{report}", "{dir}/partial"), ("partial", "no report.json"), {"partial/events.jsonl": ""}),
    "report of a partial run": Bad(("report", "{dir}/partial"), ("partial", "no report.json"), {"partial/run.json": "{}"}),
    "report of a missing directory": Bad(("report", "{dir}/missing"), ("missing", "no such run directory")),
    "compare of a missing report": Bad(("compare", "{report}", "{dir}/missing.json"), ("missing.json", "no such")),
    "compare of one run with one arm": Bad(("compare", "{report}"), ("report.json", "two")),
}  # fmt: skip

CLI_CASES = {
    "negative epochs": Bad(run_with("{dir}/a.md", "--epochs", "-1"), ("--epochs", "at least 1"), {"a.md": agent("name: a\n")}),
    "zero epochs": Bad(run_with("{dir}/a.md", "--epochs", "0"), ("--epochs", "at least 1"), {"a.md": agent("name: a\n")}),
    "epochs that are not a number": Bad(run_with("{dir}/a.md", "--epochs", "two"), ("--epochs", "invalid int")),
    "a billion epochs": Bad(run_with("{dir}/a.md", "--epochs", "1000000000"), ("--epochs", "at most 1000"), {"a.md": agent("name: a\n")}),
    "zero connections": Bad(run_with("{dir}/a.md", "--max-connections", "0"), ("--max-connections",), {"a.md": agent("name: a\n")}),
    "negative cost cap": Bad(run_with("{dir}/a.md", "--max-cost", "-1"), ("--max-cost",), {"a.md": agent("name: a\n")}),
    "a cost cap that is not a number": Bad(run_with("{dir}/a.md", "--max-cost", "nan"), ("--max-cost",), {"a.md": agent("name: a\n")}),
    "unknown report format": Bad(("report", "{report}", "--format", "pdf"), ("--format", "pdf")),
    "unknown compare format": Bad(("compare", "{report}", "{report}", "--format", "xml"), ("--format", "xml")),
    "unknown sandbox": Bad(run_with("{dir}/a.md", "--sandbox", "docker"), ("--sandbox", "docker")),
    "unknown command": Bad(("frobnicate",), ("frobnicate",)),
    "resume of a folder that is no run": Bad(("run", "--resume", "{dir}/plain"), ("plain", "no run.json"), {"plain/notes.txt": "x"}),
    "resume of a missing folder": Bad(("run", "--resume", "{dir}/missing"), ("missing", "no run.json")),
    "resume of a file": Bad(("run", "--resume", "{dir}/a.md"), ("a.md", "no run.json"), {"a.md": agent("name: a\n")}),
    "resume with unreadable run.json": Bad(("run", "--resume", "{dir}/r"), ("r/run.json", "unreadable"), {"r/run.json": "{"}),
    "resume with run.json that is a list": Bad(("run", "--resume", "{dir}/r"), ("r/run.json",), {"r/run.json": "[1]"}),
    "resume with a mistyped invocation": Bad(
        ("run", "--resume", "{dir}/r"), ("r/run.json", "epochs"),
        {"r/run.json": json.dumps({"invocation": {"agent": ["baseline"], "epochs": "three"}})},
    ),
    "resume into another --out": Bad(
        ("run", "--resume", "{dir}/r", "--out", "{dir}/elsewhere"), ("--resume", "--out"),
        {"r/run.json": json.dumps({"invocation": {"agent": ["baseline"]}})},
    ),
    "--out that is a file": Bad(run_with("{dir}/a.md", "--out", "{dir}/a.md"), ("a.md", "--out"), {"a.md": agent("name: a\n")}),
    "--out under a file": Bad(run_with("{dir}/a.md", "--out", "{dir}/a.md/run"), ("a.md", "--out"), {"a.md": agent("name: a\n")}),
    "--out with another run's run.json": Bad(
        run_with("{dir}/a.md"), ("run", "changed since the run began"),
        {"a.md": agent("name: a\n"), "run/run.json": json.dumps({"agents": {"a": "0" * 64}, "model": "oracle", "tasks": ["health-db"]})},
    ),
    "--out with a run.json that is a list": Bad(
        run_with("{dir}/a.md"), ("run/run.json",), {"a.md": agent("name: a\n"), "run/run.json": "[]"}
    ),
    "score of a missing workspace": Bad(("score", "--task", "health-db", "{dir}/nowhere"), ("nowhere", "not a directory")),
    "score of an unknown task": Bad(("score", "--task", "no-such", "{dir}"), ("no task matches 'no-such'",)),
    "tasks show of an unknown task": Bad(("tasks", "show", "no-such"), ("no task matches 'no-such'",)),
    "tasks init into a non-empty folder": Bad(("tasks", "init", "health-db", "{dir}"), ("not empty",), {"x": ""}),
}  # fmt: skip

ALL_CASES = {**AGENT_CASES, **TASK_CASES, **EVAL_CASES, **REPORT_CASES, **CLI_CASES}


@pytest.fixture(scope="module")
def finished_report(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    """A valid report.json of a finished run (one sample), as data."""
    info = RunInfo(
        id="base", agent=AgentInfo(name="a", sha256="0" * 64), model="oracle", harness_version="0",
        started_at="2026-01-01T00:00:00+00:00", tasks=["health-db"], epochs=1,
    )  # fmt: skip
    sample = SampleScore(task_id="health-db", epoch=1, arm="a", status="scored", resolved=True)
    report = Report(run=info, aggregates=Aggregates(), samples=[sample])
    assert report.schema_version == SCHEMA_VERSION
    return json.loads(report.model_dump_json())


def _placeholders(finished: dict, tmp: Path, tasks: Path) -> dict[str, str]:  # type: ignore[type-arg]
    other = json.loads(json.dumps(finished))
    other["samples"][0]["task_id"] = "other-task"
    bad = json.loads(json.dumps(finished))
    bad["samples"][0]["status"] = "maybe"
    report = tmp / "base" / "report.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(finished), encoding="utf-8")
    return {
        "{dir}": str(tmp), "{tasks}": str(tasks), "{report}": str(report),
        "{truncated}": json.dumps(finished)[:100], "{other_tasks}": json.dumps(other),
        "{other_version}": json.dumps({**finished, "schema_version": 99}),
        "{bad_sample}": json.dumps(bad),
    }  # fmt: skip


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def _prepare(case: Bad, tmp: Path, tasks: Path, finished: dict) -> tuple[list[str], list[str]]:  # type: ignore[type-arg]
    values = _placeholders(finished, tmp, tasks)
    for relative, content in case.files.items():
        path = Path(_fill(relative, values))
        path = path if path.is_absolute() else tmp / path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(_fill(content, values), encoding="utf-8")
    argv = [_fill(arg, values) for arg in case.argv]
    needles = [_fill(needle, values) for needle in case.needles]
    return argv, needles


def assert_one_line(err: str, needles: list[str]) -> None:
    assert "Traceback" not in err, err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("harness: "), err
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


@pytest.mark.parametrize("case", ALL_CASES.values(), ids=ALL_CASES.keys())
def test_bad_input_is_exit_2_with_one_line_naming_it(
    case: Bad,
    tasks_root: Path,
    tmp_path: Path,
    finished_report: dict,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def,type-arg]
) -> None:
    monkeypatch.chdir(tmp_path)  # no evals/ or agents/ here: only what the case gives
    argv, needles = _prepare(case, tmp_path, tasks_root, finished_report)
    capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert_one_line(captured.err, needles)
    run_dir = tmp_path / "run"
    assert not (run_dir / "report.json").exists()
    if run_dir.is_dir():  # whatever was left is never read as a finished run
        assert main(["report", str(run_dir), "--format", "json"]) == 2
        assert "no report.json" in capsys.readouterr().err


def test_an_agent_in_the_style_of_real_ones_is_read_not_refused(
    tasks_root: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "real-style.md"
    path.write_text(REAL_STYLE_AGENT, encoding="utf-8")
    out = tmp_path / "run"
    assert (
        main(["run", "--agent", str(path), "--model", "oracle", "--no-score", "--out", str(out)])
        == 0
    )
    assert capsys.readouterr().err == ""
    assert json.loads((out / "report.json").read_text())["run"]["agent"]["name"] == "real-style"


SUBPROCESS_CASES = (
    "binary agent",
    "10 MB agent",
    "truncated report",
    "resume of a folder that is no run",
)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_the_real_command_prints_one_line_too(
    name: str,
    tasks_root: Path,
    tmp_path: Path,
    finished_report: dict,  # type: ignore[type-arg]
) -> None:
    argv, needles = _prepare(ALL_CASES[name], tmp_path, tasks_root, finished_report)
    result = subprocess.run(
        [sys.executable, "-m", "harness", *argv], cwd=REPO, env=dict(os.environ),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert_one_line(result.stderr, needles)


def test_a_resume_keeps_the_run_s_database(tmp_path: Path) -> None:
    """A --db postgres run resumed without --db goes on with PostgreSQL, not SQLite files."""
    from argparse import Namespace

    from harness.cli.run import _resume_into

    (tmp_path / "run.json").write_text(
        json.dumps({"invocation": {"agent": ["baseline"], "db": "postgres", "epochs": 2}})
    )
    args = Namespace(resume=tmp_path, out=None, agent=None, model=None, tasks=None, epochs=None)
    args.__dict__.update(sandbox=None, max_cost=None, max_connections=None, db=None)
    args.__dict__.update(no_score=False, no_cache=False)
    _resume_into(args)
    assert (args.db, args.epochs, args.out) == ("postgres", 2, tmp_path)
