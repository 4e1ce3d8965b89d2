"""The persistent sandboxed shell behind the bash tool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.core.tool_names import BASH_NAME, EDITOR_NAME
from harness.sandbox.run import Limits
from harness.solver.shell import PersistentShell
from harness.solver.tools import Toolbox


@pytest.fixture
def shell(tmp_path: Path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shell = PersistentShell(workspace, "auto", Limits(wall_seconds=3, output_bytes=4096))
    yield shell
    shell.close()


def test_state_carries_over_between_commands(shell: PersistentShell) -> None:
    assert shell.run("mkdir -p app && cd app && export GREETING=hi").exit_code == 0
    result = shell.run("pwd; echo $GREETING; sh -c 'echo child sees $GREETING'")
    assert result.output == "/workspace/app\nhi\nchild sees hi\n"
    assert result.exit_code == 0


def test_exit_status_and_stderr_are_reported(shell: PersistentShell) -> None:
    result = shell.run("echo out; echo err >&2; (exit 7)")
    assert (result.output, result.exit_code) == ("out\nerr\n", 7)


def test_a_syntax_error_is_an_error_not_a_wedged_shell(shell: PersistentShell) -> None:
    broken = shell.run("echo 'never closed")
    assert broken.exit_code == 2 and "unexpected EOF" in broken.output
    assert shell.run("echo fine").output == "fine\n"


def test_stdin_is_empty_so_nothing_swallows_the_next_command(shell: PersistentShell) -> None:
    assert shell.run("cat; read line; echo after").output == "after\n"


def test_timeout_kills_the_shell_and_the_next_command_gets_a_fresh_one(
    shell: PersistentShell,
) -> None:
    shell.run("cd /tmp")
    slow = shell.run("echo started; sleep 30", timeout=1)
    assert slow.timed_out and slow.output == "started\n"
    fresh = shell.run("pwd")
    assert fresh.output == "/workspace\n" and fresh.exit_code == 0


def test_exit_ends_the_shell_and_is_reported(shell: PersistentShell) -> None:
    gone = shell.run("exit 3")
    assert gone.shell_exited and gone.exit_code == 3
    assert shell.run("echo back").output == "back\n"


def test_output_is_capped_and_the_rest_counted(shell: PersistentShell) -> None:
    result = shell.run("head -c 100000 /dev/zero | tr '\\0' x; echo")
    assert result.exit_code == 0
    assert result.output.startswith("x" * 4096)
    assert "[output truncated: 95905 more bytes]" in result.output


def test_close_kills_background_jobs(shell: PersistentShell, tmp_path: Path) -> None:
    shell.run("(sleep 0.5; touch late) > /dev/null 2>&1 &")
    shell.close()
    import time

    time.sleep(1)
    assert not (tmp_path / "ws" / "late").exists()


def test_files_written_by_the_editor_stay_editable_by_the_shell(tmp_path: Path) -> None:
    """The shell runs as an unprivileged uid; the editor writes as the harness."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    box = Toolbox(workspace, mode="auto")
    try:
        box.run({"id": "s", "name": BASH_NAME, "input": {"command": "true"}})
        created = box.run(
            {
                "id": "e",
                "name": EDITOR_NAME,
                "input": {
                    "command": "create",
                    "path": "/workspace/app/x.py",
                    "file_text": "a = 1\n",
                },
            }
        )
        assert not created["is_error"]
        edited = box.run(
            {
                "id": "b",
                "name": BASH_NAME,
                "input": {"command": "echo 'b = 2' >> app/x.py && touch app/y.py"},
            }
        )
        assert not edited["is_error"], edited["content"]
        assert (workspace / "app/x.py").read_text() == "a = 1\nb = 2\n"
        if os.geteuid() == 0:
            assert (workspace / "app/x.py").stat().st_uid == workspace.stat().st_uid
    finally:
        box.close()


def test_the_private_tmp_is_writable_so_nothing_spills_into_the_workspace(
    shell: PersistentShell, tmp_path: Path
) -> None:
    result = shell.run(
        "touch /tmp/scratch && python3 -c 'import tempfile; print(tempfile.gettempdir())'"
    )
    assert (result.output, result.exit_code) == ("/tmp\n", 0)
    assert list((tmp_path / "ws").iterdir()) == []
