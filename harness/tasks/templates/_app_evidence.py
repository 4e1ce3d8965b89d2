"""The app host's helpers that are not the app's requests (copied beside `_app_host.py`):
its copy of the workspace, the architecture probe, and how a service call answered.

Standard library only, as the host: nothing here may depend on what the app could shadow.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import importlib.abc
import json
import os
import re
import select
import shutil
import signal
import stat
import sys
import tempfile
import time
import traceback
from pathlib import Path, PurePosixPath
from typing import Any

WORKSPACE = Path(os.environ.get("HARNESS_WORKSPACE_PATH", "/workspace"))
FULL = (errno.ENOSPC, errno.EDQUOT)
# Built-in exceptions that say the code is broken (or was called wrongly), not that the
# business operation failed: a crash, which is no rule's evidence.
PROGRAMMING_ERRORS = frozenset({
    "TypeError", "AttributeError", "NameError", "UnboundLocalError", "ImportError",
    "ModuleNotFoundError", "AssertionError", "RecursionError", "NotImplementedError",
    "SyntaxError",
})  # fmt: skip
FAILURE_TYPE = re.compile(r"fail|^err", re.IGNORECASE)
ERROR_ATTRIBUTES = ("error", "err", "failure", "exception")
OK_ATTRIBUTES = ("ok", "is_ok", "success", "is_success")
# The architecture probe: the service modules the agent created or changed (workspace-
# relative paths, one per line) must import with fastapi and starlette made unimportable.
PROBE_PATHS = os.environ.get("HARNESS_PROBE_PATHS", "")
PROBE_SECONDS = 120
PROBE_OUTPUT = 16 * 1024
REAP_PAUSE = 0.01
BLOCKED = ("fastapi", "starlette")
# What service modules import besides the framework, imported once before the probe forks,
# so that neither the probe's interpreter nor these imports cost a second time.
PRELOAD = ("sqlalchemy", "sqlalchemy.orm", "pydantic", "pydantic_settings")


# ---- the workspace's copy ----------------------------------------------------------------


def copy_workspace(source: Path, target: Path) -> int:
    """Copy the workspace into the app's own: directories, regular files (with their mode)
    and symlinks (as links, never followed); nothing else, so that a FIFO cannot block the
    copy. A full disk stops it (OSError); an entry that cannot be read is left out, counted."""
    target.mkdir(parents=True, exist_ok=True)
    skipped = 0
    for root, dirs, files in os.walk(source):
        here = target / os.path.relpath(root, source)
        for name in [*dirs, *files]:
            path, copy = os.path.join(root, name), here / name
            try:
                info = os.lstat(path)
                if stat.S_ISLNK(info.st_mode):
                    os.symlink(os.readlink(path), copy)
                elif stat.S_ISDIR(info.st_mode):
                    copy.mkdir(mode=0o755)
                elif stat.S_ISREG(info.st_mode):
                    shutil.copyfile(path, copy, follow_symlinks=False)
                    os.chmod(copy, stat.S_IMODE(info.st_mode) | stat.S_IRUSR | stat.S_IWUSR)
            except OSError as exc:
                if exc.errno in FULL:
                    raise
                skipped += 1
    return skipped


# ---- the architecture probe --------------------------------------------------------------


class Block(importlib.abc.MetaPathFinder):
    """Makes fastapi and starlette unimportable."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked by the architecture probe")


def probe_modules(root: Path, paths: list[str]) -> list[str]:
    """Import each module with the framework blocked; one line per module that failed."""
    for name in [n for n in sys.modules if n.split(".")[0] in BLOCKED]:
        del sys.modules[name]  # imported already: it must be found again, and blocked
    sys.meta_path.insert(0, Block())
    sys.path.insert(0, str(root))
    failed = []
    for relative in paths:
        module = ".".join(PurePosixPath(relative).with_suffix("").parts)
        try:
            importlib.import_module(module.removesuffix(".__init__"))
        except Exception as exc:
            failed.append(f"{relative}\t{type(exc).__name__}: {exc}".splitlines()[0])
    return failed


