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


def _parameter_names(params: cst.Parameters) -> Iterator[str]:
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        yield param.name.value
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star.name.value


def _import_names(stmt: cst.Import | cst.ImportFrom) -> Iterator[str]:
    if isinstance(stmt.names, cst.ImportStar):
        return
    for alias in stmt.names:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            yield alias.asname.name.value
        else:
            node: cst.BaseExpression = alias.name
            while isinstance(node, cst.Attribute):
                node = node.value
            if isinstance(node, cst.Name):
                yield node.value


def _statement_bindings(stmt: cst.CSTNode) -> Iterator[str]:
    """Names one statement binds in its function (assignment, loop, with, except, ...)."""
    targets: list[cst.BaseExpression] = []
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AnnAssign, cst.AugAssign, cst.For)):
        targets = [stmt.target]
    elif isinstance(stmt, cst.With):
        targets = [i.asname.name for i in stmt.items if i.asname is not None]
    elif isinstance(stmt, cst.ExceptHandler) and stmt.name is not None:
        targets = [stmt.name.name]
    elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        yield stmt.name.value
    elif isinstance(stmt, (cst.Import, cst.ImportFrom)):
        yield from _import_names(stmt)
    for target in targets:
        yield from (name.value for name in bound_names(target))


def local_names(function: cst.FunctionDef | cst.Lambda) -> set[str]:
    """Parameters and the names the function's body binds (a value built from one of them
    cannot move to module level). Other constants are left out: they move with it."""
    names = set(_parameter_names(function.params))
    if isinstance(function, cst.FunctionDef):
        for stmt in iter_statements(function.body):
            names.update(n for n in _statement_bindings(stmt) if not is_constant_name(n))
    return names


def referenced_names(value: cst.CSTNode) -> set[str]:
    """Names an expression reads: not attribute names, keywords, or its own
    comprehension and lambda variables."""
    read: set[str] = set()
    own: set[str] = set()
    stack: list[cst.CSTNode] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            read.add(node.value)
            continue
        if isinstance(node, cst.Attribute):
            stack.append(node.value)
            continue
        if isinstance(node, cst.Arg):
            stack.append(node.value)
            continue
        if isinstance(node, cst.CompFor):
            own.update(name.value for name in bound_names(node.target))
        elif isinstance(node, cst.Lambda):
            own.update(_parameter_names(node.params))
        stack.extend(node.children)
    return read - own


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
    Loop and `with` targets, class bodies and names declared `global` are not reported,
    nor is a name whose value reads a parameter or another local of the function
    (`NUM_WORKERS = num_workers`, `DB_URL = "sqlite:///" + tmp_dir`): it is a renamed
    local that cannot move. `harness check --fix` moves the constant to module level when
    that is safe.

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
        # bound from a parameter or another local: a renamed local, it cannot move
        Valid("def start(num_workers):\n    NUM_WORKERS = num_workers\n    return NUM_WORKERS\n"),
        Valid(
            "def harness(tmp):\n    path = tmp / 'x.db'\n"
            "    DB_URL = 'sqlite:///' + str(path)\n    return DB_URL\n"
        ),
        Valid("class C:\n    def f(self):\n        DAYS = self.DAYS\n        return DAYS\n"),
        Valid(
            "def outer(limit):\n    def inner():\n        LIMIT = limit * 2\n"
            "        return LIMIT\n    return inner\n"
        ),
    ]
    INVALID = [
        Invalid(
            "def login(self):\n    MAX_FAILED_ATTEMPTS = 5\n", line=2, message="MAX_FAILED_ATTEMPTS"
        ),
        Invalid("class S:\n    def f(self):\n        LOCKOUT_MINUTES: int = 30\n", line=3),
        Invalid("async def f():\n    A1, (B_2, *REST) = 1, (2, 3)\n", line=2, path="app/main.py"),
        Invalid("def outer():\n    def inner():\n        TTL = 60\n    return inner\n", line=3),
        # module names, calls and comprehensions of their own are still constants
        Invalid(
            "import re\n\ndef f(items):\n    PATTERN = re.compile(r'x+')\n"
            "    NAMES = {v: k for k, v in LEVELS.items()}\n    return PATTERN, NAMES\n",
            line=4,
            message="PATTERN",
        ),
        Invalid(
            "def f(items):\n    NAMES = {v: k for k, v in LEVELS.items()}\n    return NAMES\n",
            line=2,
        ),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._globals: dict[int, set[str]] = {}
        self._locals: dict[int, set[str]] = {}

    def _enclosing_locals(self) -> set[str]:
        """Locals of every function around the assignment (closures read them too)."""
        names: set[str] = set()
        for scope in self.ctx.scopes:
            if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
                key = id(scope)
                if key not in self._locals:
                    self._locals[key] = local_names(scope)
                names |= self._locals[key]
        return names

    def _check(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not self.ctx.in_function_body():
            return
        function = self.ctx.scopes[-1]
        assert isinstance(function, cst.FunctionDef)
        key = id(function)
        if key not in self._globals:
            self._globals[key] = declared_global(function)
        names = [n for n in bound_names(target) if is_constant_name(n.value)]
        if not names or referenced_names(value) & self._enclosing_locals():
            return
        for name in names:
            if name.value not in self._globals[key]:
                self.report(
                    name,
                    f"Constant `{name.value}` defined inside function `{function.name.value}`; "
                    "move it to module level",
                )

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(node.target, node.value)
