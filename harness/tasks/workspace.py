"""Render a task's workspace on a starter (its layers, in order) and compare workspaces."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from harness.tasks.loader import EXPECT_FILE, EXTENDS_FILE, Task

IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.db", "*.sqlite", ".pytest_cache", ".harness_cache", EXTENDS_FILE
)
STATEMENT_FILE = "TASK.md"


def copy_layers(layers: list[Path], destination: Path) -> Path:
    """Copy folders into `destination` (created), later ones over earlier ones."""
    destination.mkdir(parents=True, exist_ok=True)
    for layer in layers:
        shutil.copytree(layer, destination, dirs_exist_ok=True, ignore=IGNORED, symlinks=False)
    return destination


def render_workspace(
    task: Task, starter: str, destination: Path, with_statement: bool = False
) -> Path:
    """Copy the task's layers on `starter` into `destination` (created)."""
    copy_layers(task.starter_layers(starter), destination)
    if with_statement:
        (destination / STATEMENT_FILE).write_text(
            f"# {task.spec.title}\n\n{task.spec.statement}", encoding="utf-8"
        )
    return destination


def snapshot(root: Path) -> dict[str, str]:
    """{relative posix path: sha256} of every regular file; caches and the harness-written
    TASK.md are ignored, symlinks are recorded as links (never followed)."""
    files: dict[str, str] = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d for d in dirnames if d not in ("__pycache__", ".pytest_cache", ".harness_cache")
        ]
        for name in filenames:
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if name.endswith((".pyc", ".db", ".sqlite")) or relative == STATEMENT_FILE:
                continue
            if path.is_symlink():
                files[relative] = "symlink:" + os.readlink(path)
                continue
            try:
                files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                files[relative] = "unreadable"
    return files


def changed_files(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """{path: "added" | "modified" | "deleted"} between two snapshots."""
    changes = {p: "added" for p in after.keys() - before.keys()}
    changes |= {p: "deleted" for p in before.keys() - after.keys()}
    changes |= {p: "modified" for p in before.keys() & after.keys() if before[p] != after[p]}
    return dict(sorted(changes.items()))


def overlay_files(layers: list[Path]) -> dict[str, bytes]:
    """{relative path: content} of a solution's layers (a later layer wins), for the oracle
    to write."""
    files: dict[str, bytes] = {}
    for overlay in layers:
        for directory, dirnames, filenames in os.walk(overlay):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name in (EXPECT_FILE, EXTENDS_FILE) and Path(directory) == overlay:
                    continue
                if name.endswith(".pyc"):
                    continue
                path = Path(directory) / name
                files[path.relative_to(overlay).as_posix()] = path.read_bytes()
    return files


CHANGES_FILE = "changes.json"  # in a sample's folder: {path: added|modified|deleted}
STARTER_COPY = "starter"  # in a sample's folder: the starter's version of each changed file


def starter_snapshot(task: Task, starter: str) -> tuple[dict[str, str], dict[str, Path]]:
    """The starter's {path: sha256} (its layers, later over earlier) and where each file
    lives, read in place rather than rendering a copy."""
    hashes: dict[str, str] = {}
    roots: dict[str, Path] = {}
    for root in task.starter_layers(starter):
        layer = {p: h for p, h in snapshot(root).items() if p != EXTENDS_FILE}
        hashes |= layer
        roots |= dict.fromkeys(layer, root)
    return hashes, roots


def keep_changes(task: Task, starter: str, workspace: Path, directory: Path) -> None:
    """Store in the sample's folder what its report needs to show the diff later without the
    tasks folder (which may have changed by then): the changed paths and the starter's
    version of each file the model modified or deleted."""
    before, origin = starter_snapshot(task, starter)
    changes = changed_files(before, snapshot(workspace))
    for path, change in changes.items():
        if change != "added":
            target = directory / STARTER_COPY / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin[path] / path, target)
    (directory / CHANGES_FILE).write_text(json.dumps(changes, indent=1) + "\n", encoding="utf-8")
