"""ARCH203: a module-style service with too many functions."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import method_names
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid

_FUNCS = "".join(f"def f{i}(db):\n    return {i}\n\n" for i in range(10))
_PRIVATE = "".join(f"def _f{i}(db):\n    return {i}\n\n" for i in range(12))
_LONG = "def run(db):\n" + "".join(f"    x{i} = {i}\n" for i in range(400))


class GodServiceModule(Rule):
    """## What it does
    Reports (at line 1) a service module with no service class that has 10 or more public
    top-level functions, or whose top-level functions span 400 lines or more in total. A
    service class is a class with at least one ordinary method.

    ## Why is this bad?
    Many codebases write services as modules of functions (`app/services/user.py` with
    `get_user`, `create_user`, ...). A module of 30 such functions is the same god service
    as a 30-method class, only harder to see, and ARCH202 alone would miss it.

    ## Example
    `app/services/crud.py` with `get_user`, `create_user`, `get_order`, `pay_order`,
    `send_invoice`, ... (10+ functions across several domains).

    Use instead: one module per responsibility.
    """

    CODE, SLUG, SEVERITY = "ARCH203", "god-service-module", Severity.ERROR
    MESSAGE = "Module-style god service; split it by responsibility"
    VALID = [
        Valid(_PRIVATE + "def public(db):\n    return 1\n"),
        Valid(_FUNCS, path="app/api/routes/things.py"),
        Valid("class UserService:\n    def get(self):\n        return 1\n\n" + _FUNCS),
    ]
    INVALID = [
        Invalid(_FUNCS, line=1, message="10 public functions"),
        Invalid(_LONG, line=1, message="lines"),
        Invalid("class Row:\n    id: int\n\n" + _FUNCS, path="app/user_service.py", line=1),
    ]

    def finish(self) -> None:
        body = self.ctx.module.body
        if any(isinstance(s, cst.ClassDef) and method_names(s) for s in body):
            return
        functions = [s for s in body if isinstance(s, cst.FunctionDef)]
        public = [f for f in functions if not f.name.value.startswith("_")]
        limits = self.ctx.thresholds
        if len(public) >= limits.god_module_functions:
            self.report(
                None,
                f"Module-style god service: {len(public)} public functions "
                f"(limit {limits.god_module_functions}); split it by responsibility",
            )
            return
        total = sum(self.ctx.line_span(f) for f in functions)
        if total >= limits.god_module_lines:
            self.report(
                None,
                f"Module-style god service: functions span {total} lines "
                f"(limit {limits.god_module_lines}); split it by responsibility",
            )
