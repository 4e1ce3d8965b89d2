"""Check one file: parse once, walk once for all rules, resolve positions only on findings.

libcst's own visitor and metadata providers cost several times the parse, so the engine
walks the dataclass fields of the tree itself (skipping whitespace and punctuation) and
dispatches `visit_<Node>` / `leave_<Node>` to every enabled rule in one pass.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from collections.abc import Callable, Iterable, Sequence

import libcst as cst

from harness.rules.context import FileContext, FileInfo
from harness.rules.finding import PARSE_ERROR_CODE, Finding, parse_error
from harness.rules.layers import Layers
from harness.rules.limits import Thresholds
from harness.rules.modules import module_name_for
from harness.rules.names import build_import_table
from harness.rules.project import ProjectIndex
from harness.rules.rule import Rule, Scope

_SCOPE_NODES = frozenset({"FunctionDef", "ClassDef", "Lambda"})
_SKIPPED_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
        "header", "footer", "trailing_whitespace", "equal", "colon", "first_colon",
        "second_colon", "dot", "lbrace", "rbrace", "lbracket", "rbracket", "asynchronous",
        "newline", "indent", "default_indent", "default_newline", "encoding",
        "has_trailing_newline", "empty_lines", "comment", "operator", "relative",
        "trailing_comma", "posonly_ind", "separator", "star",
    }
)  # fmt: skip
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[\w-]+(?:[\s,]+[\w-]+)*))?", re.IGNORECASE)
_child_fields: dict[type, tuple[str, ...]] = {}

Handler = Callable[[cst.CSTNode], None]
_node_types: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    """issubclass(kind, CSTNode), memoised: CSTNode is an ABC, so isinstance is slow."""
    known = _node_types.get(kind)
    if known is None:
        known = _node_types[kind] = issubclass(kind, cst.CSTNode)
    return known


def _skip_validation(self: cst.CSTNode) -> None:
    """Parsed trees are valid by construction (libcst's own PERF note in CSTNode)."""


def _fields_of(node_type: type) -> tuple[str, ...]:
    fields = _child_fields.get(node_type)
    if fields is None:
        fields = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _child_fields[node_type] = fields
    return fields


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


def _python_parse(source: bytes, path: str) -> ast.Module | Finding:
    """CPython's own parser first: what it rejects cannot be imported, so it is an ARCH000,
    and libcst's native parser never sees it (it overflows its stack, killing the process,
    on inputs such as a 20,000-term expression that CPython rejects cleanly)."""
    try:
        return ast.parse(source)
    except SyntaxError as error:
        return parse_error(path, f"Syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
    except RecursionError:
        return parse_error(path, "Cannot parse file: expression nested too deeply for Python")
    except MemoryError:
        return parse_error(path, "Cannot parse file: out of memory while parsing")
    except ValueError as error:  # null bytes, and the like
        return parse_error(path, f"Cannot parse file: {error}")


def _parse(source: bytes, path: str) -> cst.Module | Finding:
    validate = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _skip_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        text = str(exc.message).strip().removeprefix("parser error:").strip()
        first = text.splitlines()[0] if text else "invalid syntax"
        return parse_error(path, f"Syntax error: {first}", exc.raw_line, exc.raw_column + 1)
    except (UnicodeDecodeError, LookupError) as exc:
        return parse_error(path, f"Cannot decode file: {exc}")
    except RecursionError:
        return parse_error(path, "Cannot parse file: nesting too deep")
    except Exception as exc:  # libcst raises bare Exception for some native parser errors
        return parse_error(path, f"Cannot parse file: {type(exc).__name__}: {exc}")
    finally:
        cst.CSTNode.__post_init__ = validate  # type: ignore[method-assign]


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
        python_parses: CPython's parser already accepted this source (the project
            pre-pass), so the guard in front of libcst's parser can be skipped.
    """
    tree = None if python_parses else _python_parse(source, info.path)
    parsed = tree if isinstance(tree, Finding) else _parse(source, info.path)
    if isinstance(parsed, Finding):
        wants_parse_error = any(r.CODE == PARSE_ERROR_CODE for r in rule_types)
        return [parsed] if wants_parse_error else []
    ctx = FileContext(
        info=info,
        module=parsed,
        imports=build_import_table(parsed, info.module_name, info.is_package),
        project=project or ProjectIndex(),
        thresholds=thresholds or Thresholds(),
        source=source.decode(parsed.encoding, errors="replace"),
        tree=tree,  # type: ignore[arg-type]
        layers=layers or Layers(),
    )
    rules = [
        rule_type(ctx)
        for rule_type in rule_types
        if rule_type.SCOPE is Scope.ANY or (info.is_service and not info.is_api)
    ]
    if not rules:
        return []
    walk(parsed, rules, ctx)
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
