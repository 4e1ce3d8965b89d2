"""ARCH501: a service imports FastAPI or Starlette."""

from __future__ import annotations

import libcst as cst

from harness.rules._http import FRAMEWORK_ROOTS
from harness.rules.finding import Severity
from harness.rules.names import dotted_name, import_from_module
from harness.rules.rule import Invalid, Rule, Valid


class FrameworkImportInService(Rule):
    """## What it does
    Reports every import of `fastapi` or `starlette` (any submodule, any place in the file:
    inside functions and `TYPE_CHECKING` blocks too) in a service module, and imports of a
    name that a project module re-exports from them. The message names what was imported,
    e.g. `jsonable_encoder` from `fastapi.encoders`.

    ## Why is this bad?
    A service that imports the web framework is no longer framework-agnostic: it cannot be
    reused from a worker or a CLI, and it invites HTTP concerns (status codes, responses,
    `jsonable_encoder`) into business logic.

    ## Example
    ```python
    from fastapi import HTTPException, status
    from fastapi.encoders import jsonable_encoder
    ```

    Use instead: domain types only (`app.core.result`, `app.domain.exceptions`, models).
    """

    CODE, SLUG, SEVERITY = "ARCH501", "framework-import-in-service", Severity.ERROR
    MESSAGE = "Service imports the web framework; keep services framework-agnostic"
    VALID = [
        Valid(
            "from app.core.result import Result, success, failure\nfrom app.models import User\n"
        ),
        Valid("from fastapi import APIRouter\n", path="app/api/routes/users.py"),
        Valid("import fastapi_utils_lookalike\nfrom fastapiextra import x\n"),
    ]
    INVALID = [
        Invalid(
            "from fastapi.encoders import jsonable_encoder\n",
            line=1,
            message="`jsonable_encoder` from `fastapi.encoders`",
        ),
        Invalid("import fastapi as fa\n", line=1, message="`fastapi`"),
        Invalid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from starlette.requests import Request\n",
            line=4,
        ),
        Invalid(
            "def f():\n    from fastapi import status\n    return status.HTTP_200_OK\n", line=2
        ),
    ]

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if module.split(".")[0] in FRAMEWORK_ROOTS:
                self.report(node, f"Service imports `{module}`; keep services framework-agnostic")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        info = self.ctx.info
        module = import_from_module(node, info.module_name, info.is_package)
        names = (
            []
            if isinstance(node.names, cst.ImportStar)
            else [dotted_name(a.name) or "" for a in node.names]
        )
        if module.split(".")[0] in FRAMEWORK_ROOTS:
            shown = ", ".join(f"`{n}`" for n in names) or "`*`"
            self.report(
                node, f"Service imports {shown} from `{module}`; keep services framework-agnostic"
            )
            return
        for name in names:
            target = self.ctx.project.canonical(f"{module}.{name}")
            if target.split(".")[0] in FRAMEWORK_ROOTS:
                self.report(
                    node,
                    f"Service imports `{name}` from `{module}`, a re-export of `{target}`; "
                    "keep services framework-agnostic",
                )
