"""Rule hints in what a model sees: the benchmark measures the agent prompt, so nothing else
may state or hint at the architecture rules.

Prose is scanned: TASK.md, Markdown files, and the comments and docstrings of Python files
(the code itself may follow any convention: that is what a starter is for). Each pattern is
a way of stating a rule; a hit names the file, the line and the hint.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROSE_SUFFIXES = (".md", ".txt", ".rst")
# (what it hints at, pattern); matched case-insensitively against one line of prose.
HINTS: tuple[tuple[str, str], ...] = (
    ("return a Result", r"\breturns?\s+(an?\s+|only\s+)?`?(result|success|failure)\b"),
    ("success()/failure()", r"\b(success|failure)\(\)?"),
    ("Result type or pattern", r"\bresult (type|pattern|object|value)s?\b"),
    ("HTTPException", r"\bhttp ?exception"),
    ("raising or not raising", r"\b(never|not|don't|do not|must not|should not|avoid\w*) rais"),
    ("module-level constants", r"\bmodule[- ]level\b|\bupper_case\b"),
    ("framework-agnostic", r"\bframework[- ]?(agnostic|free|independent)\b"),
    ("imports to avoid", r"\b(never|not|don't|do not|must not|should not|avoid\w*) import"),
    ("no fastapi in services", r"\b(without|no) (fastapi|starlette)\b"),
    ("repository advice", r"\b(no|avoid\w*|don't|do not|never|needless|unnecessary|pass-through)\b\W+(\w+\W+){0,3}repositor"),
    ("raw-SQL advice", r"\braw sql\b|\bsql strings?\b|\b(use|with) (the )?orm\b|\bselect\(\) and\b"),
    ("blocking-call advice", r"\bblocking\b|\bnon-blocking\b|\bevent loop\b"),
    ("layering", r"\b(api|service|http) layer\b|\blayering\b|\bseparation of concerns\b"),
    ("domain errors", r"\bdomain[- ]errors?\b"),
    ("god services", r"\bgod[- ](service|class|object)\b|\bsingle[- ]purpose\b|\bsmall services\b"),
    ("house style", r"\bhouse[- ]style\b|\bconventions?\b"),
    ("out-of-scope work", r"\b(no|don't|do not|never|without) (new )?(migrations?|tests)\b|\bfixed contract\b|\b(models?|migrations?|schema|tables?|columns?)\b[^.\n]{0,60}\b(must|should|may) not\b"),
    ("the checker", r"\bharness\b|\barch\d{3}\b"),
)  # fmt: skip
COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in HINTS)


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    hint: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: hints at {self.hint}: {self.text.strip()[:160]}"


def python_prose(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python source."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        pass
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                value = body[0].value.value
                if isinstance(value, str):
                    for offset, line in enumerate(value.splitlines()):
                        yield body[0].lineno + offset, line


def prose(path: Path, text: str) -> Iterator[tuple[int, str]]:
    if path.suffix == ".py":
        yield from python_prose(text)
    elif path.suffix in PROSE_SUFFIXES or path.name == "TASK.md":
        yield from enumerate(text.splitlines(), start=1)


def scan_text(relative: str, text: str) -> list[Leak]:
    leaks = []
    for line, content in prose(Path(relative), text):
        for name, pattern in COMPILED:
            if pattern.search(content):
                leaks.append(Leak(relative, line, name, content))
    return leaks


def scan_workspace(root: Path) -> list[Leak]:
    """Every rule hint in the prose of a rendered workspace, in path order."""
    leaks = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        leaks.extend(scan_text(path.relative_to(root).as_posix(), text))
    return leaks
