"""ARCH102: a service raises a domain exception instead of returning failure(...)."""

from __future__ import annotations

import libcst as cst

from harness.rules._http import is_http_exception_value
from harness.rules.finding import Severity
from harness.rules.names import iter_statements
from harness.rules.rule import Invalid, Rule, Valid

DOMAIN_COMPONENTS = frozenset({"domain"})
ERROR_COMPONENTS = frozenset({"exceptions", "errors"})
# What makes a snippet's project one with a Result convention (a success/failure pair
# imported from the project), for the examples below.
_RESULT = "from app.core.result import Result, success, failure\n"
_OWN_ERRORS = (
    "class LoginError(Exception):\n    pass\n\n"
    "class InvalidCredentialsError(LoginError):\n    pass\n\n"
)


_VALID = [
    Valid(
        "from app.domain.exceptions import NotFound\nfrom app.core.result import failure\n\n"
        "def f():\n    return failure(NotFound())\n"
    ),
    Valid(f"{_RESULT}\ndef f(x):\n    raise ValueError(x)\n"),
    Valid(f"{_RESULT}from jose.exceptions import JWTError\n\ndef f():\n    raise JWTError()\n"),
    Valid(
        f"{_RESULT}from app.domain.exceptions import NotFound\n\ndef f():\n    raise NotFound()\n",
        path="app/api/routes/users.py",
    ),
    # no Result convention in the project: raising is its error style
    Valid(
        "from app.domain.exceptions import UserNotFoundError\n\ndef f(i):\n"
        "    raise UserNotFoundError(i)\n"
    ),
    Valid(f"{_OWN_ERRORS}def login(db):\n    raise InvalidCredentialsError()\n"),
    # `Result` alone is no convention (SQLAlchemy's, a search schema's)
    Valid(
        "from sqlalchemy.engine import Result\nfrom app.errors import Gone\n\n"
        "def f():\n    raise Gone()\n"
    ),
    # a bare re-raise, a raised instance and a built-in error class in a Result project
    Valid(
        f"{_RESULT}{_OWN_ERRORS}def f(db):\n    try:\n        db.commit()\n"
        "    except InvalidCredentialsError as error:\n        raise\n"
        "    except LoginError as error:\n        raise error\n"
        "    raise NotImplementedError\n"
    ),
    # caught by its own function: control flow, not the service's error channel
    Valid(
        f"{_RESULT}{_OWN_ERRORS}def f(db):\n    try:\n        if db:\n"
        "            raise InvalidCredentialsError()\n    except LoginError:\n"
        "        return failure(LoginError())\n    return success(db)\n"
    ),
]
_INVALID = [
    Invalid(
        f"{_RESULT}from app.domain.exceptions import UserNotFoundError\n\ndef f(i):\n"
        "    raise UserNotFoundError(i)\n",
        line=5,
        message="UserNotFoundError",
    ),
    Invalid(
        f"{_RESULT}from app.domain import exceptions as exc\n\n"
        "def f():\n    raise exc.Conflict from None\n",
        line=5,
    ),
    Invalid(f"{_RESULT}from ..exceptions import Gone\n\ndef f():\n    raise Gone()\n", line=5),
    # the commonest real-model pattern: errors defined in the service module itself
    Invalid(
        f"{_RESULT}\n{_OWN_ERRORS}def login(db):\n    if db:\n"
        "        raise InvalidCredentialsError()\n    return success(db)\n",
        line=11,
        message="InvalidCredentialsError",
    ),
    # a subclass the project defines of a third-party exception
    Invalid(
        f"{_RESULT}from jose import JWTError\n\nclass TokenExpired(JWTError):\n    pass\n\n"
        "def f():\n    raise TokenExpired\n",
        line=8,
    ),
    # a module-level instance of an own error class
    Invalid(
        f"{_RESULT}{_OWN_ERRORS}LOGIN_FAILED = InvalidCredentialsError()\n\n"
        "def f():\n    raise LOGIN_FAILED\n",
        line=11,
    ),
    # any Result library is a convention; the "always" setting is tested on its own
    Invalid(
        "from returns.result import Result\nfrom app.billing.errors import Declined\n\n"
        "def pay():\n    raise Declined()\n",
        line=5,
    ),
]


