"""A disk quota per workspace while the agent works: a tmpfs of its own, sized by the kernel.

RLIMIT_FSIZE bounds each file, not their sum, and a loop that polls a workspace's size can be
outrun by a command that writes faster than it looks. So while a sample's agent works, its
workspace is a tmpfs mounted at the workspace's own path, with `size=` and `nr_inodes=`: the
kernel refuses the write that would pass the quota (ENOSPC, "No space left on device"), in
the sandbox and in the editor tool alike, whatever wrote it and however fast. The run
directory, the harness and the other samples live on other filesystems and never see that
disk fill up. When the agent is done, its files are copied to the run directory (never more
bytes than the quota) and the tmpfs is unmounted; grading gives the app a copy of its own on
a tmpfs of the same size (harness/tasks/templates/_app_host.py).

Mounting needs root (CAP_SYS_ADMIN), as the sandbox's uid switch does; without it the
harness says so once, and the agent's commands run with the per-file limit only.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import stat
from pathlib import Path

from harness.sandbox.run import Limits, warn_once

MS_NOSUID, MS_NODEV = 2, 4
MNT_DETACH = 2
SAVING_SUFFIX = ".saving"
MOUNTS = Path("/proc/self/mounts")
QUOTA_FS = "tmpfs"
MAX_UNMOUNTS = 8  # quotas stacked at one path by earlier runs that were killed
_ESCAPED = re.compile(r"\\([0-7]{3})")  # /proc/self/mounts writes a space as \040


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def mount_quota(path: Path, size: int, files: int) -> str | None:
    """Mount a tmpfs of `size` bytes and `files` inodes at `path` (a directory); None when
    mounted, else why it could not be."""
    options = f"size={size},nr_inodes={files},mode=0755".encode()
    flags = MS_NOSUID | MS_NODEV
    if _libc().mount(b"tmpfs", os.fsencode(path), QUOTA_FS.encode(), flags, options) != 0:
        return os.strerror(ctypes.get_errno())
    return None


def unmount(path: Path) -> None:
    """Detach the filesystem mounted at `path` (lazily: nothing holds it open by then)."""
    _libc().umount2(os.fsencode(path), MNT_DETACH)


def is_quota(path: Path) -> bool:
    """Whether a quota tmpfs is mounted at `path`."""
    target = os.path.realpath(path)
    try:
        lines = MOUNTS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    mounted = (line.split() for line in lines)
    return any(
        len(fields) > 2
        and fields[2] == QUOTA_FS
        and _ESCAPED.sub(lambda m: chr(int(m.group(1), 8)), fields[1]) == target
        for fields in mounted
    )


def release(workspace: Path) -> None:
    """Unmount a quota that a harness killed mid-sample left at `workspace` (on resume)."""
    for _ in range(MAX_UNMOUNTS):
        if not (workspace.is_dir() and is_quota(workspace)):
            return
        unmount(workspace)


def fresh_workspace(workspace: Path, limits: Limits | None = None) -> bool:
    """Create the (empty) workspace directory on its quota; whether it has one."""
    limits = limits or Limits()
    workspace.mkdir(parents=True)
    why = mount_quota(workspace, limits.workspace_bytes, limits.workspace_files)
    if why is not None:
        warn_once(
            f"WARNING: workspaces have no disk quota here (mounting a tmpfs: {why}; it needs "
            "root): the agent's commands can fill the run directory's disk (the size of "
            "each file is still limited)."
        )
    return why is None


def copy_tree(source: Path, target: Path, max_bytes: int) -> list[str]:
    """Copy directories, regular files (with their mode) and symlinks (as links, never
    followed) from `source` to `target` (created); nothing else. Files that would take the
    copy past `max_bytes` (sparse files, whose holes a copy would fill) are left out: their
    paths are returned."""
    target.mkdir(parents=True, exist_ok=True)
    copied, left_out = 0, []
    for root, dirs, files in os.walk(source):
        here = target / os.path.relpath(root, source)
        for name in [*dirs, *files]:
            path, copy = os.path.join(root, name), here / name
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                os.symlink(os.readlink(path), copy)
            elif stat.S_ISDIR(info.st_mode):
                copy.mkdir(mode=0o755)
            elif stat.S_ISREG(info.st_mode):
                if copied + info.st_size > max_bytes:
                    left_out.append(os.path.relpath(path, source))
                    continue
                shutil.copyfile(path, copy, follow_symlinks=False)
                os.chmod(copy, stat.S_IMODE(info.st_mode))
                copied += info.st_size
    return left_out


def persist(workspace: Path, limits: Limits | None = None) -> list[str]:
    """Move the workspace's files from its quota to the disk, at the same path, and unmount
    the quota (also when the copy fails). What was left out, as `copy_tree` says."""
    limits = limits or Limits()
    saving = workspace.with_name(workspace.name + SAVING_SUFFIX)
    if saving.exists():
        shutil.rmtree(saving)
    try:
        left_out = copy_tree(workspace, saving, limits.workspace_bytes)
    finally:
        release(workspace)
    workspace.rmdir()  # the empty mount point
    saving.rename(workspace)
    return left_out
