"""ARCH602: raw SQL text passed to text() or execute()."""

from __future__ import annotations

import re

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Scope, Valid

TEXT_FUNCTIONS = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executemany"})
SQL_PATTERN = re.compile(
    r"^\s*\(?\s*(?:"
    r"SELECT\s+[\w*(\"'`]|INSERT\s+(?:OR\s+\w+\s+)?INTO\s|UPDATE\s+[\w\"`.]+\s+SET\s"
    r"|DELETE\s+FROM\s|CREATE\s+(?:OR\s+REPLACE\s+|UNIQUE\s+|TEMP(?:ORARY)?\s+)?"
    r"(?:TABLE|INDEX|VIEW|SCHEMA|EXTENSION|TYPE|SEQUENCE|FUNCTION|TRIGGER)\s"
    r"|ALTER\s+(?:TABLE|INDEX|SEQUENCE|TYPE)\s|DROP\s+(?:TABLE|INDEX|VIEW|SCHEMA|TYPE|SEQUENCE)\s"
    r"|TRUNCATE\s|WITH\s+(?:RECURSIVE\s+)?\w+\s+AS\s*\(|MERGE\s+INTO\s|REPLACE\s+INTO\s"
    r"|PRAGMA\s|VACUUM\b|LOCK\s+TABLE\s|SET\s+(?:LOCAL\s+|SESSION\s+)?\w+\s*(?:=|TO)\s"
    r")",
    re.IGNORECASE | re.DOTALL,
)


def literal_text(node: cst.BaseExpression) -> str | None:
    """The text of a string literal (f-string placeholders become `?`), else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_text(node.left), literal_text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.FormattedString):
        return "".join(
            part.value if isinstance(part, cst.FormattedStringText) else "?" for part in node.parts
        )
    return None


def is_sql(text: str) -> bool:
    return SQL_PATTERN.match(text) is not None


class RawSql(Rule):
    """## What it does
    Reports a string or f-string literal that is SQL (`SELECT ...`, `INSERT INTO`,
    `UPDATE ... SET`, `DELETE FROM`, DDL, ...) passed to `text()` or to an `.execute()`,
    `.exec_driver_sql()` or `.executemany()` call, directly or through a name the file
    assigns the literal to. Migrations are excluded by default.

    ## Why is this bad?
    The prompt forbids direct SQL: string SQL bypasses the ORM's types and relationships,
    is not checked until it runs, and an f-string is one step from SQL injection.

    ## Example
    ```python
    await db.execute(text(f"SELECT * FROM users WHERE email = '{email}'"))
    ```

    Use instead:
    ```python
    await db.execute(select(User).where(User.email == email))
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH602", "raw-sql", Severity.ERROR
    MESSAGE = "Raw SQL; use SQLAlchemy expressions"
    SCOPE = Scope.ANY
    VALID = [
        Valid(
            "from sqlalchemy import select\n\nasync def f(db):\n    await db.execute(select(User))\n"
        ),
        Valid("def f(log):\n    log.info('SELECT a plan')\n    run.execute('deploy now')\n"),
        Valid(
            "from sqlalchemy import select\n\nasync def health(db):\n    await db.execute(select(1))\n"
        ),
        Valid("def text(x):\n    return x\n\ndef f():\n    return text('SELECT 1')\n"),
    ]
    INVALID = [
        Invalid(
            "from sqlalchemy import text\n\nasync def f(db, e):\n"
            "    await db.execute(text(f\"SELECT * FROM users WHERE email = '{e}'\"))\n",
            line=4,
            message="text()",
        ),
        Invalid(
            "def f(cursor):\n    cursor.execute('DELETE FROM orders WHERE id = %s', (1,))\n", line=2
        ),
        Invalid(
            "import sqlalchemy as sa\n\ndef f(c):\n    c.execute(sa.text('update users set x = 1'))\n",
            line=4,
        ),
        Invalid(
            "QUERY = '''\n  SELECT id\n  FROM users\n'''\n\ndef f(conn):\n    conn.exec_driver_sql(QUERY)\n",
            line=7,
        ),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._sql_names: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        text = literal_text(node.value)
        if text is not None and is_sql(text):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._sql_names.add(target.target.value)

    def _sql_argument(self, node: cst.Call) -> cst.BaseExpression | None:
        if not node.args or node.args[0].keyword is not None:
            return None
        arg = node.args[0].value
        text = literal_text(arg)
        if text is not None:
            return arg if is_sql(text) else None
        if isinstance(arg, cst.Name) and arg.value in self._sql_names:
            return arg
        return None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in EXECUTE_METHODS:
            where = f"`.{func.attr.value}()`"
        elif self.ctx.qualified_name(func) in TEXT_FUNCTIONS:
            where = "`text()`"
        else:
            return
        arg = self._sql_argument(node)
        if arg is not None:
            self.report(
                arg,
                f"Raw SQL passed to {where}; use SQLAlchemy expressions (select(), insert(), ...)",
            )
