"""Parse a file as the project's Python would: any syntax through 3.14, whatever runs us.

CPython's own parser (`ast`) reads each file first: it is cheap, and it rejects cleanly the
pathological inputs (a 20,000-term expression, 3,000 nested brackets) on which libcst's
native parser overflows its stack and kills the process. What it accepts goes to libcst.
What it rejects may still be valid for a newer Python than the one running the checker
(PEP 695 generics and `type` aliases, PEP 701 f-strings, 3.13 type-parameter defaults, 3.14
`except A, B:` and t-strings). Unless the running interpreter is the newest the checker
knows, the file is lowered (see lowering.py) and CPython judges the lowered form: first
with the common forms rewritten line by line, which needs no libcst; if that is not
enough, libcst's grammar (which follows CPython's through 3.14) judges, in a forked child
with a deadline so that a crash or a hang costs the child and not the checker, and CPython
still judges the nesting of the file lowered on its CST. The stdlib tree of the lowered
form is what the re-export pre-pass and the position shortcuts read.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

import libcst as cst
from libcst import native  # noqa: F401  (imported before any fork: the child must not import)

from harness.rules.finding import Finding, parse_error
from harness.rules.isolated import CRASHED, TIMED_OUT, run_isolated
from harness.rules.lowering import lower_module, lower_text
from harness.rules.versions import NEWEST_PYTHON, RUNNING_PYTHON, SYNTAX_ERROR

CRASHED_MESSAGE = "The checker's parser crashed on this file; it was not checked"
TIMED_OUT_MESSAGE = "The checker's parser took too long on this file"
TOO_DEEP_MESSAGE = "Cannot parse file: expression nested too deeply for Python"
# libcst's parser runs at 500+ KB/s on real code here; a file gets 10x that time and more.
PARSE_SECONDS = 10.0
PARSE_BYTES_PER_SECOND = 20_000
# CPython rejects these in every version (tokenizer limits, encodings, null bytes): no
# newer Python accepts the file, and libcst must not see what exceeds the limits.
_FINAL_ERRORS = (
    "too many nested parentheses",
    "too many levels of indentation",
    "null bytes",
    "(unicode error)",
    "codec can't decode",
    "encoding problem",
)
# A line an older CPython may reject only for its newer syntax (its message then misleads).
_NEWER_LINE = re.compile(
    r"^\s*type\s+\w+\s*[\[=]|^\s*(?:async\s+)?(?:def|class)\s+\w+\s*\["
    r"|^\s*except\s*\*?\s*[^\s(:][^:]*,|\b(?:t|tr|rt)['\"]",
    re.IGNORECASE,
)
_LIBCST_AT = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True)
class Parsed:
    """A file's CST and, when there is one that matches it line for line, its stdlib tree."""

    module: cst.Module
    tree: ast.Module | None


@dataclass(frozen=True)
class _Lowered:
    tree: ast.Module | None
    same_lines: bool


def parse_file(source: bytes, path: str, trusted: bool = False) -> Parsed | Finding:
    """The file's trees, or its ARCH000 finding.

    Args:
        trusted: the pre-pass already parsed this very content safely (CPython accepted
            it, or libcst did in a child that survived), so libcst may read it directly.
    """
    if trusted:
        module = _cst_parse(source, path)
        return module if isinstance(module, Finding) else Parsed(module, None)
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        judged = _judge_newer(source, path, error)
        if isinstance(judged, Finding):
            return judged
        module = _cst_parse(source, path)  # safe: CPython read it lowered, or a child did
        if isinstance(module, Finding):
            return module
        return Parsed(module, judged.tree if judged.same_lines else None)
    except RecursionError:
        return parse_error(path, TOO_DEEP_MESSAGE)
    except MemoryError:
        return parse_error(path, "Cannot parse file: out of memory while parsing")
    except ValueError as error:  # null bytes, and the like
        return parse_error(path, f"Cannot parse file: {error}")
    module = _cst_parse(source, path)
    return module if isinstance(module, Finding) else Parsed(module, tree)


def newer_syntax_tree(source: bytes, error: SyntaxError) -> tuple[bool, ast.Module | None]:
    """For a file the running CPython rejected: whether a newer Python accepts it (so libcst
    may read it directly later), and the stdlib tree of its lowered form (for re-exports)."""
    judged = _judge_newer(source, "", error)
    return (False, None) if isinstance(judged, Finding) else (True, judged.tree)


