"""A sandboxed command that runs beside others (the app host beside its tests): the same
sandbox, limits and fresh uid as `harness.sandbox.run.run_sandboxed`, without waiting for it."""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from pathlib import Path

from harness.sandbox.run import (
    READ_CHUNK,
    Launch,
    Limits,
    SandboxResult,
    kill,
    kill_group,
    prepare_launch,
    read_capped,
    spawn,
)


class BackgroundProcess:
    """A sandboxed command that runs beside others (the app host beside its tests): started
    at once, its first line of output awaited, stopped (with its whole sandbox) on demand.

    Its stdout is a pipe, read by a thread: what the process wrote there cannot be taken
    back, so its first line is a signal the process gives before running untrusted code.
    """

    def __init__(
        self, launch: Launch, command: list[str], limits: Limits, pass_fds: tuple[int, ...] = ()
    ) -> None:
        self.limits = limits
        self.isolation = launch.isolation
        self._err_dir = tempfile.TemporaryDirectory(prefix="harness-out-")
        self._err_path = Path(self._err_dir.name) / "stderr"
        self._started = time.monotonic()
        self._first_line: bytes | None = None
        self._line_seen = threading.Event()
        self._output = bytearray()
        with open(self._err_path, "wb") as err:
            self.process = spawn(launch, command, limits, subprocess.PIPE, err, pass_fds)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        pending = b""
        while chunk := stream.read1(READ_CHUNK):  # type: ignore[attr-defined]
            if self._first_line is None:
                pending += chunk
                if b"\n" in pending or len(pending) > self.limits.output_bytes:
                    self._first_line = pending.split(b"\n", 1)[0]
                    self._line_seen.set()
            room = self.limits.output_bytes - len(self._output)
            if room > 0:
                self._output += chunk[:room]
        self._line_seen.set()  # the end of the output: no (further) line will come

    def first_line(self, timeout: float) -> bytes | None:
        """The first line of the output, once written; None at a timeout or an early end."""
        self._line_seen.wait(timeout)
        return self._first_line

    def wait(self, timeout: float | None = None) -> int | None:
        """Until the process ends (or is killed); its exit code, None at a timeout."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def poll(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        """Kill the process group now (from any thread); `stop` still collects the output."""
        kill_group(self.process)

    def stop(self) -> SandboxResult:
        """Kill the process and its sandbox; what it did."""
        kill(self.process)
        self._reader.join(timeout=5)
        cap = self.limits.output_bytes
        result = SandboxResult(
            returncode=self.process.returncode,
            stdout=bytes(self._output).decode("utf-8", errors="replace"),
            stderr=read_capped(self._err_path, cap),
            timed_out=False,
            duration=time.monotonic() - self._started,
            isolation=self.isolation,
        )
        self._err_dir.cleanup()
        return result


def start_sandboxed(
    command: list[str],
    workspace: Path,
    *,
    mode: str = "auto",
    limits: Limits | None = None,
    env: dict[str, str] | None = None,
    binds: dict[str, str] | None = None,
    ro_binds: dict[str, str] | None = None,
    copy_workspace: bool = False,
    pass_fds: tuple[int, ...] = (),
) -> BackgroundProcess:
    """`run_sandboxed` without waiting: the same sandbox, limits and fresh uid; the caller
    stops it (the wall-clock limit is the caller's to enforce).

    Args:
        copy_workspace: the workspace read-only at WORKSPACE_SOURCE_MOUNT and a tmpfs of
            `limits.workspace_bytes` at /workspace, for the command to copy it into.
        pass_fds: descriptors the command inherits (the app host's listening socket).
    """
    limits = limits or Limits()
    launch = prepare_launch(
        workspace, mode=mode, env=env, binds=binds, ro_binds=ro_binds, tmp_bytes=limits.tmp_bytes,
        copy_bytes=limits.workspace_bytes if copy_workspace else None,
    )  # fmt: skip
    return BackgroundProcess(launch, command, limits, pass_fds)
