"""Find the Python files to check under the paths given on the command line."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.core.errors import PathNotFound
from harness.rules.layers import matches_pattern
from harness.rules.modules import module_name_for


@dataclass(frozen=True)
class SourceFile:
    """One file to check and the three ways it is named."""

    abs_path: str
    display_path: str
    scope_path: str
    module_name: str
    is_package: bool


def _module_root(directory: Path, cache: dict[Path, Path]) -> Path:
    """The directory above the outermost package containing `directory` (memoised)."""
    if directory not in cache:
        is_package = (directory / "__init__.py").is_file() and directory.parent != directory
        cache[directory] = _module_root(directory.parent, cache) if is_package else directory
    return cache[directory]


def _display(path: Path, cwd: Path) -> str:
    text, prefix = str(path), str(cwd).rstrip(os.sep) + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return os.path.relpath(path, cwd).replace(os.sep, "/")


def _source_file(path: Path, walk_root: Path, cwd: Path, roots: dict[Path, Path]) -> SourceFile:
    display = _display(path, cwd)
    scope = display
    if scope.startswith("../") or os.path.isabs(scope):
        scope = path.relative_to(walk_root.parent).as_posix()
    module_root = _module_root(path.parent, roots)
    module, is_package = module_name_for(path.relative_to(module_root).as_posix())
    return SourceFile(str(path), display, scope, module, is_package)


class _Excluder:
    """Exclusion patterns split by kind, so that a walk checks each name once: a pattern
    of one component is tested against the new name only (its parents passed already)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        single = [p.strip("/") for p in patterns if "/" not in p.strip("/")]
        self.names = frozenset(p for p in single if not any(c in p for c in "*?["))
        self.globs = [p for p in single if p not in self.names]
        self.paths = [p for p in patterns if "/" in p.strip("/")]
        self.anchors = [p.strip("/").split("/")[0] for p in self.paths]

    def __call__(self, relative: str, name: str) -> bool:
        if name in self.names or any(fnmatch.fnmatchcase(name, g) for g in self.globs):
            return True
        return any(
            (any(c in anchor for c in "*?[") or anchor in relative)
            and matches_pattern(relative, pattern)
            for anchor, pattern in zip(self.anchors, self.paths, strict=True)
        )


def discover(
    paths: Iterable[str], excludes: tuple[str, ...], cwd: Path | None = None
) -> list[SourceFile]:
    """Files under `paths`, sorted, deduplicated; excluded patterns match relative to each
    directory argument. A file named explicitly is always checked."""
    cwd = (cwd or Path.cwd()).absolute()
    excluded = _Excluder(excludes)
    roots: dict[Path, Path] = {}
    found: dict[str, SourceFile] = {}
    for raw in paths:
        given = Path(raw)
        path = given if given.is_absolute() else cwd / given
        path = Path(os.path.normpath(path))
        if not path.exists():
            raise PathNotFound(f"{raw}: no such file or directory; pass an existing path")
        if path.is_file():
            real = os.path.realpath(path)
            found.setdefault(real, _source_file(path, path.parent, cwd, roots))
            continue
        real_root = os.path.realpath(path)
        for directory, dirnames, filenames in os.walk(path, followlinks=False):
            base = Path(directory)
            rel_dir = base.relative_to(path).as_posix()
            dirnames[:] = sorted(d for d in dirnames if not excluded(f"{rel_dir}/{d}", d))
            real_dir = os.path.join(real_root, rel_dir) if rel_dir != "." else real_root
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file_path = base / name
                if excluded(f"{rel_dir}/{name}", name) or not file_path.is_file():
                    continue  # excluded, or a dangling symlink / symlink loop / special file
                real = os.path.join(real_dir, name)
                if file_path.is_symlink():
                    real = os.path.realpath(file_path)
                    if not real.startswith(real_root + os.sep):
                        continue  # a symlink out of the tree: not part of what was asked
                found.setdefault(real, _source_file(file_path, path, cwd, roots))
    return sorted(found.values(), key=lambda f: f.display_path)
