"""ARCH203: a module-style service with too many public functions or lines."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import is_public
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid

_CRUD_VERBS = ("create", "get", "get_by_sku", "list", "count", "update", "delete", "archive")


def _crud_module(model: str, verbs: tuple[str, ...], body_lines: int) -> str:
    """A cohesive single-model module: one public function per operation."""
    body = "".join(f"    step_{i} = db\n" for i in range(body_lines))
    return "".join(f"def {verb}_{model}(db, *args):\n{body}    return step_0\n\n" for verb in verbs)


# A cohesive module of one model and its variants: 14 public functions in 266 lines.
_PRODUCTS = _crud_module("product", _CRUD_VERBS, 16) + _crud_module(
    "variant", ("create", "list", "update", "delete", "count", "restore"), 16
)
# An 850-line module of 25 public functions across domains, with a small helper class.
_HELPER = "class _Page:\n    def offset(self, n):\n        return n * 20\n\n"
_GOD = _HELPER + "".join(
    _crud_module(model, ("create", "get", "list", "update", "cancel"), 30)
    for model in ("order", "payment", "invoice", "shipment", "refund")
)
_PRIVATE = "".join(f"def _f{i}(db):\n    return {i}\n\n" for i in range(20))
_LONG = "def run(db):\n" + "".join(f"    x{i} = {i}\n" for i in range(1000))


class GodServiceModule(Rule):
    """## What it does
    Reports (at line 1) a service module written as functions that has more than 20
    public top-level functions (`god-module-functions`), or whose top-level functions span
    more than 1000 lines in total (`god-module-lines`). Both limits are the largest value
    allowed. Private helpers (`_build_filters`) add to the lines, not to the count; classes
    in the module are left to ARCH201/ARCH202 and do not hide its functions.

    The limits are twice and two and a half times ARCH202's (a module is a larger unit
    than a class), calibrated on real codebases: a cohesive module of one model's
    operations (`create_flow`, `read_flow`, `read_flows`, `count_flows`, `update_flow`,
    ..., up to about 20 public functions in up to 900 lines, CRUD, status and events of
    the model) passes; a module of 22 to 45 public functions over several models, or of
    more than 1000 lines of functions, is reported.

    ## Why is this bad?
    Many codebases write services as modules of functions (`app/services/user.py` with
    `get_user`, `create_user`, ...). A module of 30 such functions is the same god service
    as a 30-method class, only harder to see, and ARCH202 alone would miss it.

    ## Example
    `app/services/crud.py` with `get_user`, `create_user`, `get_order`, `pay_order`,
    `send_invoice`, ... (more than 20 public functions across several domains).

    Use instead: one module per responsibility.
    """

    CODE, SLUG, SEVERITY = "ARCH203", "god-service-module", Severity.ERROR
    MESSAGE = "Module-style god service; split it by responsibility"
    VALID = [
        Valid(_PRIVATE + "def public(db):\n    return 1\n"),
        Valid(_PRODUCTS),
        Valid(_GOD, path="app/api/routes/things.py"),
    ]
    INVALID = [
        Invalid(
            "class Row:\n    id: int\n\n"
            + "".join(_crud_module(model, _CRUD_VERBS, 1) for model in ("user", "team", "org")),
            path="app/user_service.py",
            line=1,
            message="24 public functions, limit 20",
        ),
        Invalid(_GOD, line=1, message="25 public functions, limit 20"),
        Invalid(_LONG, line=1, message="1001 lines, limit 1000"),
    ]

    def finish(self) -> None:
        functions = [s for s in self.ctx.module.body if isinstance(s, cst.FunctionDef)]
        public = sum(1 for f in functions if is_public(f.name.value))
        span = sum(self.ctx.line_span(f) for f in functions)
        limits = self.ctx.thresholds
        over = []
        if public > limits.god_module_functions:
            over.append(f"{public} public functions, limit {limits.god_module_functions}")
        if span > limits.god_module_lines:
            over.append(f"functions span {span} lines, limit {limits.god_module_lines}")
        if over:
            self.report(
                None,
                f"Module-style god service: {'; '.join(over)}; split it by responsibility",
            )
