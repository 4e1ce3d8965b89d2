"""The workspace's app in a sandbox of its own, beside the sandbox that runs its tests.

Why: the process that writes the verdict (pytest, and its JUnit file) must never run the
model's code, or that code could rewrite the verdict. So for one suite run, the app host
(`templates/_app_host.py`) imports the app in its own sandbox and a fresh uid, and serves
the tests' requests over a Unix socket, the only thing the two sandboxes share. The host
sees the workspace (read-only; the app runs on its own copy) but neither the suite nor its
results; the tests see neither the workspace nor the app.

One host serves the whole suite (each test asks it for a fresh state); if its process ends
(the app may call `os._exit`), it is started again, a few times at most, so that one case
that kills the app does not fail the others. A case that passes its time limit asks for a
fresh host too, through a second socket only the tests see (`restart.sock` in the control
directory): the harness kills the hung host and starts another, and those restarts do not
count against the few. The host prints a line before it runs any app code: a host that
never prints it failed for the harness's reasons (`app-host-failed`), not the model's.
Once the harness gives up, it leaves a note where the tests look for it and closes the
socket, so that they fail at once with the reason instead of waiting.

The harness owns the listening socket and hands it to each host it starts (an inherited
descriptor): the host's sandbox needs no writable directory of the host's disk, only its
/tmp and its own copy of the workspace, both size-limited tmpfs; and a request sent while a
host restarts waits in the socket's backlog for the next one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.sandbox.background import BackgroundProcess, start_sandboxed
from harness.sandbox.postgres import SOCKET_MOUNT, Database
from harness.sandbox.run import WORKSPACE_MOUNT, WORKSPACE_SOURCE_MOUNT, Limits

TEMPLATES = Path(__file__).parent / "templates"
HOST_SCRIPT = "_app_host.py"
EVIDENCE_FILE = "_app_evidence.py"
SHARED_FILE = "_shared.py"
HOST_MOUNT = "/harness/host"
SOCKET_DIR_MOUNT = "/harness/app"
CONTROL_MOUNT = "/harness/control"
SOCKET_NAME = "app.sock"
RESTART_SOCKET = "restart.sock"  # written by templates/_harness_support.py too
RESTART_REQUEST = b"restart"
RESTART_WAIT = 10.0
GONE_FILE = "gone"
SOCKET_MODE = 0o666  # the tests run as another uid
BACKLOG = 16
DATABASE_ENV = "HARNESS_DATABASE_URL"
APP_HOST_FAILED = "app-host-failed"
READY_SECONDS = 60.0
MAX_STARTS = 5
DIR_MODE = 0o755
OUTPUT_CHARS = 4000


def host_files() -> dict[str, str]:
    """{file name: content} of what the host sandbox runs (no suite, no expected values)."""
    return {
        name: (TEMPLATES / name).read_text(encoding="utf-8")
        for name in (HOST_SCRIPT, EVIDENCE_FILE, SHARED_FILE)
    }


@dataclass(frozen=True)
class HostReport:
    """How the app host fared over one suite run."""

    failure: str | None  # why it could not be started: the harness's problem, not the model's
    starts: int
    output: str
    timeouts: int = 0  # restarts the tests asked for, a case having passed its time limit


def _tail(text: str, chars: int = OUTPUT_CHARS) -> str:
    return text[-chars:].strip()


def _listen(path: Path) -> socket.socket:
    """A Unix socket listening at `path`, which the tests' uid may connect to."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    path.chmod(SOCKET_MODE)
    server.listen(BACKLOG)
    return server


def _close(server: socket.socket) -> None:
    """Close a listening socket, waking a thread blocked in its accept()."""
    with contextlib.suppress(OSError):
        server.shutdown(socket.SHUT_RDWR)
    server.close()


