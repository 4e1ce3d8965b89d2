"""ARCH301: an UPPER_CASE constant defined inside a function."""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.names import iter_statements
from harness.rules.rule import Invalid, Rule, Scope, Valid

CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")


def is_constant_name(name: str) -> bool:
    return len(name) >= 2 and CONSTANT_NAME.match(name) is not None


def bound_names(target: cst.BaseExpression) -> Iterator[cst.Name]:
    """Names bound by an assignment target, through tuples, lists and starred targets."""
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from bound_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from bound_names(target.value)


def declared_global(function: cst.FunctionDef) -> set[str]:
    """Names a function declares `global` or `nonlocal` (assigning them is not a local)."""
    names: set[str] = set()
    for stmt in iter_statements(function.body):
        if isinstance(stmt, (cst.Global, cst.Nonlocal)):
            names.update(item.name.value for item in stmt.names)
    return names


class ConstantInFunction(Rule):
    """## What it does
    Reports an UPPER_CASE name (two or more characters, `^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
    bound by an assignment or annotated assignment inside a function body, in any module.
    Loop and `with` targets, class bodies and names declared `global` are not reported.
    `harness check --fix` moves the constant to module level when that is safe.

    ## Why is this bad?
    A constant inside a function is invisible to the rest of the module, gets duplicated
    by the next function that needs it, and is hard to find when the policy changes (the
    prompt's example: `MAX_FAILED_ATTEMPTS = 5` inside `login_with_password`).

    ## Example
    ```python
    def login_with_password(self, credentials):
        MAX_FAILED_ATTEMPTS = 5
    ```

    Use instead:
    ```python
    MAX_FAILED_LOGIN_ATTEMPTS = 5

    def login_with_password(self, credentials):
        ...
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH301", "constant-in-function", Severity.ERROR
    MESSAGE = "Constant defined inside a function; move it to module level"
    SCOPE = Scope.ANY
    VALID = [
        Valid("MAX_ATTEMPTS = 5\n\ndef f():\n    return MAX_ATTEMPTS\n"),
        Valid("class Config:\n    TIMEOUT = 30\n", path="app/main.py"),
        Valid(
            "def f(items):\n    for ITEM in items:\n        pass\n    with open('x') as FH:\n        pass\n"
        ),
        Valid("COUNT = 0\n\ndef bump():\n    global COUNT\n    COUNT = COUNT + 1\n"),
        Valid("def f():\n    X = 1\n    Ab = 2\n    _PRIVATE = 3\n    return X\n"),
        Valid("def f():\n    class Inner:\n        LIMIT = 3\n    return Inner\n"),
    ]
    INVALID = [
        Invalid(
            "def login(self):\n    MAX_FAILED_ATTEMPTS = 5\n", line=2, message="MAX_FAILED_ATTEMPTS"
        ),
        Invalid("class S:\n    def f(self):\n        LOCKOUT_MINUTES: int = 30\n", line=3),
        Invalid("async def f():\n    A1, (B_2, *REST) = 1, (2, 3)\n", line=2, path="app/main.py"),
        Invalid("def outer():\n    def inner():\n        TTL = 60\n    return inner\n", line=3),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._globals: dict[int, set[str]] = {}

    def _check(self, target: cst.BaseExpression) -> None:
        if not self.ctx.in_function_body():
            return
        function = self.ctx.scopes[-1]
        assert isinstance(function, cst.FunctionDef)
        key = id(function)
        if key not in self._globals:
            self._globals[key] = declared_global(function)
        for name in bound_names(target):
            if is_constant_name(name.value) and name.value not in self._globals[key]:
                self.report(
                    name,
                    f"Constant `{name.value}` defined inside function `{function.name.value}`; "
                    "move it to module level",
                )

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(node.target)
