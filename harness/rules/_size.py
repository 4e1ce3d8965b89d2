"""Class size measures shared by ARCH201, ARCH202 and ARCH203.

Limits are the largest value allowed; a class or module is reported only past them.
"""

from __future__ import annotations

import libcst as cst

from harness.rules.context import FileContext


def is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_public(name: str) -> bool:
    """A name callers are meant to use: no leading underscore (dunders are protocol)."""
    return not name.startswith("_")


def method_names(node: cst.ClassDef) -> list[str]:
    """Methods defined directly in the class body, dunders excluded."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return [
        s.name.value for s in body if isinstance(s, cst.FunctionDef) and not is_dunder(s.name.value)
    ]


def public_method_names(node: cst.ClassDef) -> list[str]:
    """The methods that make a class's surface: private helpers and dunders excluded."""
    return [name for name in method_names(node) if is_public(name)]


def is_god_class(ctx: FileContext, node: cst.ClassDef) -> tuple[bool, int, int]:
    """(is it a god service, its line span, its public method count)."""
    span = ctx.line_span(node)
    methods = len(public_method_names(node))
    limits = ctx.thresholds
    return span > limits.god_service_lines or methods > limits.god_service_methods, span, methods
