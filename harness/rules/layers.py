"""Which layer a file or module belongs to, from its path (the README's "Scopes").

Pure functions over path components, so the same answer comes from `harness check`, the
examples in the tests and the scoring of a sample.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

SERVICE_DIRS = ("services",)
SERVICE_FILES = ("service.py", "*_service.py")
API_DIRS = ("api", "routers", "routes", "endpoints")
API_FILES = ("router.py", "routers.py", "routes.py", "views.py", "endpoints.py")
# Migrations stay out of scope even when named on the command line: they are not code of
# the application's layers (a `services` table created in one is no service module).
MIGRATION_EXCLUDE = ("alembic/versions", "alembic/env.py", "migrations", "revisions")
DEFAULT_EXCLUDE = (
    # tests
    "tests", "test_*.py", "*_test.py", "conftest.py",
    *MIGRATION_EXCLUDE, "*_migrations",
    # virtual environments, caches, vendored trees
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "node_modules", "__pycache__",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".harness_cache",
    "build", "dist", "site-packages", "*.egg-info",
)  # fmt: skip


def _components(path: str) -> list[str]:
    return [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]


def matches_pattern(path: str, pattern: str) -> bool:
    """A pattern without `/` matches any one component; with `/`, any run of components."""
    parts = _components(path)
    pattern_parts = _components(pattern)
    if not pattern_parts:
        return False
    width = len(pattern_parts)
    for start in range(len(parts) - width + 1):
        window = parts[start : start + width]
        if all(fnmatch.fnmatchcase(p, q) for p, q in zip(window, pattern_parts, strict=True)):
            return True
    return False


@dataclass(frozen=True)
class Layers:
    """Path patterns of the service and API layers (configurable)."""

    service_dirs: tuple[str, ...] = SERVICE_DIRS
    service_files: tuple[str, ...] = SERVICE_FILES
    api_dirs: tuple[str, ...] = API_DIRS
    api_files: tuple[str, ...] = API_FILES

    def is_api(self, path: str) -> bool:
        parts = _components(path)
        if not parts:
            return False
        dirs, name = parts[:-1], parts[-1]
        return any(fnmatch.fnmatchcase(d, p) for d in dirs for p in self.api_dirs) or any(
            fnmatch.fnmatchcase(name, p) for p in self.api_files
        )

    def is_service(self, path: str) -> bool:
        """A service module, unless it is also API layer (the API layer wins)."""
        parts = _components(path)
        if not parts or self.is_api(path):
            return False
        dirs, name = parts[:-1], parts[-1]
        return any(fnmatch.fnmatchcase(d, p) for d in dirs for p in self.service_dirs) or any(
            fnmatch.fnmatchcase(name, p) for p in self.service_files
        )

    def is_api_module(self, module: str) -> bool:
        """True for a dotted module name that lives in the API layer (`app.api.deps`)."""
        parts = [p for p in module.split(".") if p]
        if not parts:
            return False
        if any(fnmatch.fnmatchcase(p, d) for p in parts for d in self.api_dirs):
            return True
        return any(fnmatch.fnmatchcase(f"{parts[-1]}.py", f) for f in self.api_files)
