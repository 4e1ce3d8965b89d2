"""ARCH202: a god service (400+ lines or 10+ methods)."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import is_god_class
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid

_TEN_METHODS = "".join(f"    def m{i}(self):\n        return {i}\n" for i in range(10))
_NINE_METHODS_AND_DUNDERS = (
    "    def __init__(self, db):\n        self.db = db\n"
    "    def __repr__(self):\n        return 'x'\n"
    + "".join(f"    def m{i}(self):\n        return {i}\n" for i in range(9))
)
_LONG = "".join(f"        x{i} = {i}\n" for i in range(400))


class GodService(Rule):
    """## What it does
    Reports a class in a service module that spans 400 lines or more, or has 10 or more
    methods (dunder methods such as `__init__` are not counted), at its `class` line. Both
    limits are configurable (`god-service-lines`, `god-service-methods`).

    ## Why is this bad?
    The agent's prompt forbids god services outright: an `AuthService` that logs in,
    registers, issues tokens, verifies email and resets passwords has five reasons to
    change. Split it by responsibility: `PasswordService`, `TokenService`, ...

    ## Example
    ```python
    class AuthService:
        def login(self): ...
        def register(self): ...
        ...  # ten or more methods
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH202", "god-service", Severity.ERROR
    MESSAGE = "God service; split it into focused services"
    VALID = [
        Valid(f"class AuthService:\n{_NINE_METHODS_AND_DUNDERS}"),
        Valid(f"class AuthService:\n{_TEN_METHODS}", path="app/api/routes/auth.py"),
        Valid(f"class AuthService:\n{_TEN_METHODS}", path="app/models/auth.py"),
    ]
    INVALID = [
        Invalid(f"class AuthService:\n{_TEN_METHODS}", line=1, message="10 methods"),
        Invalid(f"\n\nclass AuthService:\n    def run(self):\n{_LONG}", line=3, message="lines"),
        Invalid(f"class AuthService:\n{_TEN_METHODS}", path="app/auth_service.py", line=1),
    ]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.ctx.scopes:
            return
        god, span, methods = is_god_class(self.ctx, node)
        if god:
            limits = self.ctx.thresholds
            self.report(
                node,
                f"God service `{node.name.value}`: {span} lines, {methods} methods "
                f"(limits {limits.god_service_lines} lines, {limits.god_service_methods} methods); "
                "split it into focused services",
            )
