"""Model providers, looked up by name through the registry; each imported only when used."""

from __future__ import annotations

from harness.core.usage import Usage
from harness.providers.base import ModelRequest, ModelResponse, Provider
from harness.providers.registry import is_offline, provider_info

__all__ = ["ModelRequest", "ModelResponse", "Provider", "Usage", "is_offline", "provider_info"]
