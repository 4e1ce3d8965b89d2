"""An evaluation harness for FastAPI backend agent prompts.

Kept import-light on purpose: `harness --help` must start fast, so the public API is
resolved lazily on first attribute access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from harness.checker.run import CheckResult, check_paths
    from harness.rules.finding import Finding

__all__ = ["CheckResult", "Finding", "__version__", "check_paths"]

_LAZY = {
    "check_paths": "harness.checker.run",
    "CheckResult": "harness.checker.run",
    "Finding": "harness.rules.finding",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