class DomainErrorRaisedInService(Rule):
    """## What it does
    Reports a service that raises an exception class of the project instead of returning
    `failure(...)` with it: a class imported from a domain or exceptions module
    (`app.domain.exceptions`, `app.exceptions`, a relative `.errors`), or any exception
    class the project defines, in the service module itself included (`class
    InvalidCredentialsError(LoginError)` next to the service that raises it), and their
    subclasses. Built-in exceptions (`ValueError`, `RuntimeError`, ...), raised for
    programming errors, and third-party ones are not reported; `HTTPException` is ARCH101's.
    Neither is a raise that an enclosing `try` of the same function catches by the class's
    name or a base of it: that is control flow inside the service, not its error channel.

    The rule applies where the project's services use a Result convention: a service
    module imports a Result library (`returns`, `result`, `expression`), imports from a
    module of the project that defines a success/failure pair (`Success`/`Failure`,
    `success()`/`failure()`, `Ok`/`Err`), imports such a pair, or defines one. `Result`
    alone (SQLAlchemy's, a search schema's) is no evidence, and neither is a Result type
    in a corner of the project that no service uses. On a codebase without one, raising is
    its error style and nothing is reported; `harness check --statistics` says so.
    `result-convention = "always"` applies it everywhere; scoring a benchmark sample always
    does, since the agent's prompt mandates Result types.

    ## Why is this bad?
    Domain errors exist to be returned in a `Result`. Raising them brings back the hidden
    control flow the Result type removes: callers cannot see from the signature that the
    service fails, and the API layer has to catch instead of match.

    ## Example
    ```python
    class InvalidCredentialsError(LoginError): ...

    def login(db, email, password):
        raise InvalidCredentialsError()
    ```

    Use instead:
    ```python
    def login(db, email, password) -> Result[User, LoginError]:
        return failure(InvalidCredentialsError())
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH102", "domain-error-raised-in-service", Severity.ERROR
    MESSAGE = "Service raises a domain error; return failure(...) instead"
    VALID, INVALID = _VALID, _INVALID

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._applies: bool | None = None
        self._caught: set[int] = set()

    def _rule_applies(self) -> bool:
        if self._applies is None:
            always = self.ctx.thresholds.result_convention == "always"
            self._applies = always or self.ctx.project.result_convention()
        return self._applies

    def _own_exception(self, qualified: str) -> bool:
        """A class the project defines, or a module-level instance of one."""
        project = self.ctx.project
        if project.defines_class(qualified):
            return True
        constructor = project.constructor_of(qualified)
        return constructor is not None and project.defines_class(constructor)

    def visit_Try(self, node: cst.Try) -> None:
        """Remember the raises in the body that one of the handlers catches."""
        caught = [
            name for handler in node.handlers for name in _handled_names(self.ctx, handler.type)
        ]
        if not caught:
            return
        for stmt in iter_statements(node.body):
            if not isinstance(stmt, cst.Raise) or stmt.exc is None:
                continue
            target = stmt.exc.func if isinstance(stmt.exc, cst.Call) else stmt.exc
            raised = self.ctx.qualified_name(target)
            if raised and self.ctx.project.inherits(raised, frozenset(caught), frozenset()):
                self._caught.add(id(stmt))

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if exc is None or id(node) in self._caught:
            return
        target = exc.func if isinstance(exc, cst.Call) else exc
        head = target
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name):
            return
        imports = self.ctx.imports
        if head.value not in imports.aliases and head.value not in imports.module_defs:
            return
        qualified = self.ctx.qualified_name(target)
        if not qualified or "." not in qualified or not self._rule_applies():
            return
        if is_http_exception_value(self.ctx, qualified):
            return
        module, _, name = qualified.rpartition(".")
        parts = set(module.split("."))
        from_domain = bool(parts & DOMAIN_COMPONENTS)
        from_errors = bool(parts & ERROR_COMPONENTS) and self.ctx.is_local_module(module)
        if from_domain or from_errors or self._own_exception(qualified):
            self.report(
                node,
                f"Service raises `{name}` from `{module}`; return failure({name}(...)) instead",
            )


def _handled_names(ctx, expression: cst.BaseExpression | None) -> list[str]:  # type: ignore[no-untyped-def]
    """Qualified names of the classes an `except` clause names (not bare `except:`)."""
    if expression is None:
        return []
    items = (
        [e.value for e in expression.elements]
        if isinstance(expression, cst.Tuple)
        else [expression]
    )
    names = (ctx.qualified_name(item) for item in items)
    return [name for name in names if name]
