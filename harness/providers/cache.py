"""A response cache keyed by everything that decides the answer: a rerun of an unchanged
prompt against the same endpoint is free, and nothing else ever hits.

The key is the sha256 of the canonical JSON (keys sorted, no whitespace) of the request
(model, system, tools, messages, max_tokens, the epoch and the starter) and of the
provider's scope (its name and endpoint: the base URL), so any change in the prompt, the
tools, the conversation so far or where it is sent misses, and the epochs of a sample stay
independent draws. A hit costs nothing (`cost_usd` 0) and is marked `cached`, so every run
says how many answers came from the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from pydantic import ValidationError

from harness.core.files import write_atomic
from harness.providers.base import ModelRequest, ModelResponse, Provider

CACHE_ENV = "HARNESS_CACHE_DIR"


def default_directory() -> Path:
    root = os.environ.get(CACHE_ENV)
    return (Path(root) if root else Path.home() / ".cache" / "fastapi-agent-harness") / "responses"


def request_key(request: ModelRequest, scope: dict[str, str] | None = None) -> str:
    keyed = {"request": request.model_dump(mode="json"), "scope": scope or {}}
    canonical = json.dumps(keyed, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def cache_stats(directory: Path | None = None) -> tuple[Path, int, int]:
    """(directory, answers stored, bytes) of the response cache."""
    directory = directory or default_directory()
    files = [p for p in directory.glob("*/*.json") if p.is_file()] if directory.is_dir() else []
    return directory, len(files), sum(p.stat().st_size for p in files)


def clear_cache(directory: Path | None = None) -> int:
    """Remove every stored answer; returns how many."""
    directory, count, _ = cache_stats(directory)
    for path in directory.glob("*/*.json") if directory.is_dir() else []:
        path.unlink(missing_ok=True)
    return count


class CachedProvider(Provider):
    """Answers from disk when the same request was answered before, else asks `inner`."""

    def __init__(self, inner: Provider, directory: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = directory or default_directory()
        self.hits = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    async def generate(self, request: ModelRequest) -> ModelResponse:
        path = self._path(request_key(request, self.inner.cache_scope))
        try:
            cached = ModelResponse.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError):
            cached = None
        if cached is not None:
            self.hits += 1
            cached.usage.cost_usd = 0.0
            cached.cached = True
            return cached
        response = await self.inner.generate(request)
        with contextlib.suppress(
            OSError
        ):  # a cache that cannot be written is no cache, not an error
            write_atomic(path, response.model_dump_json())
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
