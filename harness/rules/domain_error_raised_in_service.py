"""ARCH102: a service raises a domain exception instead of returning failure(...)."""

from __future__ import annotations

import libcst as cst

from harness.rules._http import is_http_exception_value
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid

DOMAIN_COMPONENTS = frozenset({"domain"})
ERROR_COMPONENTS = frozenset({"exceptions", "errors"})


class DomainErrorRaisedInService(Rule):
    """## What it does
    Reports a service that raises an exception class imported from a domain or exceptions
    module (`app.domain.exceptions`, `app.exceptions`, a relative `.errors`) instead of
    returning `failure(...)` with it.

    ## Why is this bad?
    Domain errors exist to be returned in a `Result`. Raising them brings back the hidden
    control flow the Result type removes: callers cannot see from the signature that the
    service fails, and the API layer has to catch instead of match.

    ## Example
    ```python
    from app.domain.exceptions import UserNotFoundError

    def get_user(db, user_id):
        raise UserNotFoundError(user_id)
    ```

    Use instead:
    ```python
    def get_user(db, user_id) -> Result[User, UserNotFoundError]:
        return failure(UserNotFoundError(user_id))
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH102", "domain-error-raised-in-service", Severity.ERROR
    MESSAGE = "Service raises a domain error; return failure(...) instead"
    VALID = [
        Valid(
            "from app.domain.exceptions import NotFound\nfrom app.core.result import failure\n\n"
            "def f():\n    return failure(NotFound())\n"
        ),
        Valid("def f(x):\n    raise ValueError(x)\n"),
        Valid("from jose.exceptions import JWTError\n\ndef f():\n    raise JWTError()\n"),
        Valid(
            "from app.domain.exceptions import NotFound\n\ndef f():\n    raise NotFound()\n",
            path="app/api/routes/users.py",
        ),
    ]
    INVALID = [
        Invalid(
            "from app.domain.exceptions import UserNotFoundError\n\ndef f(i):\n"
            "    raise UserNotFoundError(i)\n",
            line=4,
            message="UserNotFoundError",
        ),
        Invalid(
            "from app.domain import exceptions as exc\n\ndef f():\n    raise exc.Conflict from None\n",
            line=4,
        ),
        Invalid("from ..exceptions import Gone\n\ndef f():\n    raise Gone()\n", line=4),
    ]

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        target = exc.func if isinstance(exc, cst.Call) else exc
        head = target
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name) or head.value not in self.ctx.imports.aliases:
            return
        qualified = self.ctx.qualified_name(target)
        if not qualified or "." not in qualified or is_http_exception_value(self.ctx, qualified):
            return
        module, _, name = qualified.rpartition(".")
        parts = set(module.split("."))
        from_domain = bool(parts & DOMAIN_COMPONENTS)
        from_errors = bool(parts & ERROR_COMPONENTS) and self.ctx.is_local_module(module)
        if from_domain or from_errors:
            self.report(
                node,
                f"Service raises `{name}` from `{module}`; return failure({name}(...)) instead",
            )