class AppHost:
    """The app host of one suite run: `start()`, hand `client_env` / `client_ro_binds` to
    the tests' sandbox, `stop()` when they are done."""

    def __init__(
        self,
        root: Path,
        workspace: Path,
        *,
        mode: str,
        limits: Limits,
        isolated: bool,
        database: Database | None = None,
        probe_paths: tuple[str, ...] = (),
    ) -> None:
        self.workspace = workspace
        self.probe_paths = probe_paths
        self.mode = mode
        self.limits = limits
        self.isolated = isolated
        self.database = database
        self.files, self.sockets, self.control = root / "host", root / "app", root / "control"
        self.data = root / "app-data"  # without bubblewrap only: the host's /tmp otherwise
        for directory in (self.files, self.sockets, self.control):
            directory.mkdir()
            directory.chmod(DIR_MODE)  # the tests' uid reaches the socket and the note
        for name, content in host_files().items():
            (self.files / name).write_text(content, encoding="utf-8")
        self.failure: str | None = None
        self.starts = 0
        self.timeouts = 0
        self._outputs: list[str] = []
        self._lock = threading.Lock()
        self._stopping = False
        self._current: BackgroundProcess | None = None
        self._hung: BackgroundProcess | None = None
        self._deadline = 0.0
        self._listener = _listen(self.sockets / SOCKET_NAME)
        self._restarts = _listen(self.control / RESTART_SOCKET)
        self._thread = threading.Thread(target=self._supervise, daemon=True)
        self._restarter = threading.Thread(target=self._serve_restarts, daemon=True)

    def _inside(self, mount: str, outside: Path) -> str:
        return mount if self.isolated else str(outside)

    @property
    def client_env(self) -> dict[str, str]:
        sockets = self._inside(SOCKET_DIR_MOUNT, self.sockets)
        return {
            "HARNESS_APP_SOCKET": f"{sockets}/{SOCKET_NAME}",
            "HARNESS_APP_CONTROL": self._inside(CONTROL_MOUNT, self.control),
        }

    @property
    def client_ro_binds(self) -> dict[str, str]:
        """The socket directory and the harness's note: all the tests see of the host."""
        if not self.isolated:
            return {}
        return {SOCKET_DIR_MOUNT: str(self.sockets), CONTROL_MOUNT: str(self.control)}

    def start(self) -> None:
        self._deadline = time.monotonic() + self.limits.wall_seconds
        self._thread.start()
        self._restarter.start()

    def _launch(self) -> tuple[BackgroundProcess, str]:
        token = f"harness-app-host-ready-{secrets.token_hex(8)}"
        source = self.workspace.resolve()
        env = {
            "HARNESS_WORKSPACE_PATH": WORKSPACE_MOUNT,
            "HARNESS_WORKSPACE_SOURCE": self._inside(WORKSPACE_SOURCE_MOUNT, source),
            "HARNESS_APP_SOCKET_FD": str(self._listener.fileno()),
            "HARNESS_APP_READY": token,
            "HARNESS_PROBE_PATHS": "\n".join(self.probe_paths),
        }
        ro_binds = {HOST_MOUNT: str(self.files)}
        if self.database is not None:
            inside = self.database.url_inside if self.isolated else self.database.url_outside
            env[DATABASE_ENV] = inside
            ro_binds[SOCKET_MOUNT] = self.database.socket_dir
        if not self.isolated:  # no tmpfs of its own: a fresh directory per start
            data = self.data / f"start-{len(self._outputs) + 1}"
            data.mkdir(parents=True, exist_ok=True)
            env["HARNESS_APP_DATA"] = str(data)
            env["HARNESS_WORKSPACE_PATH"] = str(data / "workspace")
        script = f"{self._inside(HOST_MOUNT, self.files)}/{HOST_SCRIPT}"
        process = start_sandboxed(
            [sys.executable, "-I", "-B", script],
            source,
            mode=self.mode,
            limits=self.limits,
            env=env,
            ro_binds=ro_binds if self.isolated else {},
            copy_workspace=self.isolated,
            pass_fds=(self._listener.fileno(),),
        )
        return process, token

    def _collect(self, process: BackgroundProcess, token: str, label: str) -> None:
        result = process.stop()
        output = _tail(result.stdout.removeprefix(f"{token}\n") + result.stderr)
        self._outputs.append(f"--- app host {label} (exit code {result.returncode}) ---\n{output}")

    def _fail(self, why: str) -> None:
        self.failure = f"the app host could not be started ({why})"
        self._give_up(self.failure)

    def _give_up(self, reason: str) -> None:
        """Tell the tests, through a directory only the harness writes, not to wait (and
        end the wait of a request already sent: closing the socket resets it)."""
        note = self.control / f".{GONE_FILE}.tmp"
        note.write_text(reason, encoding="utf-8")
        os.replace(note, self.control / GONE_FILE)
        _close(self._listener)

    def _serve_restarts(self) -> None:
        """The tests' requests for a fresh host, after a case passed its time limit."""
        while True:
            try:
                connection, _ = self._restarts.accept()
            except OSError:  # closed by stop()
                return
            with connection:
                connection.settimeout(RESTART_WAIT)
                with contextlib.suppress(OSError):
                    if connection.recv(len(RESTART_REQUEST)) == RESTART_REQUEST:
                        self._restart_hung()
                    connection.sendall(b"ok\n")

    def _restart_hung(self) -> None:
        """Kill the host that is serving (the supervisor starts the next one) and wait until
        it is gone, so that the tests' next request reaches the fresh one."""
        with self._lock:
            current = self._current
            if current is None or current.poll() is not None or self._stopping:
                return
            self.timeouts += 1
            self._hung = current
        current.kill()
        current.wait(RESTART_WAIT)

    def _supervise(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                if self.starts - self.timeouts >= MAX_STARTS:
                    self._give_up(
                        f"its process ended {self.starts} times (the app may exit, crash or hit "
                        "a limit); it is not started again"
                    )
                    return
                try:
                    process, token = self._launch()
                except Exception as exc:  # the sandbox itself: never the model's doing
                    self._fail(f"{type(exc).__name__}: {exc}")
                    return
                self._current = process
            line = process.first_line(READY_SECONDS)
            if line != token.encode():
                ended = process.poll() is not None
                self._collect(process, token, "start")
                with self._lock:
                    if not self._stopping:
                        why = (
                            "its process ended" if ended else f"not ready in {READY_SECONDS:.0f} s"
                        )
                        self._fail(f"{why}; {self._outputs[-1]}")
                return
            self.starts += 1
            if process.wait(max(0.0, self._deadline - time.monotonic())) is None:
                process.kill()  # the suite's wall-clock limit
            hung = " (stopped: a case passed its time limit)" if process is self._hung else ""
            self._collect(process, token, f"run {self.starts}{hung}")

    def stop(self) -> HostReport:
        """Stop the host (and any restart); what it did."""
        with self._lock:
            self._stopping = True
            current = self._current
        if current is not None:
            current.kill()
        _close(self._restarts)
        if self._thread.is_alive():
            self._thread.join()
        if self._restarter.is_alive():
            self._restarter.join()
        _close(self._listener)
        return HostReport(self.failure, self.starts, "\n".join(self._outputs), self.timeouts)
