"""The Claude Code provider with the real `claude` CLI, offline, against the fake Messages API.

The CLI runs headless in the real sandbox; its only way out is the harness's API relay,
which leads to the fake on loopback. Skipped, with the reason, where the CLI or bubblewrap
is missing; `.ci/run` installs both so CI runs these.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.providers.claude_code import INSTALL_COMMAND, cli_path, cli_version
from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, tool_use
from tests.conftest import render_starter

KEY = "sk-ant-real-secret-for-the-relay"
AGENT = "fastapi-backend-architect"
CLI = cli_path()
needs_cli = pytest.mark.skipif(
    CLI is None or cli_version(CLI) is None or shutil.which("bwrap") is None,
    reason=f"needs the Claude Code CLI ({INSTALL_COMMAND}) and bubblewrap; .ci/run installs both",
)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with FakeMessagesAPI() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


def run(out: Path, *extra: str) -> int:
    argv = ["run", "--agent", AGENT, "--model", "claude-code:sonnet", "--out", str(out)]
    return main([*argv, "--sandbox", "bwrap", *extra])


def sample_dir(out: Path) -> Path:
    return out / "samples" / AGENT / "health-db" / "house-style" / "1"


@needs_cli
def test_a_scripted_session_writes_edits_and_runs_in_the_sandbox(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    probe = (
        "cat notes.txt; echo key=$ANTHROPIC_API_KEY; "
        "python3 -c 'import socket; socket.create_connection((\"1.1.1.1\", 80), timeout=3)' 2>&1 "
        "| tail -1; cat /etc/shadow 2>&1 | head -1"
    )
    api.enqueue(
        tool_use("Write", {"file_path": "/workspace/notes.txt", "content": "first\n"}),
        tool_use("Edit", {"file_path": "/workspace/notes.txt", "old_string": "first",
                          "new_string": "edited"}),
        tool_use("Bash", {"command": probe}),
        end_turn("Done."),
    )  # fmt: skip
    out = tmp_path / "run"
    assert run(out, "--no-score") == 0
    workspace = sample_dir(out) / "workspace"
    assert (workspace / "notes.txt").read_text() == "edited\n"
    assert not (workspace / ".claude").exists()  # the installed agent is not the model's change
    transcript = json.loads((sample_dir(out) / "transcript.json").read_text())
    calls = [
        block["name"]
        for message in transcript["messages"]
        if message["role"] == "assistant"
        for block in message["content"]
        if block["type"] == "tool_use"
    ]
    assert calls == ["Write", "Edit", "Bash"]
    bash_output = transcript["messages"][-2]["content"][0]["content"]
    assert "edited" in bash_output and "key=sk-ant-sandbox-placeholder" in bash_output
    assert KEY not in json.dumps(transcript)  # the real key never entered the sandbox
    assert "Network is unreachable" in bash_output  # only the API relay leads out
    assert "Permission denied" in bash_output  # not root, not the host's secrets
    assert (transcript["stop_reason"], transcript["tool_calls"], transcript["turns"]) == (
        "end_turn", 3, 4
    )  # fmt: skip
    assert transcript["usage"]["input_tokens"] == 4 * 100 and transcript["usage"]["cost_usd"] > 0
    assert transcript["model"] == "claude-sonnet-5-5"
    assert len(api.requests) == 4 and {h["x-api-key"] for h in api.headers} == {KEY}
    assert {r["model"] for r in api.requests} == {"claude-sonnet-5-5"}
    system = json.dumps(api.requests[0]["system"])
    assert "MANDATORY ARCHITECTURE RULES" in system  # the agent's body, via --agent
    report = json.loads((out / "report.json").read_text())
    assert report["samples"][0]["usage"]["input_tokens"] == 400


@needs_cli
def test_the_reference_solution_written_through_claude_code_is_scored_resolved(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    """Scoring is unchanged: the same suite and checker read what Claude Code left behind."""
    reference = tasks_root / "health-db" / "solutions" / "house-style" / "reference"
    base = render_starter(tmp_path / "starter")
    writes = []
    for path in sorted(reference.rglob("*.py")):
        relative = path.relative_to(reference).as_posix()
        target = f"/workspace/{relative}"
        if (base / relative).exists():  # Claude Code's Write refuses a file it has not read
            writes.append(tool_use("Read", {"file_path": target}))
        writes.append(tool_use("Write", {"file_path": target, "content": path.read_text()}))
    api.enqueue(*writes, end_turn("Implemented."))
    out = tmp_path / "run"
    assert run(out) == 0
    [sample] = json.loads((out / "report.json").read_text())["samples"]
    assert sample["status"] == "scored" and sample["resolved"] is True
    assert sample["tests"]["passed"] == sample["tests"]["expected"] > 0
    assert sample["stop_reason"] == "end_turn" and sample["turns"] == len(writes) + 1


@needs_cli
def test_an_api_that_refuses_the_request_errors_the_sample(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    api.enqueue(Fault(status=400))
    out = tmp_path / "run"
    assert run(out, "--no-score") == 1  # every sample errored: nothing scored is a failure
    [sample] = json.loads((out / "report.json").read_text())["samples"]
    assert sample["status"] == "errored"
    assert sample["error"]["kind"] == "provider-refused" and "400" in sample["error"]["message"]


@needs_cli
def test_the_task_turn_limit_binds_claude_code(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    task = tasks_root / "health-db" / "task.yaml"
    task.write_text(task.read_text() + "limits:\n  turns: 2\n")
    api.enqueue(*(tool_use("Bash", {"command": f"echo {n}"}) for n in range(5)))
    out = tmp_path / "run"
    assert run(out, "--no-score") == 0
    transcript = json.loads((sample_dir(out) / "transcript.json").read_text())
    assert transcript["stop_reason"] == "turn_limit" and len(api.requests) == 2


def test_a_missing_cli_is_exit_2_with_the_install_command(
    tasks_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("HARNESS_CLAUDE_CLI", str(tmp_path / "no-such-claude"))
    out = tmp_path / "run"
    assert run(out) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and INSTALL_COMMAND in err[0] and "harness doctor" in err[0]
    assert not out.exists()
