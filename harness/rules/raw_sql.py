"""ARCH602: raw SQL text passed to text() or execute(), above all SQL built by interpolation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Scope, Valid

TEXT_FUNCTIONS = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executemany"})
SQL_PATTERN = re.compile(
    r"^\s*\(?\s*(?:"
    r"SELECT\s+[\w*(\"'`@?%:$]|INSERT\s+(?:OR\s+\w+\s+)?INTO\s|UPDATE\s+[\w\"`.?]+\s+SET\s"
    r"|DELETE\s+FROM\s|CREATE\s+(?:OR\s+REPLACE\s+|UNIQUE\s+|TEMP(?:ORARY)?\s+)?"
    r"(?:TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|SCHEMA|EXTENSION|TYPE|SEQUENCE|FUNCTION"
    r"|TRIGGER|DATABASE|ROLE|USER)\s"
    r"|ALTER\s+(?:TABLE|INDEX|SEQUENCE|TYPE|VIEW|SCHEMA|DATABASE|ROLE|USER)\s"
    r"|DROP\s+(?:TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|SCHEMA|TYPE|SEQUENCE|FUNCTION|TRIGGER"
    r"|EXTENSION|DATABASE|ROLE|USER)\s"
    r"|TRUNCATE\s|WITH\s+(?:RECURSIVE\s+)?\w+\s+AS\s*\(|MERGE\s+INTO\s|REPLACE\s+INTO\s"
    r"|PRAGMA\s|VACUUM\b|LOCK\s+TABLE\s"
    r"|SET\s+(?:LOCAL\s+|SESSION\s+)?(?:(?:TIME\s+ZONE|TRANSACTION|ROLE|SCHEMA|NAMES)\s"
    r"|[\w.\"@]+\s*(?:=|TO\s)))",
    re.IGNORECASE | re.DOTALL,
)
# Constant statements that read no table: session settings and liveness checks or server
# functions (`SELECT 1`, `SELECT pg_advisory_xact_lock(:key)`). The ORM has nothing to add.
SETTING = re.compile(r"^\s*\(?\s*(?:SET|PRAGMA)\s", re.IGNORECASE)
TABLE_CLAUSE = re.compile(r"\b(?:FROM|INTO|JOIN)\b", re.IGNORECASE)
SELECT = re.compile(r"^\s*\(?\s*SELECT\s", re.IGNORECASE)
PLACEHOLDER = "?"


@dataclass(frozen=True)
class SqlText:
    """A string expression's text (interpolated pieces as `?`) and how values got in."""

    text: str
    interpolation: str | None = None


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
            part.value if isinstance(part, cst.FormattedStringText) else PLACEHOLDER
            for part in node.parts
        )
    return None


def _has_placeholder(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.FormattedString):
        return any(isinstance(p, cst.FormattedStringExpression) for p in node.parts)
    if isinstance(node, cst.ConcatenatedString):
        return _has_placeholder(node.left) or _has_placeholder(node.right)
    return False


def _joined(left: SqlText | None, right: SqlText | None) -> SqlText:
    how = (left.interpolation if left else "concatenation") or (
        right.interpolation if right else "concatenation"
    )
    text = (left.text if left else PLACEHOLDER) + (right.text if right else PLACEHOLDER)
    return SqlText(text, how)


def string_value(node: cst.BaseExpression, names: dict[str, SqlText]) -> SqlText | None:
    """What a string expression holds: a literal, an f-string, `%`, `.format()`, `+` of
    string pieces, or a name this file assigned one of those to; None if not a string."""
    text = literal_text(node)
    if text is not None:
        return SqlText(text, "an f-string" if _has_placeholder(node) else None)
    if isinstance(node, cst.Name):
        return names.get(node.value)
    if isinstance(node, cst.BinaryOperation):
        left = string_value(node.left, names)
        if isinstance(node.operator, cst.Modulo):
            return SqlText(left.text, "% formatting") if left else None
        if isinstance(node.operator, cst.Add):
            right = string_value(node.right, names)
            if left is None and right is None:
                return None
            if left and right and not (left.interpolation or right.interpolation):
                return SqlText(left.text + right.text)
            return _joined(left, right)
        return None
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    ):
        template = string_value(node.func.value, names)
        return SqlText(template.text, "`.format()`") if template else None
    return None


def is_sql(text: str) -> bool:
    return SQL_PATTERN.match(text) is not None


def reads_no_table(text: str) -> bool:
    """A session setting, or a SELECT of values and functions with no table clause."""
    if SETTING.match(text):
        return True
    return SELECT.match(text) is not None and TABLE_CLAUSE.search(text) is None


