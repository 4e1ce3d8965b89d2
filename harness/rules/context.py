"""Per-file state the engine shares with every rule: scope, names, findings."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from harness.rules.layers import Layers
from harness.rules.limits import Thresholds
from harness.rules.names import ImportTable, dotted_name, qualify
from harness.rules.project import ProjectIndex

if TYPE_CHECKING:
    from libcst.metadata import CodeRange

    from harness.rules.rule import Rule


@dataclass(frozen=True)
class FileInfo:
    """Where a file sits: its output path, its module name and its layer."""

    path: str
    module_name: str = ""
    is_package: bool = False
    is_service: bool = False
    is_api: bool = False


@dataclass
class Pending:
    rule: Rule
    node: cst.CSTNode | None
    message: str
    top: cst.CSTNode | None = None


@dataclass
class FileContext:
    """What a rule may ask about the file being checked."""

    info: FileInfo
    module: cst.Module
    imports: ImportTable
    project: ProjectIndex
    thresholds: Thresholds
    source: str = ""
    tree: ast.Module | None = None
    layers: Layers = field(default_factory=Layers)
    scopes: list[cst.CSTNode] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    top: cst.CSTNode | None = None
    _positions: dict[cst.CSTNode, CodeRange] | None = None
    _layout: _Layout | None = None
    _qualified: dict[int, str | None] = field(default_factory=dict)

    # names -------------------------------------------------------------------
    def qualified_name(self, node: cst.CSTNode) -> str | None:
        """The fully qualified, re-export-resolved name of a Name/Attribute, else None.

        Memoised per node: several rules ask it of every call in the file.
        """
        key = id(node)
        if key in self._qualified:
            return self._qualified[key]
        dotted = dotted_name(node)
        result = None
        if dotted is not None:
            result = self.project.canonical(qualify(dotted, self.imports, self.info.module_name))
        self._qualified[key] = result
        return result

    def is_local_module(self, module: str) -> bool:
        """True for modules of the checked project (relative imports resolve to these too)."""
        return module.split(".")[0] in self.project.local_roots

    # scope -------------------------------------------------------------------
    def nearest_function(self) -> cst.FunctionDef | cst.Lambda | None:
        """The innermost function or lambda around the current node, skipping classes."""
        for scope in reversed(self.scopes):
            if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
                return scope
        return None

    def in_async_function(self) -> bool:
        function = self.nearest_function()
        return isinstance(function, cst.FunctionDef) and function.asynchronous is not None

    def in_function_body(self) -> bool:
        """True when the innermost scope is a function (not a class body, not a lambda)."""
        return bool(self.scopes) and isinstance(self.scopes[-1], cst.FunctionDef)

    # positions ---------------------------------------------------------------
    def start_positions(
        self, top: cst.CSTNode | None, nodes: list[cst.CSTNode]
    ) -> dict[int, tuple[int, int]]:
        """{id(node): (line, 1-based column)} of nodes inside one top-level statement.

        Only that statement is generated (see positions.py), its first line taken from the
        stdlib parser; without that line the whole module's positions are computed once.
        """
        from harness.rules.positions import starts

        start_line = self._get_layout().statement_lines.get(id(top)) if top is not None else None
        if start_line is None or top is None:
            positions = self._module_positions()
            return {id(n): (positions[n].start.line, positions[n].start.column + 1) for n in nodes}
        local = starts(top, nodes, self.module)
        offset = start_line - local[id(top)][0]
        return {id(n): (local[id(n)][0] + offset, local[id(n)][1] + 1) for n in nodes}

    def _module_positions(self) -> dict[cst.CSTNode, CodeRange]:
        if self._positions is None:
            self._positions = _generate_positions(self.module, self.module)
        return self._positions

    def _get_layout(self) -> _Layout:
        if self._layout is None:
            if self.tree is None:
                from harness.rules.parsing import stdlib_tree

                self.tree = stdlib_tree(self.source, self.module)
            self._layout = _layout(self.module, self.tree)
        return self._layout

    def line_span(self, node: cst.CSTNode) -> int:
        """Lines a class or function spans; top-level ones are measured with `ast`.

        Size rules ask this of every class in every service module; the stdlib parser
        answers it for a fraction of the cost of libcst positions.
        """
        span = self._get_layout().spans.get(id(node))
        if span is not None:
            return span
        code_range = self._module_positions()[node]
        return code_range.end.line - code_range.start.line + 1

    # findings ----------------------------------------------------------------
    def add_finding(self, rule: Rule, node: cst.CSTNode | None, message: str) -> None:
        self.pending.append(Pending(rule, node, message, self.top))


@dataclass
class _Layout:
    """First lines of top-level statements and spans of top-level defs, keyed by id()."""

    statement_lines: dict[int, int] = field(default_factory=dict)
    spans: dict[int, int] = field(default_factory=dict)


def _generate_positions(node: cst.CSTNode, module: cst.Module) -> dict[cst.CSTNode, CodeRange]:
    from libcst.metadata import PositionProvider
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    provider = PositionProvider()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=provider,
    )
    node._codegen(state)
    return provider._computed


def _layout(module: cst.Module, tree: ast.Module | None) -> _Layout:
    """Match top-level CST statements to `ast` statements (a `;` line holds several)."""
    layout = _Layout()
    if tree is None:
        return layout
    body = tree.body
    expected = sum(
        len(s.body) if isinstance(s, cst.SimpleStatementLine) else 1 for s in module.body
    )
    if expected != len(body):
        return layout
    index = 0
    for stmt in module.body:
        first = body[index]
        layout.statement_lines[id(stmt)] = first.lineno
        if isinstance(stmt, cst.SimpleStatementLine):
            index += len(stmt.body)
            continue
        index += 1
        if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
            layout.spans[id(stmt)] = (first.end_lineno or first.lineno) - first.lineno + 1
    return layout
