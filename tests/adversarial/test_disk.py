"""A full disk while the run's files are written: the previous files stay whole (atomic
writes, an event log cut back to its last complete line) and the command says so in one line.

The disk is a real, small tmpfs mounted for the test (skipped, saying why, where mounting is
not permitted); the same guarantees are also checked everywhere with a fault-injected fsync.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core import files as io
from harness.core.files import WriteFailed, append_event, read_events, write_atomic

DISK_SIZE = "4m"
FILL_CHUNKS = (1 << 16, 1 << 12, 1)
BIG_EVENT_BYTES = 1 << 16
EPOCHS = 2


def _mount(where: Path) -> str | None:
    """Mount a small tmpfs at `where`; None when mounted, else why it could not be."""
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root"
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(where)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return None if result.returncode == 0 else f"mount -t tmpfs refused: {result.stderr.strip()}"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "disk"
    where.mkdir()
    reason = _mount(where)
    if reason is not None:
        pytest.skip(f"no small disk to fill ({reason}); the fault-injected tests still run")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses even one more byte."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in FILL_CHUNKS:
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def run_args(out: Path) -> list[str]:
    return ["run", "--agent", "baseline", "--model", "oracle", "--epochs", str(EPOCHS), "--no-score", "--out", str(out)]  # fmt: skip


def test_a_full_disk_while_writing_the_report_keeps_the_previous_report(
    tasks_root: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = small_disk / "run"
    assert main(run_args(out)) == 0
    before = snapshot(out)
    filler = fill(small_disk)
    capsys.readouterr()
    assert main(["run", "--resume", str(out)]) == 2
    err = one_line(capsys.readouterr().err)
    assert str(out / "report.json") in err and "No space left on device" in err
    assert snapshot(out) == before  # report.json and events.jsonl whole; no temporary file
    filler.unlink()
    assert main(["run", "--resume", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert len(report["samples"]) == EPOCHS


def test_a_run_started_on_a_full_disk_says_so_and_leaves_nothing_that_looks_finished(
    tasks_root: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(small_disk)
    out = small_disk / "run"
    assert main(run_args(out)) == 2
    assert "No space left on device" in one_line(capsys.readouterr().err)
    assert not (out / "report.json").exists()
    assert main(["report", str(out)]) == 2  # a partial run is never taken for a finished one
    assert "no report.json" in one_line(capsys.readouterr().err)


def test_an_event_that_does_not_fit_is_cut_back_off(small_disk: Path) -> None:
    events = small_disk / "events.jsonl"
    append_event(events, {"type": "progress", "n": 1})
    before = events.read_bytes()
    fill(small_disk)
    with pytest.raises(WriteFailed, match="No space left on device"):
        append_event(events, {"type": "progress", "blob": "x" * BIG_EVENT_BYTES})
    assert events.read_bytes() == before  # not half a line that the next one would glue onto
    assert list(read_events(events)) == [{"type": "progress", "n": 1}]


# --- the same guarantees with a fault-injected fsync (no mount needed) ------------------


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_fsync_keeps_the_previous_report_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.json"
    write_atomic(report, '{"old": true}\n')
    monkeypatch.setattr(io.os, "fsync", _no_space)
    with pytest.raises(WriteFailed) as caught:
        write_atomic(report, '{"new": true}\n')
    assert str(report) in str(caught.value) and "\n" not in str(caught.value)
    assert report.read_text() == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_failed_fsync_cuts_the_event_back_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events.jsonl"
    append_event(events, {"type": "progress", "n": 1})
    before = events.read_bytes()
    monkeypatch.setattr(io.os, "fsync", _no_space)
    with pytest.raises(WriteFailed):
        append_event(events, {"type": "progress", "n": 2})
    assert events.read_bytes() == before


def test_the_cli_turns_a_write_failure_into_one_line(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    assert main(run_args(out)) == 0
    before = snapshot(out)
    monkeypatch.setattr(io.os, "fsync", _no_space)
    capsys.readouterr()
    assert main(["run", "--resume", str(out)]) == 2
    assert str(out / "report.json") in one_line(capsys.readouterr().err)
    assert snapshot(out) == before
