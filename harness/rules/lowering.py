"""Python 3.12-3.14 code rewritten as 3.11 code, line for line, for the stdlib parser.

The running CPython may be older than the syntax of a file (PEP 695 generics and `type`
aliases, PEP 701 f-strings, 3.13 type-parameter defaults, 3.14 `except A, B:` and
t-strings). The re-export pre-pass and the position shortcuts read the stdlib tree, so
such a file is lowered: type parameters dropped, `type X = v` as `X: TypeAlias = v`, the
except tuple parenthesised, f- and t-strings blanked, every line kept where it was.

Two ways: `lower_text`, line edits for the common forms (most real files need nothing
else, and it costs no libcst parse); `lower_module`, on the CST, for all of them.
"""

from __future__ import annotations

import re

import libcst as cst

from harness.rules.fields import child_fields, is_node

# `except A, B:` / `except* A, B:` (no `as`: 3.14 wants the parentheses then)
_EXCEPT = re.compile(
    r"^(?P<head>[ \t]*except[ \t]*\*?[ \t]*)(?P<types>[A-Za-z_][\w. \t]*(?:,[ \t]*[A-Za-z_][\w.]*[ \t]*)+)"
    r"(?P<tail>:.*)$"
)
# `type X = v`, `type X[T] = v`
_TYPE_ALIAS = re.compile(
    r"^(?P<indent>[ \t]*)type[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*(?P<rest>[\[=].*)$"
)
# `class X[T]`, `def f[T](`, `async def f[T](`
_GENERIC = re.compile(
    r"^(?P<head>[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+[A-Za-z_]\w*)[ \t]*(?P<rest>\[.*)$"
)


def _bracketed(text: str) -> int:
    """The length of the `[...]` that opens `text` (nested brackets, quotes), -1 if it does
    not close on this line."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def _lower_line(line: str) -> str | None:
    """One line with its newer form rewritten; None if it has one that spans lines."""
    match = _EXCEPT.match(line)
    if match and " as " not in match["types"]:
        return f"{match['head']}({match['types'].rstrip()}){match['tail']}"
    match = _TYPE_ALIAS.match(line)
    if match:
        rest = match["rest"]
        if rest.startswith("["):
            end = _bracketed(rest)
            if end < 0:
                return None
            if not rest[1 : end - 1].strip():
                return line  # `type X[] = v` is no Python's: libcst will say so
            rest = rest[end:].lstrip()
        if not rest.startswith("="):
            return line
        return f"{match['indent']}{match['name']}: TypeAlias {rest}"
    match = _GENERIC.match(line)
    if match:
        end = _bracketed(match["rest"])
        if end < 0:
            return None
        if not match["rest"][1 : end - 1].strip():
            return line  # `class A[]:` is no Python's: libcst will say so
        return match["head"] + match["rest"][end:]
    return line


def lower_text(source: str) -> str | None:
    """`source` with its type parameters, `type` aliases and unparenthesised except tuples
    rewritten line by line; None if one spans lines. Other newer forms stay (the caller's
    stdlib parse then fails, and `lower_module` is the way)."""
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if "except" in line or "type" in line or "[" in line:
            ending = line[len(line.rstrip("\r\n")) :]
            lowered = _lower_line(line[: len(line) - len(ending)])
            if lowered is None:
                return None
            lines[number] = lowered + ending
    return "".join(lines)


_BLANKED = frozenset({"FormattedString", "TemplatedString"})


def _lower(node: cst.CSTNode, module: cst.Module) -> cst.CSTNode:
    """`node` with 3.12-3.14 constructs rewritten as 3.11 ones that keep every line where it
    was: type parameters dropped, `type X = v` as `X: TypeAlias = v`, the except tuple
    parenthesised, f- and t-strings blanked. A walk over the node fields (see fields.py),
    several times cheaper than libcst's transformer; only the paths to changes are rebuilt."""
    name = type(node).__name__
    if name in _BLANKED:
        newlines = module.code_for_node(node).count("\n")
        return cst.SimpleString(f'"""{chr(10) * newlines}"""' if newlines else '""')
    changes: dict[str, object] = {}
    for field in child_fields(type(node)):
        value = getattr(node, field)
        kind = type(value)
        if kind is tuple or kind is list:
            lowered = [_lower(v, module) if is_node(type(v)) else v for v in value]
            if any(new is not old for new, old in zip(lowered, value, strict=True)):
                changes[field] = kind(lowered)
        elif is_node(kind):
            new = _lower(value, module)
            if new is not value:
                changes[field] = new
    if name in ("ClassDef", "FunctionDef") and node.type_parameters is not None:  # type: ignore[attr-defined]
        changes["type_parameters"] = None
    elif name in ("ExceptHandler", "ExceptStarHandler"):
        kind_of = changes.get("type", node.type)  # type: ignore[attr-defined]
        if isinstance(kind_of, cst.Tuple) and not kind_of.lpar:
            changes["type"] = kind_of.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    elif name == "TypeAlias":
        value = changes.get("value", node.value)  # type: ignore[attr-defined]
        annotation = cst.Annotation(cst.Name("TypeAlias"))
        return cst.AnnAssign(target=node.name, annotation=annotation, value=value)  # type: ignore[attr-defined,arg-type]
    return node.with_changes(**changes) if changes else node


def lower_module(module: cst.Module) -> str:
    """The code of `module`, lowered (see `_lower`)."""
    lowered = _lower(module, module)
    assert isinstance(lowered, cst.Module)
    return lowered.code
