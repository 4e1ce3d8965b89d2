"""ARCH201: a service class longer than the size limit (150 lines)."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import is_god_class
from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Valid

_BIG_BODY = "".join(f"        x{i} = {i}\n" for i in range(160))


class ServiceTooLarge(Rule):
    """## What it does
    Warns about a class in a service module that spans more than 150 lines (the largest
    size allowed, configurable: `service-max-lines`). A class big enough to be a god
    service (ARCH202) is reported as that instead.

    ## Why is this bad?
    The agent's rule of thumb ("if a service exceeds 150 lines, consider splitting it"):
    past 150 lines a service usually holds more than one responsibility and should be
    split. It is a warning, not an error: a prompt to look.

    ## Example
    A 200-line `OrderService` that creates, prices, ships and invoices orders.

    Use instead: `OrderCreationService`, `PricingService`, `ShippingService`.
    """

    CODE, SLUG, SEVERITY = "ARCH201", "service-too-large", Severity.WARNING
    MESSAGE = "Service class is longer than the limit; split it by responsibility"
    VALID = [
        Valid("class UserService:\n    def get(self):\n        return 1\n"),
        Valid(f"class Big:\n    def run(self):\n{_BIG_BODY}", path="app/api/routes/big.py"),
    ]
    INVALID = [
        Invalid(
            f"class Big:\n    def run(self):\n{_BIG_BODY}", line=1, message="162 lines, limit 150"
        ),
        Invalid(f"import os\n\n\n@dataclass\nclass Big:\n    def run(self):\n{_BIG_BODY}", line=5),
    ]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.ctx.scopes:
            return
        god, span, _ = is_god_class(self.ctx, node)
        limit = self.ctx.thresholds.service_max_lines
        if not god and span > limit:
            self.report(
                node,
                f"Service class `{node.name.value}` spans {span} lines, limit {limit}; "
                "split it by responsibility",
            )
