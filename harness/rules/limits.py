"""Settings of the rules (configurable in `[tool.harness.check]`).

Every size limit is the largest value allowed: a class of 10 public methods passes
`god_service_methods = 10`, one of 11 is reported ("11 public methods, limit 10").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ResultConvention = Literal["auto", "always"]


@dataclass(frozen=True)
class Thresholds:
    service_max_lines: int = 150
    god_service_lines: int = 400
    god_service_methods: int = 10
    god_module_functions: int = 20
    god_module_lines: int = 1000
    # ARCH102 applies where the project has a Result convention ("auto"), or everywhere
    # ("always": benchmark scoring, whose agent prompt mandates Result types).
    result_convention: ResultConvention = "auto"
