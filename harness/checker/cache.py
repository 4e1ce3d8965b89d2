"""A content-hash cache of per-file results, like ruff's: unchanged files are not parsed.

One JSON file per cache directory, keyed by absolute path; an entry is reused when the
file's sha256 matches (for its exports) and the run fingerprint matches too (for its
findings). Written atomically; a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CACHE_FILE = "check-v3.json"  # v3: the Result convention (ARCH102) and newer-syntax files
CACHE_ENV = "HARNESS_CACHE_DIR"
CACHE_DIRNAME = ".harness_cache"


@dataclass
class CheckCache:
    """Entries loaded from disk, updated in memory, saved once at the end of a run."""

    directory: Path | None
    entries: dict[str, dict[str, object]] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def load(cls, directory: Path | None) -> CheckCache:
        if directory is None:
            return cls(None)
        try:
            data = json.loads((directory / CACHE_FILE).read_text(encoding="utf-8"))
            entries = data["entries"] if isinstance(data, dict) else {}
        except (OSError, ValueError, KeyError, TypeError):
            entries = {}
        return cls(directory, entries if isinstance(entries, dict) else {})

    def get(self, path: str, sha: str) -> dict[str, object] | None:
        entry = self.entries.get(path)
        return entry if isinstance(entry, dict) and entry.get("sha") == sha else None

    def put(self, path: str, entry: dict[str, object]) -> None:
        self.entries[path] = entry
        self.dirty = True

    def save(self) -> None:
        if self.directory is None or not self.dirty:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by harness check\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".check-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"entries": self.entries}, handle, separators=(",", ":"))
            os.replace(tmp, self.directory / CACHE_FILE)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


def default_cache_dir(project_root: Path) -> Path:
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else project_root / CACHE_DIRNAME