class Probe:
    """The architecture probe, forked from the host before the app is imported: it shares
    the libraries the host preloaded (not fastapi) and imports the changed service modules.
    A fork, not a fresh interpreter: the probe's start-up and those imports cost once."""

    def __init__(self, keep_closed: tuple[int, ...] = ()) -> None:
        paths = [path for path in PROBE_PATHS.splitlines() if path]
        self.result: dict[str, Any] | None = None
        if not paths:
            self.result = {"returncode": 0, "out": "", "err": ""}
            return
        for name in PRELOAD:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (the probe's stderr, kept)
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read)
            _probe_child(write, self.log.fileno(), keep_closed, paths)
        os.close(write)
        self.pipe = read

    def _read(self, deadline: float) -> bytes | None:
        """The child's one line, or None at the deadline."""
        data = b""
        while b"\n" not in data and len(data) <= PROBE_OUTPUT * 2:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.pipe], [], [], remaining)[0]:
                return None
            chunk = os.read(self.pipe, 65536)
            if not chunk:
                break
            data += chunk
        return data

    def _reap(self, deadline: float) -> int:
        """The child's exit code, killed at the deadline if it has not ended by then."""
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(REAP_PAUSE)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])

    def outcome(self) -> dict[str, Any]:
        """{"returncode", "out" (a failed module per line), "err"}, or {"timed_out"}."""
        if self.result is not None:
            return self.result
        deadline = time.monotonic() + PROBE_SECONDS
        line = self._read(deadline)
        code = self._reap(deadline if line is not None else time.monotonic())
        os.close(self.pipe)
        if line is None:
            self.result = {"timed_out": True, "seconds": PROBE_SECONDS}
            return self.result
        try:
            verdict = json.loads(line)
        except ValueError:  # it ended before its verdict (os._exit at import): its exit code
            verdict = {"returncode": code, "out": ""}
        self.log.seek(0)
        err = self.log.read()[-PROBE_OUTPUT:].decode("utf-8", errors="replace")
        self.result = {"returncode": verdict["returncode"], "out": verdict["out"], "err": err}
        return self.result


def _probe_child(write: int, log: int, keep_closed: tuple[int, ...], paths: list[str]) -> None:
    """The probe's process: its output to the log, its verdict as one line of JSON."""
    code = 2
    try:
        for fd in keep_closed:  # the listening socket: only the host answers the tests
            with contextlib.suppress(OSError):
                os.close(fd)
        os.dup2(log, 1)
        os.dup2(log, 2)
        failed = probe_modules(WORKSPACE, paths)
        code = 1 if failed else 0
        line = json.dumps({"returncode": code, "out": "\n".join(failed)[:PROBE_OUTPUT]})
        os.write(write, line.encode() + b"\n")
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        os._exit(code)


# ---- how a service call answered ---------------------------------------------------------


def one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300] if str(exc) else type(exc).__name__


def raised(exc: BaseException) -> dict[str, Any]:
    """What a service raised, and the workspace frames it passed through (innermost last)."""
    frames = [
        [Path(frame.filename).resolve().relative_to(WORKSPACE.resolve()).as_posix(), frame.lineno]
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(WORKSPACE.resolve())
    ]
    http = any(cls.__name__ == "HTTPException" for cls in type(exc).__mro__)
    crashed = type(exc).__module__ == "builtins" and type(exc).__name__ in PROGRAMMING_ERRORS
    return {
        "outcome": "raised-http-exception" if http else "crashed" if crashed else "raised-error",
        "message": one_line(exc),
        "frames": frames,
    }


def carried_error(value: Any) -> str | None:
    """How a returned value carries an error, if it does: it is an exception, its type is
    named as a failure (Failure, Err, ...), or it holds one under an error-like attribute
    (and does not say it is ok)."""
    if isinstance(value, BaseException):
        return f"returned {type(value).__name__}"
    if FAILURE_TYPE.search(type(value).__name__):
        return f"returned {type(value).__name__}"
    for name in ERROR_ATTRIBUTES:
        try:
            held = getattr(value, name, None)
            ok = next((getattr(value, f) for f in OK_ATTRIBUTES if hasattr(value, f)), None)
        except Exception:  # a property of the app's that fails says nothing either way
            continue
        if held is not None and not callable(held) and ok is not True:
            return f"returned {type(value).__name__} with {name}={type(held).__name__}"
    return None
