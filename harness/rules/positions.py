"""Start positions of chosen nodes, from one code generation of their top-level statement.

libcst's PositionProvider records a full range for every node of the module (a CodeRange
object each, then a second visit to attach them). A finding needs only its node's start,
so this state tracks the current line and column through code generation and records
starts for the wanted nodes only; the top-level statement's own first line comes from the
stdlib parser, so only that statement is generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

_NEWLINES = re.compile(r"\r\n?|\n")


@dataclass
class _StartTracker(CodegenState):
    wanted: frozenset[int] = frozenset()
    found: dict[int, tuple[int, int]] = field(default_factory=dict)
    line: int = 1
    column: int = 0

    def _advance(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINES.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self._advance(value)

    def pop_trailing_newline(self) -> None:
        """Only a Module pops its last newline; tokens are not kept here."""

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.found[id(node)] = (self.line, self.column)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        if id(node) in self.wanted:  # the syntactic start: after leading lines, decorators
            self.found[id(node)] = (self.line, self.column)
        yield


def starts(
    root: cst.CSTNode, nodes: Iterable[cst.CSTNode], module: cst.Module
) -> dict[int, tuple[int, int]]:
    """{id(node): (line relative to root's codegen, 0-based column)} for the given nodes."""
    tracker = _StartTracker(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted=frozenset(id(n) for n in [root, *nodes]),
    )
    root._codegen(tracker)
    return tracker.found