def _judge_newer(source: bytes, path: str, error: SyntaxError) -> _Lowered | Finding:
    """The lowered stdlib tree of a file a newer Python accepts, else its ARCH000 finding:
    CPython's verdict on the file lowered line by line; else libcst's, from a child, then
    CPython's on the file lowered on its CST (it still rejects pathological nesting)."""
    rejected = parse_error(
        path, f"{SYNTAX_ERROR}: {error.msg}", error.lineno or 1, error.offset or 1
    )
    if RUNNING_PYTHON >= NEWEST_PYTHON or any(m in error.msg for m in _FINAL_ERRORS):
        return rejected
    by_lines = _by_lines(source, path)
    if by_lines is not None:
        return by_lines
    budget = PARSE_SECONDS + len(source) / PARSE_BYTES_PER_SECOND
    lowered = run_isolated(_lowered_code, source, budget)
    if lowered is CRASHED:
        return parse_error(path, CRASHED_MESSAGE)
    if lowered is TIMED_OUT:
        return parse_error(path, f"{TIMED_OUT_MESSAGE} (over {budget:.0f} s); it was not checked")
    if isinstance(lowered, Finding) and lowered.message == TOO_DEEP_MESSAGE:
        return replace(lowered, path=path)
    if isinstance(lowered, Finding):
        lines = source.decode("utf-8", "replace").splitlines()
        line = lines[rejected.line - 1] if 0 < rejected.line <= len(lines) else ""
        # CPython's message is the better one, unless it is about syntax it is too old for
        newer = _NEWER_LINE.search(line) or error.msg.startswith("f-string")
        return replace(lowered, path=path) if newer else rejected
    assert isinstance(lowered, str)
    same_lines = bool(lowered) and lowered.count("\n") == source.count(b"\n")
    try:
        return _Lowered(ast.parse(lowered) if lowered else None, same_lines)
    except SyntaxError as lowered_error:
        if any(m in lowered_error.msg for m in _FINAL_ERRORS):
            line, column = lowered_error.lineno or 1, lowered_error.offset or 1
            return parse_error(path, f"{SYNTAX_ERROR}: {lowered_error.msg}", line, column)
        return _Lowered(None, False)  # a lowering gap, not the file's fault
    except (RecursionError, MemoryError):
        return parse_error(path, TOO_DEEP_MESSAGE)


def _by_lines(source: bytes, path: str) -> _Lowered | Finding | None:
    """CPython's verdict on the file with its common newer forms rewritten line by line
    (most real files need nothing more; no libcst parse then). None: ask libcst."""
    try:
        lowered = lower_text(source.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None
    if lowered is None:
        return None
    try:
        return _Lowered(ast.parse(lowered), same_lines=True)
    except SyntaxError as error:
        if any(m in error.msg for m in _FINAL_ERRORS):
            line, column = error.lineno or 1, error.offset or 1
            return parse_error(path, f"{SYNTAX_ERROR}: {error.msg}", line, column)
        return None
    except (RecursionError, MemoryError):
        return parse_error(path, TOO_DEEP_MESSAGE)


def _lowered_code(source: bytes) -> str | Finding:
    """(In the child.) The file lowered to 3.11 syntax ("" if the lowering failed), or
    libcst's syntax error."""
    module = _cst_parse(source, "")
    if isinstance(module, Finding):
        return module
    try:
        return lower_module(module)
    except RecursionError:  # the rules, which walk the tree the same way, could not either
        return parse_error("", TOO_DEEP_MESSAGE)
    except Exception:  # a construct the lowering does not know: no stdlib tree then
        return ""


def _skip_validation(self: cst.CSTNode) -> None:
    """Parsed trees are valid by construction (libcst's own PERF note in CSTNode)."""


def _cst_parse(source: bytes, path: str) -> cst.Module | Finding:
    validate = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _skip_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        text = str(exc.message).strip().removeprefix("parser error:").strip()
        first = text.splitlines()[0] if text else "invalid syntax"
        where = _LIBCST_AT.search(first)
        line, column = (int(where[1]), int(where[2]) + 1) if where else (exc.raw_line, 1)
        message = _LIBCST_AT.sub("", first).strip(" :") or "invalid syntax"
        return parse_error(path, f"{SYNTAX_ERROR}: {message}", max(line, 1), column)
    except (UnicodeDecodeError, LookupError) as exc:
        return parse_error(path, f"Cannot decode file: {exc}")
    except RecursionError:
        return parse_error(path, "Cannot parse file: nesting too deep")
    except Exception as exc:  # libcst raises bare Exception for some native parser errors
        return parse_error(path, f"Cannot parse file: {type(exc).__name__}: {exc}")
    finally:
        cst.CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def stdlib_tree(source: str, module: cst.Module) -> ast.Module | None:
    """The stdlib tree of a file libcst parsed, line for line: its own or its lowered form's."""
    tree = _stdlib_parse(source)
    if tree is not None or RUNNING_PYTHON >= NEWEST_PYTHON:
        return tree
    by_lines = lower_text(source)
    tree = _stdlib_parse(by_lines) if by_lines is not None else None
    if tree is not None:
        return tree
    try:
        code = lower_module(module)
    except Exception:  # a construct the lowering does not know: positions via libcst
        return None
    if code.count("\n") != module.code.count("\n"):
        return None  # type parameters over several lines: no tree rather than a wrong one
    return _stdlib_parse(code)


def _stdlib_parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
