"""The bubblewrap command line of a sandbox: what it mounts, what it unshares, who it runs as.

Pure but for reading which system directories exist here. `harness.sandbox.run` starts it.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

WORKSPACE_MOUNT = "/workspace"
# With a workspace copy: the workspace, read-only, for the sandbox's first process to copy
# into its own size-limited /workspace (the app host does, before any app code runs).
WORKSPACE_SOURCE_MOUNT = "/harness/workspace"
SYSTEM_DIRS = ("/usr", "/etc", "/opt")
SYMLINKED_DIRS = ("bin", "lib", "lib64", "sbin")
COPY_PERMS = "1777"  # the tmpfs is root's; the sandbox uid writes in it, as in /tmp


@dataclass(frozen=True)
class Mounts:
    """What a sandbox sees besides the system: its workspace and extra directories.

    binds / ro_binds: {path inside: path outside}. tmp_bytes: the size of the private /tmp.
    copy_bytes: instead of binding the workspace writable at /workspace, bind it read-only at
    WORKSPACE_SOURCE_MOUNT and mount a tmpfs of this size at /workspace.
    """

    workspace: Path
    binds: dict[str, str] = field(default_factory=dict)
    ro_binds: dict[str, str] = field(default_factory=dict)
    tmp_bytes: int | None = None
    copy_bytes: int | None = None


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.cache
def bwrap_has_size() -> bool:
    """Whether this bubblewrap can cap a tmpfs (`--size`, bubblewrap 0.7 and later)."""
    help_text = subprocess.run(
        [bwrap_path() or "bwrap", "--help"], capture_output=True, text=True, check=False
    )
    return "--size" in help_text.stdout + help_text.stderr


def python_dirs() -> list[str]:
    """The interpreter and every site-packages directory it imports from."""
    dirs = {sys.base_prefix, sys.prefix, *(p for p in sys.path if "site-packages" in p)}
    return sorted(d for d in dirs if d and os.path.isdir(d) and not d.startswith(SYSTEM_DIRS))


def drop_privileges(uid: int) -> list[str]:
    return [
        "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all",
    ]  # fmt: skip


def _system() -> list[str]:
    argv = []
    for directory in SYSTEM_DIRS:
        if os.path.isdir(directory):
            argv += ["--ro-bind", directory, directory]
    for name in SYMLINKED_DIRS:
        target = os.path.realpath(f"/{name}")
        if os.path.islink(f"/{name}"):
            argv += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
        elif os.path.isdir(target):
            argv += ["--ro-bind", target, f"/{name}"]
    return argv


def _sized_tmpfs(where: str, size: int | None, perms: str) -> list[str]:
    sized = ["--size", str(size)] if size is not None and bwrap_has_size() else []
    return ["--perms", perms, *sized, "--tmpfs", where]


def _workspace(mounts: Mounts) -> list[tuple[str, str, str]]:
    """(flag, outside, inside) of the workspace: bound writable, or read-only for a copy."""
    if mounts.copy_bytes is None:
        return [("--bind", str(mounts.workspace), WORKSPACE_MOUNT)]
    return [("--ro-bind", str(mounts.workspace), WORKSPACE_SOURCE_MOUNT)]


def bwrap_argv(mounts: Mounts, env: dict[str, str], as_root: bool, uid: int) -> list[str]:
    """The argv prefix that runs a command in a fresh sandbox laid out as `mounts` says."""
    argv = [bwrap_path() or "bwrap", "--die-with-parent", "--new-session", *_system()]
    argv += ["--dev", "/dev", "--proc", "/proc", *_sized_tmpfs("/tmp", mounts.tmp_bytes, "1777")]
    created: set[str] = set()
    for directory in python_dirs():
        for ancestor in reversed(Path(directory).parents[:-1]):
            name = str(ancestor)
            if name not in created and name != "/tmp" and not name.startswith(SYSTEM_DIRS):
                argv += ["--perms", "0755", "--dir", name]
                created.add(name)
        argv += ["--ro-bind", directory, directory]
    if mounts.copy_bytes is not None:
        argv += _sized_tmpfs(WORKSPACE_MOUNT, mounts.copy_bytes, COPY_PERMS)
    entries = _workspace(mounts)
    entries += [("--bind", o, i) for i, o in sorted(mounts.binds.items())]
    entries += [("--ro-bind", o, i) for i, o in sorted(mounts.ro_binds.items())]
    for flag, outside, inside in entries:
        for ancestor in reversed(Path(inside).parents[:-1]):
            if str(ancestor) not in created:
                argv += ["--perms", "0755", "--dir", str(ancestor)]
                created.add(str(ancestor))
        argv += [flag, outside, inside]
    argv += [
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]
    if not as_root:
        argv += ["--unshare-user"]
    argv += ["--chdir", WORKSPACE_MOUNT, "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    argv.append("--")
    if as_root:
        argv += drop_privileges(uid)
    return argv
