"""A response cache keyed by the whole request: a rerun of an unchanged prompt is free.

The key is the sha256 of the request's canonical JSON (model, system, tools, messages,
max_tokens, the epoch and the starter; keys sorted, no whitespace), so any change in the prompt, the
tools or the conversation so far misses, and the epochs of a sample stay independent draws. A hit costs nothing: its `cost_usd` is 0.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from pydantic import ValidationError

from harness.providers.base import ModelRequest, ModelResponse, Provider
from harness.report.io import write_atomic

CACHE_ENV = "HARNESS_CACHE_DIR"


def default_directory() -> Path:
    root = os.environ.get(CACHE_ENV)
    return (Path(root) if root else Path.home() / ".cache" / "fastapi-agent-harness") / "responses"


def request_key(request: ModelRequest) -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        path = self._path(request_key(request))
        try:
            cached = ModelResponse.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError):
            cached = None
        if cached is not None:
            self.hits += 1
            cached.usage.cost_usd = 0.0
            return cached
        response = await self.inner.generate(request)
        with contextlib.suppress(
            OSError
        ):  # a cache that cannot be written is no cache, not an error
            write_atomic(path, response.model_dump_json())
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
