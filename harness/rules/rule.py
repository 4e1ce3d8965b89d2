"""The contract every rule module implements, and the examples that are its unit tests.

A rule is a small class with `visit_<Node>` / `leave_<Node>` methods named after libcst
node types (Fixit's convention). The engine walks each file once and calls every enabled
rule's handlers, so rules never traverse the tree themselves.

Examples:
    class NoPrint(Rule):
        \"\"\"## What it does ... ## Why is this bad? ...\"\"\"
        CODE, SLUG, SEVERITY = "ARCH999", "no-print", Severity.ERROR
        MESSAGE = "print() in a service"
        VALID = [Valid("log.info('x')"), Valid("printer()")]
        INVALID = [Invalid("print('x')", line=1), Invalid("print()")]

        def visit_Call(self, node: cst.Call) -> None:
            if self.ctx.qualified_name(node.func) == "builtins.print":
                self.report(node)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from harness.rules.finding import Severity

if TYPE_CHECKING:
    import libcst as cst

    from harness.rules.context import FileContext

DEFAULT_EXAMPLE_PATH = "app/services/example_service.py"


class Scope(Enum):
    """Which files a rule looks at; the engine skips the rule elsewhere."""

    ANY = "any"
    SERVICE = "service"


@dataclass(frozen=True)
class Valid:
    """Code that must produce no finding of the rule, checked as if it lived at `path`."""

    code: str
    path: str = DEFAULT_EXAMPLE_PATH


@dataclass(frozen=True)
class Invalid:
    """Code that must produce a finding of the rule (on `line` when given).

    `message`, when given, must appear in the finding's message.
    """

    code: str
    path: str = DEFAULT_EXAMPLE_PATH
    line: int | None = None
    message: str | None = None


class Rule:
    """Base class of every rule: metadata as class constants, handlers as methods."""

    CODE: ClassVar[str]
    SLUG: ClassVar[str]
    SEVERITY: ClassVar[Severity]
    MESSAGE: ClassVar[str]
    SCOPE: ClassVar[Scope] = Scope.SERVICE
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def report(self, node: cst.CSTNode | None, message: str | None = None) -> None:
        """Record a finding at `node` (None: line 1, column 1)."""
        self.ctx.add_finding(self, node, message or self.MESSAGE)

    def finish(self) -> None:
        """Called once after the whole file was walked, for rules that judge totals."""
