"""Model providers, looked up by name; each imported only when used."""

from __future__ import annotations

from harness.providers.base import ModelRequest, ModelResponse, Provider, Usage

__all__ = ["ModelRequest", "ModelResponse", "Provider", "Usage", "is_offline"]

OFFLINE_PREFIXES = ("oracle", "replay")


def is_offline(model: str) -> bool:
    return model.split(":", 1)[0] in OFFLINE_PREFIXES
