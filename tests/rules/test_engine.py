"""The engine never crashes on a file: bad input becomes an ARCH000 finding."""

from __future__ import annotations

import sys

import libcst as cst
import pytest

from harness.rules import Rule, Scope, Severity, all_rules
from harness.rules.context import FileInfo
from harness.rules.engine import check_module, check_source, module_name_for

RULES = all_rules()
INFO = FileInfo(path="app/services/x.py", module_name="app.services.x", is_service=True)


def test_empty_file() -> None:
    assert check_module(b"", INFO, RULES) == []


def test_syntax_error_is_located_like_an_editor() -> None:
    [finding] = check_module(b"x = 1\ndef login(self credentials):\n    pass\n", INFO, RULES)
    assert (finding.code, finding.line, finding.severity) == ("ARCH000", 2, Severity.ERROR)
    assert finding.message.startswith("Syntax error")


DEFAULT_RECURSION_LIMIT = 1000


def test_non_utf8_file() -> None:
    [finding] = check_module(b"name = '\xff\xfe caf\xe9'\n", INFO, RULES)
    assert finding.code == "ARCH000"


def test_latin1_with_coding_cookie_is_fine() -> None:
    source = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    assert check_module(source, INFO, RULES) == []


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 3000 + "1" + ")" * 3000,  # libcst's native parser overflows its stack on these,
        "+".join(["1"] * 30000),  # killing the process: CPython's parser must reject them first
        "a." * 30000 + "b",
        "not " * 5000 + "y",
    ],
    ids=["parens", "binop-chain", "attribute-chain", "unary-chain"],
)
def test_pathological_nesting_is_a_finding_not_a_crash(expression: str) -> None:
    # Whether CPython accepts 5,000 nested `not`s depends on the interpreter's recursion
    # limit, which other code in the test process may raise (a plugin sets 3000): pin the
    # default so the expectation is the same in every order the suite runs.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)
    try:
        [finding] = check_module(f"x = {expression}\n".encode(), INFO, RULES)
    finally:
        sys.setrecursionlimit(limit)
    assert finding.code == "ARCH000"


def test_null_bytes() -> None:
    [finding] = check_module(b"x = 1\x00\n", INFO, RULES)
    assert finding.code == "ARCH000"


def test_big_file_positions_are_exact() -> None:
    body = "".join(f"value_{i} = {i}\n" for i in range(20000))
    source = f"{body}def f():\n    LIMIT = 1\n".encode()
    [finding] = check_module(source, FileInfo(path="big.py"), RULES)
    assert (finding.code, finding.line, finding.column) == ("ARCH301", 20002, 5)


def test_positions_with_semicolons_decorators_and_comments() -> None:
    source = (
        b"import os; import sys\n# a comment\n\n@decorator\n@other(\n    1,\n)\n"
        b"class S:\n    def f(self):\n        x = 1; LIMIT = 2\n"
    )
    [finding] = check_module(source, FileInfo(path="m.py"), RULES)
    assert (finding.line, finding.column) == (10, 16)


def test_module_name_for() -> None:
    assert module_name_for("app/services/x.py") == ("app.services.x", False)
    assert module_name_for("app/services/__init__.py") == ("app.services", True)


class _Boom(Rule):
    CODE, SLUG, SEVERITY, MESSAGE = "ARCH999", "boom", Severity.ERROR, "boom"
    SCOPE = Scope.ANY

    def visit_Name(self, node: cst.Name) -> None:
        raise RuntimeError("rule bug")


def test_walk_reports_scopes_to_rules() -> None:
    seen: list[tuple[str, bool]] = []

    class Probe(Rule):
        CODE, SLUG, SEVERITY, MESSAGE = "ARCH998", "probe", Severity.ERROR, "probe"
        SCOPE = Scope.ANY

        def visit_Call(self, node: cst.Call) -> None:
            seen.append((cst.Module([]).code_for_node(node.func), self.ctx.in_async_function()))

    check_source(
        "async def a():\n    x()\n    def b():\n        y()\n    lambda: z()\n",
        "m.py",
        [Probe],
    )
    assert seen == [("x", True), ("y", False), ("z", False)]


def test_a_crashing_rule_is_contained_by_the_worker() -> None:
    import harness.checker.workers as workers
    from harness.checker.discover import SourceFile
    from harness.checker.workers import check_batch
    from harness.rules.context import Thresholds
    from harness.rules.layers import Layers
    from harness.rules.project import ProjectIndex

    source = SourceFile("/x/m.py", "m.py", "m.py", "m", False)
    original = workers.all_rules
    workers.all_rules = lambda: (_Boom,)  # type: ignore[assignment]
    try:
        [(path, findings, _)] = check_batch(
            ((["ARCH999"], Thresholds(), Layers(), ProjectIndex()), [(source, b"x = 1\n", True)])
        )
    finally:
        workers.all_rules = original  # type: ignore[assignment]
    assert path == "/x/m.py"
    assert [f.code for f in findings] == ["ARCH000"]
    assert "rule bug" in findings[0].message
