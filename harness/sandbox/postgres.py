"""A private, throwaway PostgreSQL server for `--db postgres`, one database per sample.

Debian's `postgresql` package provides the binaries; the harness runs its own cluster in
a temporary directory, listening on a Unix socket only (no TCP port at all), as an
unprivileged user, and tied to the harness's life (it dies with it, even on `kill -9`).
Sandboxed test suites reach it through the socket directory, bound read-only into the
sandbox, so the sandbox keeps its empty network namespace.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.core.errors import InputError

PG_BIN_ENV = "HARNESS_PG_BIN"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SOCKET_MOUNT = "/run/harness-postgres"
SUPERUSER = "harness"
START_SECONDS = 30.0
STALE_SECONDS = 3600
OWNER_FILE = "harness.pid"  # the harness process that owns a server directory
PR_SET_PDEATHSIG = 1
SERVER_SETTINGS = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
RUN_AS_CANDIDATES = ("postgres", "nobody")
INSTALL_HINT = "apt-get install postgresql, and pip install 'fastapi-agent-harness[postgres]'"

_lock = threading.Lock()
_server: PostgresServer | None = None


def find_bin_dir() -> Path | None:
    configured = os.environ.get(PG_BIN_ENV)
    candidates = [configured] if configured else sorted(glob.glob(PG_BIN_GLOB), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "postgres").is_file():
            return Path(candidate)
    return None


def driver_missing() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed"
    return None


@dataclass(frozen=True)
class Database:
    """One sample's database: its name, and URLs from inside and outside the sandbox."""

    name: str
    url_inside: str
    url_outside: str
    socket_dir: str


def _die_with_parent() -> None:
    """In the child before exec: the server gets SIGKILL when the harness dies (setpriv,
    which clears that setting when it changes uid, sets it again with --pdeathsig)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="harness-postgres-"))
        (self.root / OWNER_FILE).write_text(f"{os.getpid()}\n")
        self.data, self.sockets = self.root / "data", self.root / "sockets"
        self.process: subprocess.Popen[bytes] | None = None
        self.user = self._run_as()

    def _run_as(self) -> pwd.struct_passwd | None:
        """PostgreSQL refuses to run as root: pick an unprivileged system user then."""
        if os.geteuid() != 0:
            return None
        for name in RUN_AS_CANDIDATES:
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
        raise InputError("--db postgres: no unprivileged user (postgres, nobody) to run it as")

    def _argv(self, program: str, *args: str) -> list[str]:
        argv = [str(self.bin_dir / program), *args]
        if self.user is None:
            return argv
        return [
            "setpriv", f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}",
            "--clear-groups", "--pdeathsig", "KILL", *argv,
        ]  # fmt: skip

    def start(self) -> None:
        self.sockets.mkdir(parents=True)
        os.chmod(self.root, 0o755)
        if self.user is not None:
            for path in (self.root, self.sockets):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        init = subprocess.run(
            self._argv("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                       "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"),
            capture_output=True, text=True, cwd=self.root,
        )  # fmt: skip
        if init.returncode != 0:
            raise InputError(f"--db postgres: initdb failed: {_last_line(init.stderr)}")
        settings = [f"-c{key}={value}" for key, value in SERVER_SETTINGS.items()]
        log = open(self.root / "server.log", "wb")  # noqa: SIM115 - the server's lifetime
        self.process = subprocess.Popen(
            self._argv("postgres", "-D", str(self.data), "-k", str(self.sockets), *settings),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.root,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                text = (self.root / "server.log").read_text(errors="replace")
                raise InputError(f"--db postgres: the server did not start: {_last_line(text)}")
            if self._psql("postgres", "SELECT 1").returncode == 0:
                return
            time.sleep(0.1)
        raise InputError(f"--db postgres: the server did not answer in {START_SECONDS:.0f} s")

    def _psql(self, database: str, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin_dir / "psql"), "-h", str(self.sockets), "-U", SUPERUSER, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-qAt", "-c", command],
            capture_output=True, text=True, env={"PATH": os.environ.get("PATH", ""), "PGCONNECT_TIMEOUT": "5"},
        )  # fmt: skip

    def create_database(self) -> Database:
        name = f"sample_{secrets.token_hex(6)}"
        created = self._psql("postgres", f'CREATE DATABASE "{name}"')
        if created.returncode != 0:
            raise InputError(
                f"--db postgres: cannot create a database: {_last_line(created.stderr)}"
            )
        return Database(
            name=name,
            url_inside=f"postgresql+psycopg://{SUPERUSER}@/{name}?host={SOCKET_MOUNT}",
            url_outside=f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.sockets}",
            socket_dir=str(self.sockets),
        )

    def drop_database(self, database: Database) -> None:
        self._psql("postgres", f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # immediate shutdown: the data is throwaway
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _start_from_keeper_thread(server: PostgresServer) -> None:
    """Start the server from a thread that lives as long as the process: the kernel's
    parent-death signal follows the thread that forked, and a pool thread may end early."""
    started = threading.Event()
    failure: list[BaseException] = []

    def keeper() -> None:
        try:
            server.start()
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)
        finally:
            started.set()
        threading.Event().wait()

    threading.Thread(target=keeper, name="postgres-keeper", daemon=True).start()
    started.wait()
    if failure:
        raise failure[0]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _pid_in(path: Path) -> int | None:
    """The pid a file names; None when there is no such file; -1 when it is unreadable."""
    if not path.is_file():
        return None
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1


def sweep_stale(parent: Path | None = None) -> None:
    """Remove the directories of servers whose harness was killed (atexit never ran).

    The owner's pid decides, not the postmaster's: initdb's bootstrap backend writes and
    removes a postmaster.pid of its own, so another harness sweeping then would see a dead
    postmaster in a directory still being made.
    """
    for root in Path(parent or tempfile.gettempdir()).glob("harness-postgres-*"):
        owner = _pid_in(root / OWNER_FILE)
        postmaster = _pid_in(root / "data" / "postmaster.pid")
        if owner == -1 or postmaster == -1:
            continue
        if owner is not None and _alive(owner):
            continue
        if postmaster is not None and _alive(postmaster):
            continue  # a server still running: leave it to its owner
        if owner is None and postmaster is None:
            try:
                if time.time() - root.stat().st_mtime < STALE_SECONDS:
                    continue  # being created right now, by a harness that wrote no owner yet
            except OSError:
                continue
        shutil.rmtree(root, ignore_errors=True)


def shared_server() -> PostgresServer:
    """The process's server, started on first use and stopped at exit."""
    global _server
    with _lock:
        if _server is None:
            bin_dir = find_bin_dir()
            if bin_dir is None:
                raise InputError(f"--db postgres: PostgreSQL is not installed ({INSTALL_HINT})")
            missing = driver_missing()
            if missing:
                raise InputError(f"--db postgres: {missing} ({INSTALL_HINT})")
            sweep_stale()
            server = PostgresServer(bin_dir)
            _start_from_keeper_thread(server)
            atexit.register(server.stop)
            _server = server
        return _server
