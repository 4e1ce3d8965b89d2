"""The one safe mechanical fix: move a function-level constant (ARCH301) to module level.

Pure: source text in, source text and a list of what was and was not moved out. A
constant moves only when moving it cannot change behaviour: a single plain assignment at
the top of a function body (not under `if`/`for`/`try`), assigned once, whose value is
built from literals, module-level names defined above the insertion point, and a few
pure constructors; a mutable literal (list, dict, set) or any other call stays put.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from harness.rules.constant_in_function import is_constant_name
from harness.rules.names import dotted_name

PURE_CALLS = frozenset(
    {
        "timedelta", "datetime.timedelta", "Decimal", "decimal.Decimal", "frozenset", "tuple",
        "int", "float", "str", "bool", "bytes", "re.compile", "Fraction", "fractions.Fraction",
    }
)  # fmt: skip
LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)
BUILTIN_CONSTANTS = frozenset({"True", "False", "None"})
TOP_LEVEL_BLANK_LINES = 2


@dataclass(frozen=True)
class Skipped:
    name: str
    line: int
    reason: str


@dataclass
class FixOutcome:
    """The rewritten source, and what was moved (name, line) or skipped (with why)."""

    code: str
    moved: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class _Move:
    statement: cst.SimpleStatementLine
    name: str
    value_code: str
    top: cst.CSTNode


class _Analyzer:
    """Decides, for each ARCH301 assignment, whether it can move and where to."""

    def __init__(self, wrapper: MetadataWrapper) -> None:
        self.module = wrapper.module
        self.scopes = wrapper.resolve(ScopeProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.positions = wrapper.resolve(PositionProvider)
        self.moves: list[_Move] = []
        self.skipped: list[Skipped] = []
        self.added: dict[str, str] = {}

    def _top_of(self, node: cst.CSTNode) -> cst.CSTNode:
        while True:
            parent = self.parents[node]
            if isinstance(parent, cst.Module):
                return node
            node = parent

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def _unsafe(self, value: cst.BaseExpression, scope: Scope, top_line: int) -> str | None:
        """Why the value cannot be evaluated at import time unchanged, or None if it can."""
        if isinstance(value, LITERALS):
            return None
        if isinstance(value, cst.ConcatenatedString):
            return self._unsafe(value.left, scope, top_line) or self._unsafe(
                value.right, scope, top_line
            )
        if isinstance(value, cst.FormattedString):
            for part in value.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    reason = self._unsafe(part.expression, scope, top_line)
                    if reason:
                        return reason
            return None
        if isinstance(value, cst.UnaryOperation):
            return self._unsafe(value.expression, scope, top_line)
        if isinstance(value, cst.BinaryOperation):
            return self._unsafe(value.left, scope, top_line) or self._unsafe(
                value.right, scope, top_line
            )
        if isinstance(value, cst.Tuple):
            for element in value.elements:
                reason = self._unsafe(element.value, scope, top_line)
                if reason:
                    return reason
            return None
        if isinstance(
            value, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
        ):
            return "its value is mutable (moving it would share one object between calls)"
        if isinstance(value, cst.Name):
            return self._unsafe_name(value.value, scope, top_line)
        if isinstance(value, cst.Attribute):
            base = value
            while isinstance(base, cst.Attribute):
                base = base.value
            if not isinstance(base, cst.Name):
                return "its value is not a plain constant expression"
            reason = self._unsafe_name(base.value, scope, top_line)
            if reason:
                return reason
            if not is_constant_name(value.attr.value) and not self._is_module_import(base.value):
                return (
                    f"its value reads attribute `{value.attr.value}`, which may change at run time"
                )
            return None
        if isinstance(value, cst.Call):
            name = dotted_name(value.func)
            if name not in PURE_CALLS:
                return f"its value calls `{name or 'an expression'}`, which may not be pure"
            for arg in value.args:
                reason = self._unsafe(arg.value, scope, top_line)
                if reason:
                    return reason
            return self._unsafe_name(name.split(".")[0], scope, top_line, builtin_ok=True)
        return "its value is not a plain constant expression"

    def _is_module_import(self, name: str) -> bool:
        global_scope = self.scopes[self.module]
        return any(isinstance(a.node, cst.Import) for a in global_scope.assignments[name])

    def _unsafe_name(
        self, name: str, scope: Scope, top_line: int, builtin_ok: bool = False
    ) -> str | None:
        current: Scope | None = scope
        while current is not None and not isinstance(current, GlobalScope):
            if current.assignments[name]:
                return f"its value depends on the local name `{name}`"
            current = current.parent if current.parent is not current else None
        global_scope = self.scopes[self.module]
        bindings = list(global_scope.assignments[name])
        if not bindings:
            if name in BUILTIN_CONSTANTS or builtin_ok or name in self.added:
                return None
            return f"its value uses `{name}`, which is not defined at module level"
        if any(self._line(a.node) >= top_line for a in bindings if isinstance(a.node, cst.CSTNode)):
            return f"its value uses `{name}`, defined below the function"
        return None

    def consider(
        self, target: cst.Name, statement: cst.SimpleStatementLine, value: cst.BaseExpression
    ) -> None:
        name, line = target.value, self._line(target)
        scope = self.scopes[target]
        block = self.parents[statement]
        function = self.parents[block] if block is not None else None
        if not isinstance(function, cst.FunctionDef) or len(statement.body) != 1:
            self.skipped.append(
                Skipped(name, line, "it is not a plain statement of the function body")
            )
            return
        if scope is None or len(scope.assignments[name]) != 1:
            self.skipped.append(Skipped(name, line, "the function assigns it more than once"))
            return
        top = self._top_of(statement)
        reason = self._unsafe(value, scope, self._line(top))
        value_code = self.module.code_for_node(value)
        global_scope = self.scopes[self.module]
        existing = list(global_scope.assignments[name])
        if reason is None and (existing or name in self.added):
            reason = f"module level already defines `{name}`"
            previous = self.added.get(name)
            if previous is None and len(existing) == 1 and isinstance(existing[0].node, cst.Name):
                owner = self.parents.get(existing[0].node)
                if isinstance(owner, cst.AssignTarget):
                    assign = self.parents.get(owner)
                    if isinstance(assign, cst.Assign):
                        previous = self.module.code_for_node(assign.value)
            if previous == value_code:
                self.moves.append(_Move(statement, name, value_code, None))  # type: ignore[arg-type]
                self.skipped.append(
                    Skipped(
                        name, line, "removed: module level already defines it with the same value"
                    )
                )
                return
        if reason is not None:
            self.skipped.append(Skipped(name, line, reason))
            return
        self.added[name] = value_code
        self.moves.append(_Move(statement, name, value_code, top))


class _Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, analyzer: _Analyzer) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.statement: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node

    def _in_function(self, node: cst.CSTNode) -> bool:
        scope = self.analyzer.scopes.get(node)
        from libcst.metadata import FunctionScope

        return isinstance(scope, FunctionScope)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.statement is None or not self._in_function(node):
            return
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            target = node.targets[0].target
            if is_constant_name(target.value) and not self._declared_global(target):
                self.analyzer.consider(target, self.statement, node.value)
            return
        for assign_target in node.targets:
            for name in _names(assign_target.target):
                if is_constant_name(name.value):
                    line = self.analyzer._line(name)
                    self.analyzer.skipped.append(
                        Skipped(name.value, line, "it is part of a multiple assignment")
                    )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.statement is None or node.value is None or not self._in_function(node):
            return
        target = node.target
        if (
            isinstance(target, cst.Name)
            and is_constant_name(target.value)
            and not self._declared_global(target)
        ):
            self.analyzer.consider(target, self.statement, node.value)

    def _declared_global(self, name: cst.Name) -> bool:
        """Declared `global`/`nonlocal`: libcst records those names as scope overwrites."""
        scope = self.analyzer.scopes.get(name)
        return name.value in getattr(scope, "_scope_overwrites", {})


def _names(target: cst.BaseExpression) -> list[cst.Name]:
    from harness.rules.constant_in_function import bound_names

    return list(bound_names(target))


class _Rewriter(cst.CSTTransformer):
    def __init__(self, moves: list[_Move]) -> None:
        super().__init__()
        self.removed = {id(m.statement) for m in moves}
        self.inserted: dict[int, list[_Move]] = {}
        for move in moves:
            if move.top is not None:
                self.inserted.setdefault(id(move.top), []).append(move)

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        keep = [
            new
            for old, new in zip(original.body, updated.body, strict=True)
            if id(old) not in self.removed
        ]
        if len(keep) == len(updated.body):
            return updated
        return updated.with_changes(body=keep or [cst.SimpleStatementLine([cst.Pass()])])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = []
        for old, new in zip(original.body, updated.body, strict=True):
            moves = self.inserted.get(id(old))
            if not moves:
                body.append(new)
                continue
            lines = list(new.leading_lines)
            split = next(
                (i for i, line in enumerate(lines) if line.comment is not None), len(lines)
            )
            blank, own_comments = lines[:split], lines[split:]
            for index, move in enumerate(moves):
                comments = [
                    line for line in move.statement.leading_lines if line.comment is not None
                ]
                leading = (blank if index == 0 else []) + comments
                body.append(move.statement.with_changes(leading_lines=leading))
            spacing = (
                [cst.EmptyLine()] * TOP_LEVEL_BLANK_LINES
                if isinstance(new, (cst.FunctionDef, cst.ClassDef))
                else [cst.EmptyLine()]
            )
            body.append(new.with_changes(leading_lines=spacing + own_comments))
        return updated.with_changes(body=body)


def fix_constants(source: str, lines: set[int] | None = None) -> FixOutcome:
    """Move every safely movable function-level constant in `source` to module level.

    Args:
        lines: only constants assigned on these lines (the unsuppressed findings).
    """
    wrapper = MetadataWrapper(cst.parse_module(source))
    analyzer = _Analyzer(wrapper)
    wrapper.visit(_Collector(analyzer))
    if lines is not None:
        analyzer.moves = [m for m in analyzer.moves if analyzer._line(m.statement) in lines]
        analyzer.skipped = [s for s in analyzer.skipped if s.line in lines]
    outcome = FixOutcome(source, skipped=analyzer.skipped)
    if not analyzer.moves:
        return outcome
    outcome.code = wrapper.module.visit(_Rewriter(analyzer.moves)).code
    outcome.moved = [
        (m.name, analyzer.positions[m.statement].start.line)
        for m in analyzer.moves
        if m.top is not None
    ]
    return outcome
