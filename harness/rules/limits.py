"""Size limits of the service rules (configurable in `[tool.harness.check]`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    service_max_lines: int = 150
    god_service_lines: int = 400
    god_service_methods: int = 10
    god_module_functions: int = 10
    god_module_lines: int = 400
