"""One persistent sandboxed bash per sample, as Anthropic's bash tool expects.

`cd`, exported variables and background jobs survive from one command to the next. Each
command is sent base64-encoded and run with `eval` (so a syntax error is just an error,
never a wedged parser), with stdin from /dev/null (so nothing can swallow the next
command), followed by a sentinel carrying its exit status. A command that passes its time
limit takes the whole shell down with it; the next command starts a fresh one.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import re
import secrets
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from harness.sandbox.run import Limits, prepare_launch, set_limits

SHELL_ARGV = ["bash", "--noprofile", "--norc"]
READ_CHUNK = 1024 * 1024
SENTINEL_SLACK = 24
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
PIPE_BYTES = 1024 * 1024
FLOOD_PAUSE = 0.002


@dataclass(frozen=True)
class ShellOutput:
    output: str
    exit_code: int | None
    timed_out: bool = False
    shell_exited: bool = False


class PersistentShell:
    def __init__(self, workspace: Path, mode: str, limits: Limits) -> None:
        self.workspace, self.mode, self.limits = workspace, mode, limits
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""

    def _start(self) -> subprocess.Popen[bytes]:
        launch = prepare_launch(self.workspace, mode=self.mode, tmp_bytes=self.limits.tmp_bytes)
        self.token = f"__harness_done_{secrets.token_hex(8)}__"
        process = subprocess.Popen(
            [*launch.prefix, *SHELL_ARGV],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=launch.cwd,
            env=launch.env,
            start_new_session=True,
            preexec_fn=lambda: set_limits(self.limits),
        )
        os.set_blocking(process.stdout.fileno(), False)  # type: ignore[union-attr]
        with contextlib.suppress(OSError):  # fewer wake-ups when a command floods its output
            fcntl.fcntl(process.stdout.fileno(), F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[union-attr]
        self.process = process
        return process

    def run(self, command: str, timeout: float | None = None) -> ShellOutput:
        process = self.process if self.process and self.process.poll() is None else self._start()
        encoded = base64.b64encode(command.encode()).decode()
        script = (
            f"eval \"$(printf %s '{encoded}' | base64 -d)\" < /dev/null 2>&1\n"
            f"printf '\\n%s %s\\n' '{self.token}' \"$?\"\n"
        )
        try:
            process.stdin.write(script.encode())  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
        except (BrokenPipeError, OSError):
            self.close()
            return ShellOutput(
                "[the shell had exited; run the command again]", None, shell_exited=True
            )
        return self._collect(process, timeout or self.limits.wall_seconds)

    def _collect(self, process: subprocess.Popen[bytes], timeout: float) -> ShellOutput:
        kept = _Capped(self.limits.output_bytes)
        pending = b""  # held back: it may be the start of the sentinel
        hold = len(self.token) + SENTINEL_SLACK
        token = self.token.encode()
        pattern = re.compile(rb"\n?" + re.escape(token) + rb" (\d+)\n")
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.close()
                    kept.add(pending)
                    return ShellOutput(kept.text(), None, timed_out=True)
                if not selector.select(min(remaining, 1.0)):
                    continue
                chunk = process.stdout.read(READ_CHUNK)  # type: ignore[union-attr]
                if chunk is None:
                    continue
                if not chunk:  # EOF: the shell exited (`exit`, or killed)
                    code = process.wait()
                    self.close()
                    kept.add(pending)
                    return ShellOutput(kept.text(), code, shell_exited=True)
                buffer = pending + chunk
                match = pattern.search(buffer) if token in buffer else None  # find is fast
                if match:
                    kept.add(buffer[: match.start()])
                    return ShellOutput(kept.text(), int(match.group(1)))
                cut = max(len(buffer) - hold, 0)
                kept.add(buffer[:cut])
                pending = buffer[cut:]
                if kept.dropped and len(chunk) < READ_CHUNK // 2:
                    time.sleep(FLOOD_PAUSE)  # a flood in small writes: read it in big gulps

    def close(self) -> None:
        """Kill the shell and everything it started."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
        process.wait()


class _Capped:
    """Output kept up to a cap; the rest is counted, not stored."""

    def __init__(self, cap: int) -> None:
        self.cap, self.data, self.dropped = cap, bytearray(), 0

    def add(self, chunk: bytes) -> None:
        room = max(self.cap - len(self.data), 0)
        self.data += chunk[:room]
        self.dropped += max(len(chunk) - room, 0)

    def text(self) -> str:
        text = self.data.decode("utf-8", errors="replace")
        return text + (f"\n[output truncated: {self.dropped} more bytes]" if self.dropped else "")
