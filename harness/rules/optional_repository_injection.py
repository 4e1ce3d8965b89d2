"""ARCH401: a repository injected as an optional parameter defaulting to None."""

from __future__ import annotations

import re

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.names import dotted_name
from harness.rules.rule import Invalid, Rule, Scope, Valid

REPOSITORY_SUFFIX = "Repository"
_STRING_OPTIONAL = re.compile(
    r"^\s*(?:(?:typing\.)?Optional\[\s*[\w.]*Repository\s*\]"
    r"|[\w.]*Repository\s*\|\s*None|None\s*\|\s*[\w.]*Repository"
    r"|(?:typing\.)?Union\[\s*(?:[\w.]*Repository\s*,\s*None|None\s*,\s*[\w.]*Repository)\s*\])\s*$"
)


def _is_repository(node: cst.BaseExpression) -> bool:
    name = dotted_name(node)
    return bool(name) and name.rsplit(".", 1)[-1].endswith(REPOSITORY_SUFFIX)  # type: ignore[union-attr]


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def is_optional_repository(annotation: cst.BaseExpression) -> bool:
    """`Optional[XRepository]`, `Union[XRepository, None]`, `XRepository | None`, or as a string."""
    if isinstance(annotation, cst.SimpleString):
        return _STRING_OPTIONAL.match(annotation.evaluated_value or "") is not None  # type: ignore[arg-type]
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        left, right = annotation.left, annotation.right
        return (_is_repository(left) and _is_none(right)) or (
            _is_none(left) and _is_repository(right)
        )
    if isinstance(annotation, cst.Subscript):
        kind = (dotted_name(annotation.value) or "").rsplit(".", 1)[-1]
        items = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
        if kind == "Optional" and len(items) == 1:
            return _is_repository(items[0])
        if kind == "Union" and len(items) == 2:
            return any(_is_none(i) for i in items) and any(_is_repository(i) for i in items)
    return False


class OptionalRepositoryInjection(Rule):
    """## What it does
    Reports a parameter typed `Optional[XRepository]` or `XRepository | None` (or the
    `Union` spelling, or as a string annotation) with a default of `None`, at the parameter.

    ## Why is this bad?
    The pattern `user_repo: Optional[UserRepository] = None` followed by
    `if user_repo is None: user_repo = UserRepository(db)` is the over-engineering the
    agent's prompt calls out: indirection that no caller uses. Query with SQLAlchemy
    directly, or inject the dependency for real.

    ## Example
    ```python
    async def create_order(db: Session, user_repo: Optional[UserRepository] = None): ...
    ```

    Use instead:
    ```python
    async def create_order(db: Session, data: OrderCreate): ...
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH401", "optional-repository-injection", Severity.ERROR
    MESSAGE = "Optional repository parameter defaulting to None; query directly or inject it"
    SCOPE = Scope.ANY
    VALID = [
        Valid("def f(db, repo: UserRepository):\n    pass\n"),
        Valid("def f(db, repo: Optional[UserRepository] = default_repo):\n    pass\n"),
        Valid("def f(db, user: Optional[User] = None):\n    pass\n"),
    ]
    INVALID = [
        Invalid(
            "from typing import Optional\n\nasync def create_order(\n    db,\n"
            "    user_repo: Optional[UserRepository] = None,\n):\n    pass\n",
            line=5,
            message="user_repo",
        ),
        Invalid("def f(db, repo: UserRepository | None = None):\n    pass\n", line=1),
        Invalid("def f(db, repo: None | repos.OrderRepository = None):\n    pass\n", line=1),
        Invalid("def f(db, repo: 'Optional[UserRepository]' = None):\n    pass\n", line=1),
        Invalid(
            "class S:\n    def __init__(self, r: typing.Union[UserRepository, None] = None):\n        pass\n",
            line=2,
        ),
    ]

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is None or node.default is None or not _is_none(node.default):
            return
        if is_optional_repository(node.annotation.annotation):
            self.report(
                node,
                f"Parameter `{node.name.value}` is an optional repository defaulting to None; "
                "query with SQLAlchemy directly or inject it",
            )
