"""ARCH502: a service imports from the API layer."""

from __future__ import annotations

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.names import dotted_name, import_from_module
from harness.rules.rule import Invalid, Rule, Valid


class ServiceImportsApiLayer(Rule):
    """## What it does
    Reports a service module that imports a module of the project's API layer (a module
    under `api`, `routers`, `routes` or `endpoints`, or named `router`, `routes`, `views`,
    `endpoints`), by absolute or relative import. Third-party packages are not the API layer.

    ## Why is this bad?
    Dependencies point inward: the API layer calls services, never the reverse. A service
    importing `app.api.deps` drags request handling into business logic and makes import
    cycles likely.

    ## Example
    ```python
    from app.api.deps import get_current_user
    ```

    Use instead: pass what the service needs as arguments from the route.
    """

    CODE, SLUG, SEVERITY = "ARCH502", "service-imports-api-layer", Severity.ERROR
    MESSAGE = "Service imports from the API layer; dependencies must point inward"
    VALID = [
        Valid("from app.models.user import User\nfrom app.core.result import success\n"),
        Valid("from kubernetes.client.api import core_v1_api\n"),
        Valid("from app.api.deps import get_db\n", path="app/api/routes/users.py"),
    ]
    INVALID = [
        Invalid("from app.api.deps import get_current_user\n", line=1, message="app.api.deps"),
        Invalid("from ..api import deps\n", line=1),
        Invalid("import app.routers.users as users_router\n", line=1),
        Invalid("from app import views\n", line=1),
    ]

    def _report(self, node: cst.CSTNode, module: str) -> None:
        self.report(
            node, f"Service imports `{module}` from the API layer; dependencies must point inward"
        )

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if self.ctx.is_local_module(module) and self.ctx.layers.is_api_module(module):
                self._report(node, module)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        info = self.ctx.info
        module = import_from_module(node, info.module_name, info.is_package)
        if not (node.relative or self.ctx.is_local_module(module)):
            return
        if self.ctx.layers.is_api_module(module):
            self._report(node, module)
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            full = f"{module}.{dotted_name(alias.name)}"
            if self.ctx.layers.is_api_module(full):
                self._report(node, full)
