"""Run one function in a forked child, with a deadline: a crash or a hang costs the child.

libcst's native parser recurses without a limit (it overflows its stack, killing the
process, on a 30,000-link attribute chain) and is quadratic on long operator chains; only
a process of its own can tell whether a file is one of those.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import time
import warnings
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
READ_CHUNK = 1 << 16


class Outcome:
    """Why `run_isolated` has no result: the child died, or ran out of time."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


CRASHED = Outcome("crashed")
TIMED_OUT = Outcome("timed out")


def run_isolated(function: Callable[[bytes], T], data: bytes, seconds: float) -> T | Outcome:
    """`function(data)` in a forked child, its result sent back pickled; CRASHED if the
    child died or raised, TIMED_OUT (child killed) past `seconds`. Where there is no fork
    (Windows) it runs here, unprotected."""
    if not hasattr(os, "fork"):
        return function(data)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # 3.12+ warns about fork in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(function(data)))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        received = _read_until(read_end, time.monotonic() + seconds)
    finally:
        os.close(read_end)
    if received is None:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if received is None:
        return TIMED_OUT
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        return CRASHED
    return pickle.loads(received)  # type: ignore[no-any-return]


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, up to its end of the pipe; None past the deadline."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(fd, READ_CHUNK)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
