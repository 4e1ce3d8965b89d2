"""Run untrusted commands: bubblewrap where available, limits always, secrets never.

Under bubblewrap the command sees a new root made of read-only system directories and the
Python installation, its own workspace at /workspace (the only writable place besides a
private /tmp), no network (its own empty network namespace), its own PID namespace, and it
dies with the harness. Root is not bound by RLIMIT_NPROC, so when the harness runs as root
the command is switched to an unprivileged uid inside the sandbox (setpriv), a distinct one
per concurrent sample. Without bubblewrap the same limits, uid switch and scrubbed
environment apply to a plain subprocess, and the harness says so once, loudly.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.sandbox.bwrap import (  # noqa: F401 (re-exported: the sandbox's public names)
    SYSTEM_DIRS,
    WORKSPACE_MOUNT,
    WORKSPACE_SOURCE_MOUNT,
    Mounts,
    bwrap_argv,
    bwrap_has_size,
    bwrap_path,
    drop_privileges,
)

SANDBOX_UID_BASE = 42000
SANDBOX_UID_SPAN = 20000
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
READ_CHUNK = 64 * 1024
_uid_counter = itertools.count()
_uid_lock = threading.Lock()
_warned: set[str] = set()


@dataclass(frozen=True)
class Limits:
    """Per-command limits; the defaults fit a generated test suite on a 2-core machine."""

    wall_seconds: float = 120.0
    memory_bytes: int = 4 * 1024**3
    processes: int = 256
    file_bytes: int = 256 * 1024**2
    open_files: int = 1024
    output_bytes: int = 64 * 1024
    tmp_bytes: int = 512 * 1024**2  # the private /tmp lives in the host's memory
    # A workspace's quota, in bytes and in files (harness.sandbox.disk while the agent works, the
    # app host's own copy while it is graded): a tmpfs in the host's memory too.
    workspace_bytes: int = 256 * 1024**2
    workspace_files: int = 256 * 1024


@dataclass(frozen=True)
class SandboxResult:
    """What a sandboxed command did: exit code (negative: killed by that signal), output."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    duration: float
    isolation: str


def resolve_mode(mode: str) -> str:
    """`auto` -> `bwrap` when bubblewrap works here, else `none` (with one loud warning)."""
    if mode == "none":
        return "none"
    if bwrap_path() is not None:
        return "bwrap"
    if mode == "bwrap":
        from harness.core.errors import SandboxError

        raise SandboxError(
            "--sandbox bwrap: bubblewrap is not installed (apt-get install bubblewrap)"
        )
    warn_once(
        "WARNING: bubblewrap (bwrap) not found: model-written code runs WITHOUT filesystem "
        "and network isolation (limits still apply). Install it: apt-get install bubblewrap"
    )
    return "none"


def warn_once(message: str) -> None:
    """Print a warning once per process (to stderr)."""
    if message not in _warned:
        sys.stderr.write(message + "\n")
        _warned.add(message)


def allocate_uid() -> int:
    """A distinct unprivileged uid per sandboxed command (RLIMIT_NPROC counts per uid),
    spread by process id so that concurrent harness processes do not share one."""
    with _uid_lock:
        return SANDBOX_UID_BASE + (os.getpid() * 64 + next(_uid_counter)) % SANDBOX_UID_SPAN


def scrubbed_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: nothing inherited, so no API key or token can leak in."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:{SAFE_PATH}",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "NO_COLOR": "1",
    }
    env.update(extra or {})
    return env


def _others_can_run_python() -> bool:
    """Whether an unprivileged uid can reach the interpreter (pyenv under /root cannot)."""
    path = Path(sys.executable).resolve()
    for ancestor in path.parents:
        if not os.stat(ancestor).st_mode & 0o001:
            return False
    return bool(os.stat(path).st_mode & 0o001)


@dataclass(frozen=True)
class Launch:
    """How to start a sandboxed process: argv prefix, working directory, environment."""

    prefix: list[str]
    cwd: str | None
    env: dict[str, str]
    isolation: str
    uid: int


def prepare_launch(
    workspace: Path,
    *,
    mode: str = "auto",
    env: dict[str, str] | None = None,
    binds: dict[str, str] | None = None,
    ro_binds: dict[str, str] | None = None,
    tmp_bytes: int | None = None,
    copy_bytes: int | None = None,
) -> Launch:
    """Resolve the isolation, hand the workspace to a fresh uid, and build the argv prefix.

    With `copy_bytes` (bubblewrap only), /workspace is a tmpfs of that size and the workspace
    is bound read-only at WORKSPACE_SOURCE_MOUNT, for the command to copy (the app host)."""
    isolation = resolve_mode(mode)
    if isolation == "none" and os.geteuid() == 0 and not _others_can_run_python():
        warn_once(
            "WARNING: without bubblewrap, sandboxed commands run as root here (the Python "
            "interpreter is not reachable by an unprivileged uid), so process limits do not bind."
        )
    as_root = os.geteuid() == 0
    uid = allocate_uid()
    environment = scrubbed_env(env)
    workspace = workspace.resolve()
    if as_root and (isolation == "bwrap" or _others_can_run_python()):
        _prepare_workspace(workspace, uid)
        for outside in (binds or {}).values():
            _prepare_workspace(Path(outside), uid)
    if isolation == "bwrap":
        mounts = Mounts(workspace, binds or {}, ro_binds or {}, tmp_bytes, copy_bytes)
        if (tmp_bytes is not None or copy_bytes is not None) and not bwrap_has_size():
            warn_once(
                "WARNING: this bubblewrap cannot size a tmpfs (--size needs bubblewrap 0.7 or "
                "later): the private /tmp and the app host's workspace copy have no quota."
            )
        prefix = bwrap_argv(mounts, environment, as_root, uid)
        return Launch(prefix, None, {"PATH": SAFE_PATH}, isolation, uid)
    environment = {**environment, "HARNESS_WORKSPACE": str(workspace)}
    drop = as_root and _others_can_run_python()
    return Launch(drop_privileges(uid) if drop else [], str(workspace), environment, isolation, uid)


