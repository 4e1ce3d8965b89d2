"""ARCH202: a god service (more than 400 lines or more than 10 public methods)."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import is_god_class
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid


def _methods(count: int, prefix: str = "m") -> str:
    return "".join(f"    def {prefix}{i}(self):\n        return {i}\n" for i in range(count))


_TEN_PUBLIC_AND_DUNDERS = (
    "    def __init__(self, db):\n        self.db = db\n"
    "    def __repr__(self):\n        return 'x'\n" + _methods(10)
)
_LONG = "".join(f"        x{i} = {i}\n" for i in range(400))


class GodService(Rule):
    """## What it does
    Reports a class in a service module, at its `class` line, that spans more than 400
    lines or has more than 10 public methods. Only public methods count: dunder methods
    (`__init__`) and private helpers (`_find_token`) are how a class keeps a small
    surface, not a sign that it does too much. Both limits are the largest value allowed
    and are configurable (`god-service-lines`, `god-service-methods`); the message says
    by how much a class exceeds them ("11 public methods, limit 10").

    The numbers are the agent prompt's ("god services (400+ lines, 10+ methods)"), read as
    limits: a class exactly at them passes, one past them is reported. Counting public
    methods only is the calibration on real code: a class with one public method and a
    dozen private helpers was called a god service, and it is not one.

    ## Why is this bad?
    The agent's prompt forbids god services outright: an `AuthService` that logs in,
    registers, issues tokens, verifies email and resets passwords has five reasons to
    change. Split it by responsibility: `PasswordService`, `TokenService`, ...

    ## Example
    ```python
    class AuthService:
        def login(self): ...
        def register(self): ...
        ...  # more than ten public methods
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH202", "god-service", Severity.ERROR
    MESSAGE = "God service; split it into focused services"
    VALID = [
        Valid(f"class AuthService:\n{_TEN_PUBLIC_AND_DUNDERS}"),
        # one public method and many private helpers: a small surface, not a god service
        Valid(f"class InvoiceService:\n{_methods(1)}{_methods(14, prefix='_h')}"),
        Valid(f"class AuthService:\n{_methods(11)}", path="app/api/routes/auth.py"),
        Valid(f"class AuthService:\n{_methods(11)}", path="app/models/auth.py"),
    ]
    INVALID = [
        Invalid(
            f"class AuthService:\n{_methods(11)}", line=1, message="11 public methods, limit 10"
        ),
        Invalid(
            f"\n\nclass AuthService:\n    def run(self):\n{_LONG}",
            line=3,
            message="402 lines, limit 400",
        ),
        Invalid(f"class AuthService:\n{_methods(11)}", path="app/auth_service.py", line=1),
    ]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.ctx.scopes:
            return
        god, span, methods = is_god_class(self.ctx, node)
        if not god:
            return
        limits = self.ctx.thresholds
        over = []
        if methods > limits.god_service_methods:
            over.append(f"{methods} public methods, limit {limits.god_service_methods}")
        if span > limits.god_service_lines:
            over.append(f"{span} lines, limit {limits.god_service_lines}")
        self.report(
            node,
            f"God service `{node.name.value}`: {'; '.join(over)}; split it into focused services",
        )
