"""ARCH101: a service raises or constructs HTTPException."""

from __future__ import annotations

import libcst as cst

from harness.rules._http import is_http_exception
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid


class HttpExceptionInService(Rule):
    """## What it does
    Reports a service that raises or constructs `HTTPException` (FastAPI's or Starlette's,
    under any alias, through a re-export, or a subclass), including an instance built at
    module level (`InvalidCredentials = HTTPException(...)`) or imported from another module
    and raised later. Reported at the raise or construction statement's first line.

    ## Why is this bad?
    Services are business logic. An HTTP status in a service ties it to one transport, makes
    it untestable without HTTP machinery, and scatters the error mapping. The agent's first
    mandatory rule: services return `failure(DomainError())`; the API layer maps it.

    ## Example
    ```python
    def login(self, credentials):
        if not user:
            raise HTTPException(status_code=400, detail="Invalid")
    ```

    Use instead:
    ```python
    def login(self, credentials) -> Result[User, InvalidCredentialsError]:
        if not user:
            return failure(InvalidCredentialsError())
        return success(user)
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH101", "http-exception-in-service", Severity.ERROR
    MESSAGE = (
        "Service raises HTTPException; return failure(DomainError) and map it in the API layer"
    )
    VALID = [
        Valid("from app.core.result import failure\n\ndef f():\n    return failure(NotFound())\n"),
        Valid('def f():\n    """Never raise HTTPException here."""\n    # HTTPException\n'),
        Valid(
            "from fastapi import HTTPException\n\n@router.get('/')\ndef f():\n"
            "    raise HTTPException(404)\n",
            path="app/api/routes/users.py",
        ),
        Valid("class E(Exception):\n    pass\n\ndef f():\n    raise E()\n"),
    ]
    INVALID = [
        Invalid(
            "from fastapi import HTTPException\n\ndef f():\n    raise HTTPException(404)\n", line=4
        ),
        Invalid(
            "import fastapi as fa\n\ndef f():\n    raise fa.HTTPException(\n        status_code=400,\n"
            "        detail='x',\n    ) from None\n",
            line=4,
        ),
        Invalid(
            "from starlette.exceptions import HTTPException as HE\n\ndef f():\n    raise HE(400)\n",
            line=4,
        ),
        Invalid(
            "from fastapi import HTTPException\n\nInvalid = HTTPException(status_code=401)\n\n"
            "def f():\n    raise Invalid\n",
            line=3,
        ),
        Invalid("def f():\n    raise HTTPException(status_code=404)\n", line=2),
        Invalid(
            "from fastapi import HTTPException\n\nclass NotFound(HTTPException):\n    pass\n\n"
            "def f():\n    raise NotFound()\n",
            line=7,
        ),
        Invalid(
            "def f():\n    err = HTTPException(500)\n    return err\n", line=2, message="constructs"
        ),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._statement: cst.CSTNode | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = None

    def visit_Call(self, node: cst.Call) -> None:
        if is_http_exception(self.ctx, self.ctx.qualified_name(node.func)):
            raising = isinstance(self._statement, cst.SimpleStatementLine) and any(
                isinstance(s, cst.Raise) for s in self._statement.body
            )
            verb = "raises" if raising else "constructs"
            self.report(self._statement or node, self.MESSAGE.replace("raises", verb, 1))

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is None or isinstance(node.exc, cst.Call):
            return  # bare re-raise, or a construction that visit_Call reports
        qualified = self.ctx.qualified_name(node.exc)
        if qualified is None:
            return
        if is_http_exception(self.ctx, qualified):
            self.report(self._statement or node)
            return
        constructor = self.ctx.project.constructor_of(qualified)
        own = f"{self.ctx.info.module_name}."
        if (
            constructor
            and not qualified.startswith(own)
            and is_http_exception(self.ctx, constructor)
        ):
            self.report(self._statement or node, f"{self.MESSAGE} (`{qualified}` is one)")
