"""Name resolution without libcst's metadata providers.

libcst's ScopeProvider and QualifiedNameProvider cost more than the parse itself. Rules only
need "what does this dotted name refer to", so each file gets a flat alias table built from
its imports (anywhere in the file: functions and `TYPE_CHECKING` blocks included), and the
project pre-pass (`project.py`) adds re-exports across files.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from harness.rules.modules import resolve_relative

BUILTIN_NAMES = frozenset(dir(builtins))

_BODY_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def dotted_name(node: cst.CSTNode) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else (calls, subscripts...)."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def import_from_module(node: cst.ImportFrom, module_name: str, is_package: bool) -> str:
    """The absolute module an ImportFrom reads from, resolving leading dots."""
    target = dotted_name(node.module) if node.module is not None else ""
    return resolve_relative(len(node.relative), target or "", module_name, is_package)


def iter_statements(body: object) -> Iterator[cst.CSTNode]:
    """Every statement in a block, descending into compound statements but not expressions."""
    stack: list[object] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
            continue
        if isinstance(item, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            stack.extend(reversed(item.body))
            continue
        if isinstance(item, cst.SimpleStatementLine):
            yield from item.body
            continue
        if not isinstance(item, cst.CSTNode):
            continue
        yield item
        for name in _BODY_FIELDS:
            child = getattr(item, name, None)
            if child is not None:
                stack.append(child)


@dataclass
class ImportTable:
    """Local name -> fully qualified name, for every import in one file."""

    aliases: dict[str, str] = field(default_factory=dict)
    module_defs: set[str] = field(default_factory=set)


def build_import_table(module: cst.Module, module_name: str, is_package: bool) -> ImportTable:
    table = ImportTable()
    for stmt in iter_statements(module.body):
        if isinstance(stmt, cst.Import):
            for alias in stmt.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    table.aliases[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    table.aliases.setdefault(head, head)
        elif isinstance(stmt, cst.ImportFrom):
            if isinstance(stmt.names, cst.ImportStar):
                continue
            source = import_from_module(stmt, module_name, is_package)
            for alias in stmt.names:
                name = dotted_name(alias.name) or ""
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                table.aliases[local] = f"{source}.{name}" if source else name
    for stmt in module.body:
        for bound in _top_level_bindings(stmt):
            table.module_defs.add(bound)
    return table


def _top_level_bindings(stmt: cst.CSTNode) -> Iterator[str]:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        yield stmt.name.value
    elif isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        yield target.target.value
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                yield small.target.value


def qualify(dotted: str, table: ImportTable, module_name: str) -> str:
    """Qualify a dotted name as seen from this file (imports first, then own defs, builtins)."""
    head, _, rest = dotted.partition(".")
    target = table.aliases.get(head)
    if target is not None:
        return f"{target}.{rest}" if rest else target
    if head in table.module_defs:
        prefix = f"{module_name}." if module_name else ""
        return f"{prefix}{dotted}"
    if head in BUILTIN_NAMES:
        return f"builtins.{dotted}"
    return dotted
