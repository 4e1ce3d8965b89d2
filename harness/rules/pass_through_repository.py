"""ARCH402: a repository class whose methods only return one query each."""

from __future__ import annotations

import libcst as cst

from harness.rules._size import is_dunder
from harness.rules.finding import Severity
from harness.rules.names import dotted_name
from harness.rules.rule import Invalid, Rule, Scope, Valid

QUERY_NAMES = frozenset(
    {
        "query", "select", "execute", "scalars", "scalar", "get", "filter", "filter_by",
        "where", "first", "all", "one", "one_or_none", "scalar_one", "scalar_one_or_none",
        "get_one", "order_by", "limit", "offset", "join", "count",
    }
)  # fmt: skip


def is_query_expression(node: cst.BaseExpression | None) -> bool:
    """A (possibly awaited) call chain through one of the query methods above."""
    while isinstance(node, cst.Await):
        node = node.expression
    found = False
    while isinstance(node, (cst.Call, cst.Attribute, cst.Await)):
        if isinstance(node, cst.Await):
            node = node.expression
        elif isinstance(node, cst.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
            found = found or name in QUERY_NAMES
            if isinstance(node.func, cst.Attribute):
                node = node.func.value
            else:
                break
        else:
            found = found or node.attr.value in QUERY_NAMES
            node = node.value
    return found


def _statements(function: cst.FunctionDef) -> list[cst.BaseStatement | cst.BaseSmallStatement]:
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    out: list[cst.BaseStatement | cst.BaseSmallStatement] = []
    for stmt in body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            out.extend(stmt.body)
        else:
            out.append(stmt)
    return out


def is_pass_through(function: cst.FunctionDef) -> bool:
    statements = _statements(function)
    if (
        statements
        and isinstance(statements[0], cst.Expr)
        and isinstance(statements[0].value, (cst.SimpleString, cst.ConcatenatedString))
    ):
        statements = statements[1:]
    return (
        len(statements) == 1
        and isinstance(statements[0], cst.Return)
        and is_query_expression(statements[0].value)
    )


class PassThroughRepository(Rule):
    """## What it does
    Warns about a `*Repository` class whose every method (dunders aside) only returns one
    query expression, such as `return self.db.query(User).filter(User.id == id).first()`.

    ## Why is this bad?
    Such a class adds a layer and a name for each query without adding a reason. The
    prompt keeps repositories for a query used in 3+ places, several data sources, or a
    caching layer; otherwise query with SQLAlchemy where it is needed.

    ## Example
    ```python
    class UserRepository:
        def __init__(self, db):
            self.db = db
        def get(self, user_id):
            return self.db.get(User, user_id)
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH402", "pass-through-repository", Severity.WARNING
    MESSAGE = "Repository only wraps single queries; use SQLAlchemy directly"
    SCOPE = Scope.ANY
    VALID = [
        Valid(
            "class UserRepository:\n    def get(self, i):\n        row = self.cache.get(i)\n"
            "        if row is None:\n            row = self.db.get(User, i)\n        return row\n"
        ),
        Valid("class UserRepository:\n    def __init__(self, db):\n        self.db = db\n"),
        Valid("class UserService:\n    def get(self, i):\n        return self.db.get(User, i)\n"),
    ]
    INVALID = [
        Invalid(
            "class UserRepository:\n    def __init__(self, db):\n        self.db = db\n\n"
            "    def get(self, i):\n        return self.db.query(User).filter(User.id == i).first()\n\n"
            '    async def all(self):\n        """All users."""\n'
            "        return (await self.db.execute(select(User))).scalars().all()\n",
            line=1,
            message="UserRepository",
        ),
        Invalid(
            "class OrderRepository(Base):\n    def one(self, i): return self.s.get(Order, i)\n",
            line=1,
        ),
    ]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not node.name.value.endswith("Repository") or not isinstance(
            node.body, cst.IndentedBlock
        ):
            return
        methods = [
            s
            for s in node.body.body
            if isinstance(s, cst.FunctionDef) and not is_dunder(s.name.value)
        ]
        if methods and all(is_pass_through(m) for m in methods):
            self.report(
                node,
                f"`{node.name.value}` only wraps single queries ({len(methods)} methods); "
                "use SQLAlchemy directly where needed",
            )