def set_limits(limits: Limits) -> None:
    """Runs in the child between fork and exec."""
    mem = limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = int(limits.wall_seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _is_sandbox_uid(uid: int) -> bool:
    return SANDBOX_UID_BASE <= uid < SANDBOX_UID_BASE + SANDBOX_UID_SPAN


def _prepare_workspace(workspace: Path, uid: int) -> None:
    """Hand the workspace to the sandbox uid (only when the harness runs as root).

    A file with several names that no sandbox uid owns may be a hard link to a file outside
    the workspace (a workspace handed to `harness score`): it keeps its owner, so the
    sandbox cannot write to the host's file through it.
    """
    for root, dirs, files in os.walk(workspace):
        for name in [*dirs, *files]:
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                info = os.lstat(path)
                shared = not stat.S_ISDIR(info.st_mode) and info.st_nlink > 1
                if shared and not _is_sandbox_uid(info.st_uid):
                    continue
                os.lchown(path, uid, uid)
    os.chown(workspace, uid, uid)


def read_capped(path: Path, cap: int) -> str:
    with open(path, "rb") as handle:
        data = handle.read(cap + 1)
    text = data[:cap].decode("utf-8", errors="replace")
    return text + ("\n[output truncated]" if len(data) > cap else "")


def spawn(
    launch: Launch,
    command: list[str],
    limits: Limits,
    stdout: Any,
    stderr: Any,
    pass_fds: tuple[int, ...] = (),
) -> subprocess.Popen[bytes]:
    """Start `command` under `launch`, in a new session, with the limits set before exec
    (and `pass_fds` open in it, at the same numbers)."""
    return subprocess.Popen(
        [*launch.prefix, *command],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        cwd=launch.cwd,
        env=launch.env,
        start_new_session=True,
        preexec_fn=lambda: set_limits(limits),
        pass_fds=pass_fds,
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole process group (the sandbox goes with bwrap), without waiting."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the whole process group and reap it."""
    kill_group(process)
    process.wait()


def run_sandboxed(
    command: list[str],
    workspace: Path,
    *,
    mode: str = "auto",
    limits: Limits | None = None,
    env: dict[str, str] | None = None,
    binds: dict[str, str] | None = None,
    ro_binds: dict[str, str] | None = None,
) -> SandboxResult:
    """Run `command` with `workspace` as its only writable directory (at /workspace).

    Args:
        binds: extra writable directories, {path inside: path outside} (e.g. a results dir).
        ro_binds: extra read-only directories (e.g. a database's socket directory).
        env: variables added to the scrubbed environment.
    """
    limits = limits or Limits()
    launch = prepare_launch(
        workspace, mode=mode, env=env, binds=binds, ro_binds=ro_binds, tmp_bytes=limits.tmp_bytes
    )
    with tempfile.TemporaryDirectory(prefix="harness-out-") as out_dir:
        out_path, err_path = Path(out_dir) / "stdout", Path(out_dir) / "stderr"
        started = time.monotonic()
        timed_out = False
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            process = spawn(launch, command, limits, out, err)
            try:
                process.wait(timeout=limits.wall_seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                kill(process)
        duration = time.monotonic() - started
        cap = limits.output_bytes
        return SandboxResult(
            returncode=process.returncode,
            stdout=read_capped(out_path, cap),
            stderr=read_capped(err_path, cap),
            timed_out=timed_out,
            duration=duration,
            isolation=launch.isolation,
        )


_checked: dict[str, str | None] = {}


def self_check(mode: str) -> str | None:
    """Why the sandbox cannot run Python with the harness's packages here, or None.

    Run once per process before any sample, so that a broken sandbox stops the run with a
    clear message instead of being scored as the model's failure.
    """
    isolation = resolve_mode(mode)
    if isolation not in _checked:
        with tempfile.TemporaryDirectory(prefix="harness-selfcheck-") as tmp:
            result = run_sandboxed(
                [sys.executable, "-I", "-c", "import pytest, fastapi, sqlalchemy; print('ok')"],
                Path(tmp),
                mode=mode,
                limits=Limits(wall_seconds=60),
            )
        ok = result.returncode == 0 and result.stdout.strip() == "ok"
        _checked[isolation] = None if ok else (result.stderr or result.stdout).strip()[-500:]
    return _checked[isolation]


def ensure_sandbox(mode: str) -> None:
    """Stop before any sample if the sandbox cannot run the test suites here."""
    from harness.core.errors import SandboxError

    problem = self_check(mode)
    if problem is not None:
        from harness.sandbox.diagnosis import namespace_fix

        last = problem.splitlines()[-1] if problem else "no output"
        fix = namespace_fix(problem)
        if fix is not None:
            raise SandboxError(f"the {resolve_mode(mode)} sandbox cannot start ({last}): {fix}")
        raise SandboxError(
            f"the {resolve_mode(mode)} sandbox cannot run Python with pytest, fastapi and "
            f"sqlalchemy here ({last}); install them, or try --sandbox none"
        )
