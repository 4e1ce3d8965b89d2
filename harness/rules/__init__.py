"""The rule catalog: one module per rule, found by walking this package.

Adding a rule means adding one module with one `Rule` subclass; a module that fails to
import is an error, never skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from harness.rules.finding import Finding, Severity
from harness.rules.rule import Invalid, Rule, Scope, Valid

__all__ = ["Finding", "Invalid", "Rule", "Scope", "Severity", "Valid", "all_rules"]


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    found: list[type[Rule]] = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda rule: rule.CODE))
