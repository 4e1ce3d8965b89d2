"""ARCH301: an UPPER_CASE constant defined inside a function."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.names import iter_statements
from harness.rules.rule import Invalid, Rule, Scope, Valid

CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
# Read at call time on purpose: moving the read to import time changes behaviour.
ENVIRONMENT = frozenset({"os.environ", "os.getenv", "os.environ.get", "os.environb"})


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
    """Names a function-level import binds, unless it imports the standard library (a
    lazy import of the project or a package is deliberate; `import re` is not)."""
    if isinstance(stmt.names, cst.ImportStar):
        return
    if isinstance(stmt, cst.ImportFrom):
        module = stmt.module
        while isinstance(module, cst.Attribute):
            module = module.value
        stdlib = isinstance(module, cst.Name) and module.value in sys.stdlib_module_names
        if stdlib and not stmt.relative:
            return
    for alias in stmt.names:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            yield alias.asname.name.value
        else:
            node: cst.BaseExpression = alias.name
            while isinstance(node, cst.Attribute):
                node = node.value
            if isinstance(node, cst.Name) and node.value not in sys.stdlib_module_names:
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


@dataclass
class FunctionNames:
    """What a function binds: its locals (a value built from one cannot move to module
    level; other constants are left out, they move with it) and the names it updates
    (`+=`, a loop or `with` target: a variable, not a constant)."""

    locals: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)


def function_names(function: cst.FunctionDef | cst.Lambda) -> FunctionNames:
    names = FunctionNames(set(_parameter_names(function.params)))
    if isinstance(function, cst.FunctionDef):
        for stmt in iter_statements(function.body):
            bound = set(_statement_bindings(stmt))
            names.locals.update(name for name in bound if not is_constant_name(name))
            if not isinstance(stmt, (cst.Assign, cst.AnnAssign)):
                names.updated.update(bound)
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
    Nor is a name that is not a constant: one whose value reads a parameter or another
    local of the function (`NUM_WORKERS = num_workers`, `DB_URL = "sqlite:///" + tmp_dir`,
    a class a function-level import brings in lazily), a local alias of another name
    (`DR = DagRun`), a read of the environment at call time (`os.environ.get(...)`), or a
    name the function updates (`TOTAL += n`). Standard-library imports inside the function
    (`import re`) do not count as locals. `harness check --fix` moves the constant to
    module level when that is safe.

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
        # lazily imported classes, aliases, the environment, a variable it updates
        Valid(
            "def config_for(provider):\n    from app.providers import Tavily, Exa\n"
            "    CONFIGS = {'tavily': Tavily, 'exa': Exa}\n    return CONFIGS[provider]\n"
        ),
        Valid("def last_run(session):\n    DR = DagRun\n    return session.get(DR, 1)\n"),
        Valid(
            "import os\n\ndef stream():\n    IS_CONTAINER = bool(os.environ.get('IN_CONTAINER'))\n"
            "    return IS_CONTAINER\n"
        ),
        Valid("def total(rows):\n    TOTAL = 0\n    for row in rows:\n        TOTAL += row\n"),
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
        # the same constant in two branches is still a constant
        Invalid(
            "def bulk(users, everyone):\n    if everyone:\n        MAX_BATCH = 500\n"
            "    else:\n        MAX_BATCH = 100\n    return MAX_BATCH\n",
            line=3,
        ),
        # a standard-library import inside the function moves with the constant
        Invalid(
            "def params(template):\n    import re\n\n"
            "    PLACEHOLDER = re.compile(r'{(\\w+)}')\n    return PLACEHOLDER.findall(template)\n",
            line=4,
        ),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._globals: dict[int, set[str]] = {}
        self._names: dict[int, FunctionNames] = {}

    def _function_names(self, function: cst.FunctionDef | cst.Lambda) -> FunctionNames:
        key = id(function)
        if key not in self._names:
            self._names[key] = function_names(function)
        return self._names[key]

    def _enclosing_locals(self) -> set[str]:
        """Locals of every function around the assignment (closures read them too)."""
        names: set[str] = set()
        for scope in self.ctx.scopes:
            if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
                names |= self._function_names(scope).locals
        return names

    def _not_a_constant(self, value: cst.BaseExpression) -> bool:
        """A renamed local, an alias of another name, or a read of the environment."""
        if isinstance(value, (cst.Name, cst.Attribute)):
            return True
        if referenced_names(value) & self._enclosing_locals():
            return True
        stack: list[cst.CSTNode] = [value]
        while stack:
            node = stack.pop()
            named = isinstance(node, (cst.Name, cst.Attribute))
            if named and self.ctx.qualified_name(node) in ENVIRONMENT:
                return True
            stack.extend(node.children)
        return False

    def _check(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not self.ctx.in_function_body():
            return
        function = self.ctx.scopes[-1]
        assert isinstance(function, cst.FunctionDef)
        key = id(function)
        if key not in self._globals:
            self._globals[key] = declared_global(function)
        updated = self._function_names(function).updated
        names = [
            n
            for n in bound_names(target)
            if is_constant_name(n.value)
            and n.value not in updated
            and n.value not in self._globals[key]
        ]
        if not names or self._not_a_constant(value):
            return
        for name in names:
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
