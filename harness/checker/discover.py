"""Find the Python files to check under the paths given on the command line.

Each file is named three ways: its display path (relative to the working directory, as
ruff prints it), its module name, and its scope path, relative to the project, which the
layer scope, the excludes and `per-file-ignores` read. The scope path must not depend on
where the command runs or how the tree was reached (a parent directory named `services`
made every file a service), so it is measured on real paths from the project root: the
directory of the pyproject.toml that configures the checker; else, for a file in a
package, the directory above its outermost package; else the nearest directory holding a
pyproject.toml, setup.py or setup.cfg; else the directory given on the command line.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.core.errors import PathNotFound
from harness.rules.layers import MIGRATION_EXCLUDE, matches_pattern
from harness.rules.modules import module_name_for

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


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


class _Bases:
    """The directory each real directory's scope paths are measured from (memoised)."""

    def __init__(self, root: Path | None) -> None:
        self.root = os.path.realpath(root) if root is not None else None
        self._found: dict[str, str | None] = {}

    def of(self, real_dir: str, fallback: str) -> str:
        root = self.root
        if root is not None and (real_dir == root or real_dir.startswith(root + os.sep)):
            return root
        return self._find(real_dir) or fallback

    def _find(self, real_dir: str) -> str | None:
        if real_dir in self._found:
            return self._found[real_dir]
        parent = os.path.dirname(real_dir)
        if os.path.isfile(os.path.join(real_dir, "__init__.py")) and parent != real_dir:
            found = self._package_root(real_dir)
        elif any(os.path.isfile(os.path.join(real_dir, m)) for m in PROJECT_MARKERS):
            found = real_dir
        else:
            found = None if parent == real_dir else self._find(parent)
        self._found[real_dir] = found
        return found

    def _package_root(self, real_dir: str) -> str:
        parent = os.path.dirname(real_dir)
        while parent != real_dir and os.path.isfile(os.path.join(parent, "__init__.py")):
            real_dir, parent = parent, os.path.dirname(parent)
        return parent


def _relative(real_path: str, base: str) -> str:
    """`real_path` relative to `base`, with `/` ("." for the base itself)."""
    if real_path == base:
        return "."
    if real_path.startswith(base.rstrip(os.sep) + os.sep):
        return real_path[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
    return os.path.relpath(real_path, base).replace(os.sep, "/")


class _Excluder:
    """Exclusion patterns split by kind, so that a walk checks each name once: a pattern
    of one component is tested against the new name only (its parents passed already)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = list(patterns)
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

    def whole(self, relative: str) -> bool:
        """Whether a path, or any directory above it up to the project root, is excluded."""
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        return any(self("/".join(parts[: i + 1]), part) for i, part in enumerate(parts))


def discover(
    paths: Iterable[str],
    excludes: tuple[str, ...],
    cwd: Path | None = None,
    root: Path | None = None,
) -> list[SourceFile]:
    """Files under `paths`, sorted, deduplicated. Excludes match the scope paths of what
    a walk meets (see the module docstring); a path named on the command line is checked
    even if excluded, unless it is (or is in) a migrations directory.

    Args:
        root: the project root, the directory of the pyproject.toml that configures the
            checker (None: found per file, see the module docstring).
    """
    cwd = (cwd or Path.cwd()).absolute()
    excluded = _Excluder(excludes)
    migrations = _Excluder(p for p in excludes if p in MIGRATION_EXCLUDE)
    bases = _Bases(root)
    real_cwd = os.path.realpath(cwd)
    roots: dict[Path, Path] = {}
    found: dict[str, SourceFile] = {}
    for raw in paths:
        given = Path(raw)
        path = Path(os.path.normpath(given if given.is_absolute() else cwd / given))
        if not path.exists():
            raise PathNotFound(f"{raw}: no such file or directory; pass an existing path")
        if path.is_file():
            real = os.path.realpath(path)
            real_dir = os.path.dirname(real)
            in_cwd = real_dir == real_cwd or real_dir.startswith(real_cwd + os.sep)
            scope = _relative(real, bases.of(real_dir, real_cwd if in_cwd else real_dir))
            if not migrations.whole(scope):
                found.setdefault(real, _source_file(path, scope, cwd, roots))
            continue
        real_root = os.path.realpath(path)
        if migrations.whole(_relative(real_root, bases.of(real_root, real_root))):
            continue
        for directory, dirnames, filenames in os.walk(path, followlinks=False):
            base = Path(directory)
            rel_dir = base.relative_to(path).as_posix()
            real_dir = os.path.join(real_root, rel_dir) if rel_dir != "." else real_root
            anchor = bases.of(real_dir, real_root)
            prefix = _relative(real_dir, anchor)
            prefix = "" if prefix == "." else prefix + "/"
            dirnames[:] = sorted(d for d in dirnames if not excluded(f"{prefix}{d}", d))
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file_path = base / name
                if excluded(f"{prefix}{name}", name) or not file_path.is_file():
                    continue  # excluded, or a dangling symlink / symlink loop / special file
                real = os.path.join(real_dir, name)
                scope = f"{prefix}{name}"
                if file_path.is_symlink():
                    real = os.path.realpath(file_path)
                    if not real.startswith(real_root + os.sep):
                        continue  # a symlink out of the tree: not part of what was asked
                    real_parent = os.path.dirname(real)
                    scope = _relative(real, bases.of(real_parent, real_root))
                found.setdefault(real, _source_file(file_path, scope, cwd, roots))
    return sorted(found.values(), key=lambda f: f.display_path)


def _source_file(path: Path, scope: str, cwd: Path, roots: dict[Path, Path]) -> SourceFile:
    module_root = _module_root(path.parent, roots)
    module, is_package = module_name_for(path.relative_to(module_root).as_posix())
    return SourceFile(str(path), _display(path, cwd), scope, module, is_package)
