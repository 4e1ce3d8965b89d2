"""Check one file: parse once, walk once for all rules, resolve positions only on findings.

libcst's own visitor and metadata providers cost several times the parse, so the engine
walks the dataclass fields of the tree itself (skipping whitespace and punctuation) and
dispatches `visit_<Node>` / `leave_<Node>` to every enabled rule in one pass.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterable, Sequence

import libcst as cst

from harness.rules.context import FileContext, FileInfo
from harness.rules.fields import child_fields as _fields_of
from harness.rules.fields import is_node as _is_node
from harness.rules.finding import PARSE_ERROR_CODE, Finding
from harness.rules.layers import Layers
from harness.rules.limits import Thresholds
from harness.rules.modules import module_name_for
from harness.rules.names import build_import_table
from harness.rules.parsing import parse_file
from harness.rules.project import ProjectIndex
from harness.rules.rule import Rule, Scope

_SCOPE_NODES = frozenset({"FunctionDef", "ClassDef", "Lambda"})
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[\w-]+(?:[\s,]+[\w-]+)*))?", re.IGNORECASE)

Handler = Callable[[cst.CSTNode], None]


_handler_names: dict[tuple[type, str], tuple[tuple[str, str], ...]] = {}


def _handlers(rules: Iterable[Rule], prefix: str) -> dict[str, list[Handler]]:
    """{node type name: bound handlers}; method names are looked up once per rule class."""
    table: dict[str, list[Handler]] = {}
    for rule in rules:
        key = (type(rule), prefix)
        names = _handler_names.get(key)
        if names is None:
            names = tuple((a[len(prefix) :], a) for a in dir(type(rule)) if a.startswith(prefix))
            _handler_names[key] = names
        for node_name, attr in names:
            table.setdefault(node_name, []).append(getattr(rule, attr))
    return table


def walk(module: cst.Module, rules: Sequence[Rule], ctx: FileContext) -> None:
    """Walk the module one top-level statement at a time (so findings know theirs)."""
    visits = _handlers(rules, "visit_")
    leaves = _handlers(rules, "leave_")
    for handler in visits.get("Module", ()):
        handler(module)
    for statement in module.body:
        ctx.top = statement
        _walk_tree(statement, visits, leaves, ctx)
    ctx.top = None
    for handler in leaves.get("Module", ()):
        handler(module)


def _walk_tree(
    root: cst.CSTNode,
    visits: dict[str, list[Handler]],
    leaves: dict[str, list[Handler]],
    ctx: FileContext,
) -> None:
    """Depth-first walk dispatching every rule's handlers; the engine keeps `ctx.scopes`."""
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        name = type(node).__name__
        if leaving:
            if name in _SCOPE_NODES:
                ctx.scopes.pop()
            for handler in leaves.get(name, ()):
                handler(node)
            continue
        for handler in visits.get(name, ()):
            handler(node)
        if name in _SCOPE_NODES:
            ctx.scopes.append(node)
            stack.append((node, True))
        elif name in leaves:
            stack.append((node, True))
        children: list[cst.CSTNode] = []
        for field_name in _fields_of(type(node)):
            value = getattr(node, field_name)
            kind = type(value)
            if kind is tuple or kind is list:
                children.extend(v for v in value if _is_node(type(v)))
            elif _is_node(kind):
                children.append(value)
        stack.extend((child, False) for child in reversed(children))


def noqa_codes(source: str, lines: set[int]) -> dict[int, frozenset[str] | None]:
    """`# noqa` comments on the given lines: None means bare (suppress all)."""
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and tok.start[0] in lines:
                comments[tok.start[0]] = tok.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        all_lines = source.splitlines()
        comments = {n: all_lines[n - 1] for n in lines if 0 < n <= len(all_lines)}
    result: dict[int, frozenset[str] | None] = {}
    for line, text in comments.items():
        match = _NOQA.search(text)
        if match is None:
            continue
        codes = match.group("codes")
        result[line] = None if not codes else frozenset(re.split(r"[\s,]+", codes.upper()))
    return result


def _suppressed(finding: Finding, noqa: dict[int, frozenset[str] | None]) -> bool:
    if finding.line not in noqa:
        return False
    codes = noqa[finding.line]
    return codes is None or finding.code in codes or finding.rule.upper() in codes


def check_module(
    source: bytes,
    info: FileInfo,
    rule_types: Sequence[type[Rule]],
    project: ProjectIndex | None = None,
    thresholds: Thresholds | None = None,
    layers: Layers | None = None,
    python_parses: bool = False,
) -> list[Finding]:
    """All findings of the enabled rules in one file's source, sorted, noqa applied.

    Args:
        python_parses: the project pre-pass already parsed this source safely, so the
            guard in front of libcst's parser can be skipped (see parsing.py).
    """
    parsed = parse_file(source, info.path, trusted=python_parses)
    if isinstance(parsed, Finding):
        wants_parse_error = any(r.CODE == PARSE_ERROR_CODE for r in rule_types)
        return [parsed] if wants_parse_error else []
    module = parsed.module
    ctx = FileContext(
        info=info,
        module=module,
        imports=build_import_table(module, info.module_name, info.is_package),
        project=project or ProjectIndex(),
        thresholds=thresholds or Thresholds(),
        source=source.decode(module.encoding, errors="replace"),
        tree=parsed.tree,
        layers=layers or Layers(),
    )
    rules = [
        rule_type(ctx)
        for rule_type in rule_types
        if rule_type.SCOPE is Scope.ANY or (info.is_service and not info.is_api)
    ]
    if not rules:
        return []
    walk(module, rules, ctx)
    for rule in rules:
        rule.finish()
    return _resolve(ctx)


def _resolve(ctx: FileContext) -> list[Finding]:
    by_top: dict[int, tuple[cst.CSTNode | None, list[cst.CSTNode]]] = {}
    for pending in ctx.pending:
        if pending.node is not None:
            by_top.setdefault(id(pending.top), (pending.top, []))[1].append(pending.node)
    positions: dict[int, tuple[int, int]] = {}
    for top, nodes in by_top.values():
        positions.update(ctx.start_positions(top, nodes))
    findings: set[Finding] = set()
    for pending in ctx.pending:
        line, column = positions[id(pending.node)] if pending.node is not None else (1, 1)
        rule = pending.rule
        findings.add(
            Finding(
                ctx.info.path, line, column, rule.CODE, rule.SLUG, rule.SEVERITY, pending.message
            )
        )
    if not findings:
        return []
    if "noqa" not in ctx.source.lower():
        return sorted(findings)
    noqa = noqa_codes(ctx.source, {f.line for f in findings})
    return sorted(f for f in findings if not _suppressed(f, noqa))


def check_source(
    code: str,
    path: str,
    rule_types: Sequence[type[Rule]],
    thresholds: Thresholds | None = None,
    layers: Layers | None = None,
) -> list[Finding]:
    """Check one snippet as if it lived at `path`, alone in its project (rule examples)."""
    from harness.rules.project import extract_exports

    layers = layers or Layers()
    module_name, is_package = module_name_for(path)
    source = code.encode()
    info = FileInfo(
        path=path,
        module_name=module_name,
        is_package=is_package,
        is_service=layers.is_service(path),
        is_api=layers.is_api(path),
    )
    project = ProjectIndex(local_roots=frozenset({module_name.split(".")[0]}))
    project.add(extract_exports(source, module_name, is_package), info.is_service)
    return check_module(source, info, rule_types, project, thresholds, layers)
