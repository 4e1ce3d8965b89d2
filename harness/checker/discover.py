"""Find the Python files to check under the paths given on the command line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.errors import PathNotFound
from harness.rules.engine import module_name_for
from harness.rules.layers import matches_pattern


@dataclass(frozen=True)
class SourceFile:
    """One file to check and the three ways it is named."""

    abs_path: str
    display_path: str
    scope_path: str
    module_name: str
    is_package: bool


def _module_root(directory: Path) -> Path:
    """The directory above the outermost package containing `directory`."""
    root = directory
    while (root / "__init__.py").is_file() and root.parent != root:
        root = root.parent
    return root


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return os.path.relpath(path, cwd).replace(os.sep, "/")


def _source_file(path: Path, walk_root: Path, cwd: Path) -> SourceFile:
    display = _display(path, cwd)
    scope = display
    if scope.startswith("../") or os.path.isabs(scope):
        scope = path.relative_to(walk_root.parent).as_posix()
    module_root = _module_root(path.parent)
    module, is_package = module_name_for(path.relative_to(module_root).as_posix())
    return SourceFile(str(path), display, scope, module, is_package)


def _excluded(relative: str, excludes: Iterable[str]) -> bool:
    return any(matches_pattern(relative, pattern) for pattern in excludes)


def discover(
    paths: Iterable[str], excludes: tuple[str, ...], cwd: Path | None = None
) -> list[SourceFile]:
    """Files under `paths`, sorted, deduplicated; excluded patterns match relative to each
    directory argument. A file named explicitly is always checked."""
    cwd = (cwd or Path.cwd()).absolute()
    found: dict[str, SourceFile] = {}
    for raw in paths:
        given = Path(raw)
        path = given if given.is_absolute() else cwd / given
        path = Path(os.path.normpath(path))
        if not path.exists():
            raise PathNotFound(f"{raw}: no such file or directory; pass an existing path")
        if path.is_file():
            real = os.path.realpath(path)
            found.setdefault(real, _source_file(path, path.parent, cwd))
            continue
        for directory, dirnames, filenames in os.walk(path, followlinks=False):
            base = Path(directory)
            rel_dir = base.relative_to(path).as_posix()
            dirnames[:] = sorted(d for d in dirnames if not _excluded(f"{rel_dir}/{d}", excludes))
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file_path = base / name
                if _excluded(f"{rel_dir}/{name}", excludes) or not file_path.is_file():
                    continue  # excluded, or a dangling symlink / symlink loop / special file
                real = os.path.realpath(file_path)
                if not real.startswith(os.path.realpath(path) + os.sep):
                    continue  # a symlink out of the tree: not part of what was asked
                found.setdefault(real, _source_file(file_path, path, cwd))
    return sorted(found.values(), key=lambda f: f.display_path)
