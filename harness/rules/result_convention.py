"""Whether a project has a Result convention, for ARCH102.

Raising a domain error breaks a convention only where there is one. A project has one
when its service layer uses it: a service module imports a Result library (`returns`,
`result`, `expression`), imports from a module of the project that defines a
success/failure pair (`Success`/`Failure`, `success()`/`failure()`, `Ok`/`Err`), imports
such a pair itself, or defines one. `Result` alone is no evidence (SQLAlchemy has one, and
so do search schemas), and neither is a Result type kept in a corner of the project that
no service uses. Pure functions over what the `ast` pre-pass records per module.
"""

from __future__ import annotations

import ast

RESULT_LIBRARIES = frozenset({"returns", "result", "expression"})
RESULT_PAIRS = (
    frozenset({"Success", "Failure"}),
    frozenset({"success", "failure"}),
    frozenset({"Ok", "Err"}),
    frozenset({"Ok", "Error"}),
)
RESULT_VOCABULARY = frozenset({"Result"}).union(*RESULT_PAIRS)


def defined_name(stmt: ast.stmt) -> str | None:
    """The name a top-level def, class, single-name assignment or `type` alias binds."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name
    target = None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign):
        target = stmt.target
    elif type(stmt).__name__ == "TypeAlias":  # `type Result = ...` (3.12+)
        target = getattr(stmt, "name", None)
    return target.id if isinstance(target, ast.Name) else None


def is_result_import(module: str, name: str) -> bool:
    """Worth recording: a Result-vocabulary name, or anything from a Result library."""
    return name in RESULT_VOCABULARY or module.split(".")[0] in RESULT_LIBRARIES


def has_pair(names: list[str]) -> bool:
    """Whether the last components of qualified names hold a success/failure pair."""
    leaves = {name.rsplit(".", 1)[-1] for name in names}
    return any(pair <= leaves for pair in RESULT_PAIRS)


def service_uses_convention(
    imported: list[str], defined: list[str], pair_modules: set[str], local_roots: frozenset[str]
) -> bool:
    """Whether one service module (its recorded imports and definitions) uses a Result
    convention, given the project modules known to define a pair."""
    if has_pair(defined):
        return True
    local = []
    for name in imported:
        root, module = name.split(".")[0], name.rpartition(".")[0]
        if root in RESULT_LIBRARIES or module in pair_modules:
            return True
        if root in local_roots:
            local.append(name)
    return has_pair(local)
