"""Untrusted commands stay in their box: no writes outside, no network, no secrets,
bounded processes, memory, time and output; the harness survives every one."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from harness.sandbox.background import start_sandboxed
from harness.sandbox.run import Limits, run_sandboxed

HAS_BWRAP = shutil.which("bwrap") is not None
MODES = ["bwrap", "none"] if HAS_BWRAP else ["none"]
needs_bwrap = pytest.mark.skipif(
    not HAS_BWRAP and not os.environ.get("CI"), reason="bubblewrap not installed (CI installs it)"
)
QUICK = Limits(wall_seconds=20, processes=64)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    path.mkdir()
    (path / "app.py").write_text("print('hello')\n")
    return path


@needs_bwrap
def test_runs_python_in_the_workspace(workspace: Path) -> None:
    result = run_sandboxed(["python3", "app.py"], workspace, mode="bwrap", limits=QUICK)
    assert (result.returncode, result.stdout, result.isolation) == (0, "hello\n", "bwrap")


@needs_bwrap
def test_cannot_write_or_read_outside(workspace: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("host secret")
    script = (
        f"echo pwned > {tmp_path}/escaped.txt; echo pwned > /etc/escaped.txt; "
        f"echo pwned > ../escaped.txt; cat {secret}; cat /etc/shadow; ls {Path.cwd()}; echo done"
    )
    result = run_sandboxed(["bash", "-c", script], workspace, mode="bwrap", limits=QUICK)
    assert "done" in result.stdout and "host secret" not in result.stdout + result.stderr
    assert not (tmp_path / "escaped.txt").exists() and not Path("/etc/escaped.txt").exists()
    assert "root:" not in result.stdout


@needs_bwrap
def test_no_network_even_to_loopback(workspace: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2); print('connected')"
    result = run_sandboxed(["python3", "-c", code], workspace, mode="bwrap", limits=QUICK)
    thread.join()
    server.close()
    assert accepted == [] and "connected" not in result.stdout and result.returncode != 0


@pytest.mark.parametrize("mode", MODES)
def test_secrets_are_not_in_the_environment(
    workspace: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-secret-123")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    script = "env; cat /proc/self/environ; cat /proc/1/environ; cat /proc/$PPID/environ; echo end"
    result = run_sandboxed(["bash", "-c", script], workspace, mode=mode, limits=QUICK)
    output = result.stdout + result.stderr
    assert "end" in result.stdout
    assert "sk-ant-test-secret-123" not in output and "ghp_secret" not in output


@pytest.mark.parametrize("mode", MODES)
def test_infinite_loop_is_killed_at_the_wall_clock(workspace: Path, mode: str) -> None:
    result = run_sandboxed(
        ["bash", "-c", "trap '' TERM; while true; do :; done"],
        workspace,
        mode=mode,
        limits=Limits(wall_seconds=1),
    )
    assert result.timed_out and result.duration < 10 and result.returncode < 0


@pytest.mark.parametrize("mode", MODES)
def test_output_is_capped(workspace: Path, mode: str) -> None:
    result = run_sandboxed(
        ["bash", "-c", "yes | head -c 50000000"], workspace, mode=mode, limits=QUICK
    )
    assert len(result.stdout) < 70_000 and result.stdout.endswith("[output truncated]")


@needs_bwrap
def test_memory_is_bounded(workspace: Path) -> None:
    code = "x = bytearray(8 * 1024**3); print('allocated')"
    result = run_sandboxed(
        ["python3", "-c", code], workspace, mode="bwrap", limits=Limits(wall_seconds=20)
    )
    assert (
        result.returncode != 0
        and "allocated" not in result.stdout
        and "MemoryError" in result.stderr
    )


@pytest.mark.slow
@needs_bwrap
def test_fork_bomb_is_contained(workspace: Path) -> None:
    name = f"bomb_{uuid.uuid4().hex[:12]}"  # its own name: other tests may run bombs too
    bomb = f"{name}() {{ {name} | {name} & }}; {name}; sleep 2; echo survived-parent"
    result = run_sandboxed(
        ["bash", "-c", bomb], workspace, mode="bwrap", limits=Limits(wall_seconds=5, processes=64)
    )
    assert result.duration < 30
    leftover = subprocess.run(["pgrep", "-c", "-f", name], capture_output=True, text=True)
    assert leftover.stdout.strip() in ("", "0")
    assert subprocess.run(["true"]).returncode == 0  # the machine still forks


@needs_bwrap
def test_workspace_writes_are_kept(workspace: Path) -> None:
    result = run_sandboxed(
        ["bash", "-c", "mkdir -p pkg && echo data > pkg/out.txt"],
        workspace,
        mode="bwrap",
        limits=QUICK,
    )
    assert result.returncode == 0 and (workspace / "pkg" / "out.txt").read_text() == "data\n"


@pytest.mark.parametrize("mode", MODES)
def test_a_background_command_signals_then_is_stopped_with_its_children(
    workspace: Path, mode: str
) -> None:
    """The app host's primitive: its first line arrives while it runs; stop() ends it all,
    children included, and its output is capped however much it writes."""
    child = f"300.{uuid.uuid4().int % 10**9:09d}"  # a sleep no other run on the machine has
    script = (
        "import subprocess, sys, time\n"
        "print('ready', flush=True)\n"
        f"subprocess.Popen(['sleep', '{child}'])\n"
        "sys.stdout.write('x' * 10_000_000); sys.stdout.flush()\n"
        "time.sleep(300)\n"
    )
    process = start_sandboxed(["python3", "-c", script], workspace, mode=mode, limits=QUICK)
    assert process.first_line(timeout=20) == b"ready"
    assert process.wait(timeout=0.2) is None and process.poll() is None  # still running
    result = process.stop()
    assert result.returncode < 0 and len(result.stdout) <= QUICK.output_bytes
    assert result.stdout.startswith("ready\n")
    left = subprocess.run(["pgrep", "-f", f"sleep {child}"], capture_output=True, text=True)
    assert left.stdout == "", left.stdout


@pytest.mark.parametrize("mode", MODES)
def test_a_background_command_that_ends_without_its_line(workspace: Path, mode: str) -> None:
    process = start_sandboxed(["python3", "-c", "import sys; sys.exit(3)"], workspace, mode=mode)
    assert process.first_line(timeout=20) is None and process.wait(timeout=20) == 3
    assert process.stop().returncode == 3