class RawSql(Rule):
    """## What it does
    Reports SQL text passed to `text()` or to an `.execute()`, `.exec_driver_sql()` or
    `.executemany()` call, directly or through a name the file assigns it to:

    - SQL built by interpolation, an f-string with placeholders, `%` formatting,
      `.format()` or `+` with a non-literal, in every statement kind, session settings
      included (`f"SET LOCAL statement_timeout = {ms}"`): the injection risk the rule
      exists for;
    - constant SQL that reads or writes tables (`SELECT ... FROM`, `INSERT INTO`,
      `UPDATE ... SET`, `DELETE FROM`, DDL, ...), which the ORM should express.

    Constant statements that read no table are allowed: liveness checks (`SELECT 1`),
    server functions and advisory locks (`SELECT pg_advisory_xact_lock(:key)`) and session
    settings (`SET LOCAL lock_timeout = '5s'`, `PRAGMA foreign_keys = ON`); bound
    parameters (`:name`, `%s`) are not interpolation. Migrations are excluded by default.

    ## Why is this bad?
    The prompt forbids direct SQL: string SQL bypasses the ORM's types and relationships
    and is not checked until it runs, and SQL with values pasted in is an injection risk.

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
        # constant statements that read no table: liveness checks, locks, settings
        Valid(
            "from sqlalchemy import text\n\ndef ping(db, key):\n"
            "    db.execute(text('SELECT 1'))\n    db.execute(text('select 1 as is_alive;'))\n"
            "    db.execute(text('SELECT pg_advisory_xact_lock(:key)'), {'key': key})\n"
            "    db.execute(text(\"SET LOCAL lock_timeout = '5s'\"))\n"
            "    db.execute(text('SET LOCK_TIMEOUT TO :t'), {'t': 5})\n"
            "    cursor.execute('PRAGMA foreign_keys=ON')\n"
        ),
        # an f-string that is not SQL, and a log line built with one
        Valid(
            "def f(db, name):\n    db.execute(f'deploy {name}')\n    log.info(f'SELECT {name}')\n"
        ),
    ]
    INVALID = [
        Invalid(
            "from sqlalchemy import text\n\nasync def f(db, e):\n"
            "    await db.execute(text(f\"SELECT * FROM users WHERE email = '{e}'\"))\n",
            line=4,
            message="an f-string passed to `text()`",
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
        # interpolated settings: the injection risk, whatever the statement
        Invalid(
            "from sqlalchemy import text\n\ndef f(db, tz):\n"
            "    db.execute(text(f\"SET LOCAL TIME ZONE '{tz}'\"))\n",
            line=4,
            message="f-string",
        ),
        Invalid(
            "from sqlalchemy import text\n\ndef f(db, value):\n"
            "    db.execute(text(f'set pg_trgm.word_similarity_threshold = {value}'))\n",
            line=4,
        ),
        Invalid(
            "def f(db, n):\n    db.execute('SELECT * FROM orders WHERE id = %d' % n)\n",
            line=2,
            message="% formatting",
        ),
        Invalid(
            "from sqlalchemy import text\n\ndef f(db, table):\n"
            "    sql = 'SELECT count(*) FROM {}'.format(table)\n    db.execute(text(sql))\n",
            line=5,
            message="`.format()`",
        ),
        Invalid(
            "def f(db, user_id):\n    sql = 'SELECT * FROM users WHERE id = '\n"
            "    sql += str(user_id)\n    db.execute(sql)\n",
            line=4,
            message="concatenation",
        ),
        Invalid(
            "def f(db, schema):\n    db.execute('SET search_path TO ' + schema)\n",
            line=2,
            message="concatenation",
        ),
        # a liveness check that reads a table is a query
        Invalid(
            "from sqlalchemy import text\n\ndef f(db):\n    db.execute(text('SELECT 1 FROM users'))\n",
            line=4,
        ),
    ]

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._strings: dict[str, SqlText] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        value = string_value(node.value, self._strings)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if value is None:
                    self._strings.pop(target.target.value, None)
                else:
                    self._strings[target.target.value] = value

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        target = node.target
        if not isinstance(target, cst.Name) or target.value not in self._strings:
            return
        if not isinstance(node.operator, cst.AddAssign):
            self._strings.pop(target.value)
            return
        left = self._strings[target.value]
        right = string_value(node.value, self._strings)
        if right is not None and not (left.interpolation or right.interpolation):
            self._strings[target.value] = SqlText(left.text + right.text)
        else:
            self._strings[target.value] = _joined(left, right)

    def _verdict(self, node: cst.Call) -> tuple[cst.BaseExpression, SqlText] | None:
        if not node.args or node.args[0].keyword is not None:
            return None
        arg = node.args[0].value
        value = string_value(arg, self._strings)
        if value is None or not is_sql(value.text):
            return None
        if value.interpolation is None and reads_no_table(value.text):
            return None
        return arg, value

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in EXECUTE_METHODS:
            where = f"`.{func.attr.value}()`"
        elif self.ctx.qualified_name(func) in TEXT_FUNCTIONS:
            where = "`text()`"
        else:
            return
        verdict = self._verdict(node)
        if verdict is None:
            return
        arg, value = verdict
        if value.interpolation:
            message = (
                f"SQL built with {value.interpolation} passed to {where}: values pasted into "
                "SQL are an injection risk; bind parameters and use SQLAlchemy expressions"
            )
        else:
            message = (
                f"Raw SQL passed to {where}; use SQLAlchemy expressions (select(), insert(), ...)"
            )
        self.report(arg, message)
