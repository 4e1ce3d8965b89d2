"""The workspace's disk quota (harness/sandbox/disk.py): a tmpfs sized by the kernel while the agent
works, and the copy of its files back to the run directory.

Mounting needs root: those tests skip elsewhere, saying why; the copy is tested everywhere.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.sandbox import disk
from harness.sandbox.run import Limits

QUOTA = Limits(workspace_bytes=4 * 1024**2, workspace_files=64)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "sample" / "workspace"
    quota = disk.fresh_workspace(where, QUOTA)
    if not quota:
        pytest.skip("no quota here (mounting a tmpfs was refused)")
    try:
        yield where
    finally:
        disk.release(where)


def fill(directory: Path, size: int) -> OSError:
    """Write files of `size` bytes until the disk refuses one; that refusal."""
    for index in range(10_000):
        try:
            (directory / f"fill-{index}").write_bytes(b"\0" * size)
        except OSError as exc:
            return exc
    raise AssertionError("the quota never stopped the writes")


@needs_root
def test_the_quota_stops_bytes_and_files_with_no_space_left(workspace: Path) -> None:
    assert disk.is_quota(workspace)
    refused = fill(workspace, 512 * 1024)
    assert refused.errno == errno.ENOSPC and "No space left on device" in str(refused)
    assert sum(p.stat().st_size for p in workspace.iterdir()) <= QUOTA.workspace_bytes
    for path in workspace.iterdir():
        path.unlink()
    assert fill(workspace, 0).errno == errno.ENOSPC  # empty files: the inode quota
    assert len(list(workspace.iterdir())) < QUOTA.workspace_files


@needs_root
def test_persist_keeps_the_files_on_disk_and_frees_the_quota(workspace: Path) -> None:
    (workspace / "app").mkdir()
    (workspace / "app" / "main.py").write_text("app = 1\n")
    (workspace / "run.sh").write_text("#!/bin/sh\n")
    (workspace / "run.sh").chmod(0o755)
    assert disk.persist(workspace, QUOTA) == []
    assert not disk.is_quota(workspace) and not os.path.ismount(workspace)
    assert (workspace / "app" / "main.py").read_text() == "app = 1\n"
    assert os.access(workspace / "run.sh", os.X_OK)
    assert sorted(p.name for p in workspace.parent.iterdir()) == ["workspace"]


@needs_root
def test_a_quota_left_by_a_killed_run_is_released(workspace: Path) -> None:
    assert disk.mount_quota(workspace, 1024**2, 16) is None  # stacked, as after two crashes
    disk.release(workspace)
    assert not disk.is_quota(workspace) and not os.path.ismount(workspace)


def test_the_copy_keeps_links_as_links_and_leaves_out_what_is_not_a_file(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "a.py").write_text("a = 1\n")
    os.symlink("/etc/shadow", source / "shadow")
    os.symlink("pkg", source / "linked")
    os.mkfifo(source / "fifo")  # opening it would block the copy for ever
    assert disk.copy_tree(source, tmp_path / "copy", max_bytes=1024) == []
    copy = tmp_path / "copy"
    assert os.readlink(copy / "shadow") == "/etc/shadow" and os.readlink(copy / "linked") == "pkg"
    assert (copy / "pkg" / "a.py").read_text() == "a = 1\n"
    assert not os.path.lexists(copy / "fifo")


def test_the_copy_never_writes_more_than_the_quota(tmp_path: Path) -> None:
    """A sparse file costs the tmpfs nothing, but a copy would fill its holes."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "small.txt").write_text("kept\n")
    for index in range(3):
        with open(source / f"sparse-{index}", "wb") as handle:
            handle.truncate(1024**3)
    left_out = disk.copy_tree(source, tmp_path / "copy", max_bytes=QUOTA.workspace_bytes)
    assert sorted(left_out) == [f"sparse-{i}" for i in range(3)]
    assert [p.name for p in (tmp_path / "copy").iterdir()] == ["small.txt"]
