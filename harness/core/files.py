"""Run-state files: written atomically (reports) or append-only and flushed (events)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from harness.core.errors import HarnessError
from harness.core.schema import SampleScore

REPORT_MODE = 0o644


class WriteFailed(HarnessError):
    """A run-state file could not be written (a full disk, a read-only or missing folder);
    the file keeps its previous content. Exit 2 with this one line."""


def _write_failed(path: Path, exc: OSError) -> WriteFailed:
    reason = exc.strerror or type(exc).__name__
    return WriteFailed(
        f"{path}: cannot write ({reason}); its previous content is kept: "
        "free space or fix the folder, then run the command again"
    )


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename: a crash or a full disk leaves the old file or
    the new one, never a part of either, and no temporary file."""
    write_atomic_chunks(path, (text,))


def write_atomic_chunks(path: Path, chunks: Iterable[str]) -> None:
    """As write_atomic, from text produced piece by piece (a report streamed from a run
    directory), so the whole text never has to be in memory."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(tmp, REPORT_MODE)  # mkstemp makes 0600; reports are for people to read
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _write_failed(path, exc) from exc
        raise


def write_model(path: Path, model: BaseModel) -> None:
    write_atomic(path, model.model_dump_json(indent=2) + "\n")


def append_event(path: Path, event: dict) -> None:
    """One JSON line per event, flushed and synced before returning; a write that fails
    (a full disk) is cut back off, so the log never keeps half a line behind a later one."""
    line = (json.dumps(event, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, REPORT_MODE)
    except OSError as exc:
        raise _write_failed(path, exc) from exc
    size = os.fstat(fd).st_size
    try:
        written = 0
        while written < len(line):
            written += os.write(fd, line[written:])
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):  # else discard_torn_tail cuts it at the next start
            os.ftruncate(fd, size)
        raise _write_failed(path, exc) from exc
    finally:
        os.close(fd)


def discard_torn_tail(path: Path) -> int:
    """Cut a partial last line left by a crash mid-write; returns the bytes discarded."""
    if not path.is_file():
        return 0
    with open(path, "rb+") as handle:
        data = handle.read()
        keep = data.rfind(b"\n") + 1
        if keep == len(data):
            return 0
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
        return len(data) - keep


def read_events(path: Path) -> Iterator[dict]:
    """Events in order; a torn last line (a crash mid-write) is skipped, never fatal, and so
    is a corrupt line anywhere (not a JSON object, or a sample event without a valid score):
    its sample is simply not done, and a resumed run runs it again."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                return
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and _well_formed(event):
                yield event


def _well_formed(event: dict) -> bool:
    if event.get("type") != "sample":
        return True
    try:
        SampleScore.model_validate(event.get("score"))
    except ValidationError:
        return False
    return True
