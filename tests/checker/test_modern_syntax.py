"""Python 3.12-3.14 syntax is checked, not reported as ARCH000, whatever Python runs us.

The tree tests/data/rules/modern_syntax is a small FastAPI-style project in that syntax;
test_fixture_trees.py compares its findings with its `# error:` markers, and the tests
here add what a marker cannot say: no ARCH000 anywhere, the tree really is newer than the
running Python, one snippet per form with a violation inside it, exact positions, and the
pathological inputs that libcst's native parser cannot survive.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import sys
import time
from pathlib import Path

import libcst
import pytest

from harness.cli.app import main
from harness.rules import all_rules
from harness.rules import parsing as parsing_module
from harness.rules.context import FileInfo
from harness.rules.engine import check_module
from harness.rules.isolated import CRASHED, TIMED_OUT, run_isolated
from harness.rules.lowering import lower_text
from harness.rules.parsing import stdlib_tree
from harness.rules.project import extract_exports
from tests.conftest import DATA, write_tree

TREE = DATA / "rules" / "modern_syntax"
RULES = all_rules()
SERVICE = FileInfo(path="app/services/x.py", module_name="app.services.x", is_service=True)
OLDER_PYTHON = sys.version_info < (3, 14)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_the_tree_is_checked_with_no_arch000(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if OLDER_PYTHON:  # the tree must exercise the newer-syntax path on this interpreter
        rejected = []
        for path in TREE.rglob("*.py"):
            try:
                ast.parse(path.read_bytes())
            except SyntaxError:
                rejected.append(path.name)
        assert len(rejected) >= 4, rejected
    monkeypatch.chdir(TREE)
    code, data, err = run(capsys, "check", ".", "--no-cache", "--format", "json")
    codes = [f["code"] for f in data["findings"]]
    assert code == 1 and err == "" and data["files_checked"] == 10
    assert "ARCH000" not in codes
    assert sorted(set(codes)) == ["ARCH101", "ARCH401", "ARCH501", "ARCH502", "ARCH601"]


# One snippet per form, each with a violation placed after (or inside) the new syntax.
FORMS = {
    "pep695-class": ("class Repo[T: int, *Ts, **P]:\n    pass\n", ""),
    "pep695-function": ("def first[T](xs: list[T]) -> T:\n    return xs[0]\n", ""),
    "pep695-type-alias": ("type Pair[T] = tuple[T, T]\n", ""),
    "pep696-default": ("class Page[T = dict[str, int]]:\n    pass\n", ""),
    "pep701-quotes": ('names = [\'a\']\nlabel = f"{", ".join(names)}"\n', ""),
    "pep701-backslash": ("label = f\"{'\\n'.join(['a', 'b'])}\"\n", ""),
    "pep701-multiline": ('label = f"{\n    1  # a comment\n    + 2\n}"\n', ""),
    "pep758-except": ("try:\n    pass\nexcept KeyError, ValueError:\n    pass\n", ""),
    "pep758-except-star": ("try:\n    pass\nexcept* KeyError, ValueError:\n    pass\n", ""),
    "pep750-t-string": ("name = 'x'\ngreeting = t'hello {name!r:>{10}}'\n", ""),
}
VIOLATION = "import time\n\n\nasync def poll():\n    time.sleep(1)\n"


@pytest.mark.parametrize("form", list(FORMS), ids=list(FORMS))
def test_each_form_is_checked_and_positions_stay_exact(form: str) -> None:
    prefix, _ = FORMS[form]
    source = prefix + VIOLATION
    [finding] = check_module(source.encode(), SERVICE, RULES)
    line = prefix.count("\n") + 5
    assert (finding.code, finding.line, finding.column) == ("ARCH601", line, 5)


def test_the_lowered_tree_keeps_every_line() -> None:
    """Positions and spans are read from the stdlib tree: it must match line for line."""
    source = (
        'label = f"{\n    1\n}"\n'
        "type X[T = int] = list[T]\n"
        "try:\n    pass\nexcept A, B:\n    pass\n"
        'class C[T]:\n    greeting = t"""\n{T}\n"""\n'
    )
    tree = stdlib_tree(source, libcst.parse_module(source))
    assert tree is not None
    assert [(s.lineno, s.end_lineno) for s in tree.body] == [(1, 3), (4, 4), (5, 8), (9, 12)]
    # type parameters over several lines cannot keep them: no tree rather than a wrong one
    several = "class C[\n    T,\n]:\n    pass\n"
    assert stdlib_tree(several, libcst.parse_module(several)) is None or not OLDER_PYTHON


@pytest.mark.parametrize(
    ("line", "lowered"),
    [
        ("except KeyError, ValueError:  # both", "except (KeyError, ValueError):  # both"),
        ("    except* a.B, C:", "    except* (a.B, C):"),
        ("except (KeyError, ValueError) as e:", "except (KeyError, ValueError) as e:"),
        ("type Rows[T: (int, str) = int] = list[T]", "Rows: TypeAlias = list[T]"),
        ("type = 1", "type = 1"),
        ("class Box[T: dict[str, 'A]']](Base):", "class Box(Base):"),
        ("    async def get[K, **P](self) -> K:", "    async def get(self) -> K:"),
    ],
)
def test_common_forms_are_lowered_line_by_line(line: str, lowered: str) -> None:
    assert lower_text(line + "\n") == lowered + "\n"


@pytest.mark.parametrize("source", ["type X[] = int\n", "class A[]:\n    pass\n"])
def test_empty_type_parameters_are_no_python_s(source: str) -> None:
    assert lower_text(source) == source
    [finding] = check_module(source.encode(), SERVICE, RULES)
    assert finding.code == "ARCH000"


def test_forms_over_several_lines_are_left_to_libcst() -> None:
    assert lower_text("class Box[\n    T,\n]:\n    pass\n") is None
    assert lower_text('label = f"{"x"}"\n') == 'label = f"{"x"}"\n'  # the CST lowering's job


def test_an_http_exception_in_a_generic_service_method() -> None:
    source = (
        "from fastapi import HTTPException\n\n\n"
        "class UserService[R]:\n"
        "    def get[K: int](self, key: K) -> R:\n"
        "        raise HTTPException(status_code=404)\n"
    )
    found = {(f.code, f.line) for f in check_module(source.encode(), SERVICE, RULES)}
    assert found == {("ARCH501", 1), ("ARCH101", 6)}


def test_a_newer_module_still_reexports() -> None:
    source = (
        b"from fastapi import HTTPException\n\ntype Code = int\n\n"
        b"class Conflict[T](HTTPException):\n    pass\n\nNotFound = HTTPException(404)\n"
        b"try:\n    import orjson as json\nexcept ImportError, OSError:\n    import json\n"
    )
    exports = extract_exports(source, "app.core.errors", False)
    assert exports.parses
    assert exports.aliases["app.core.errors.HTTPException"] == "fastapi.HTTPException"
    assert exports.instances == {"app.core.errors.NotFound": "fastapi.HTTPException"}
    assert exports.bases == {"app.core.errors.Conflict": ["fastapi.HTTPException"]}
    assert exports.aliases["app.core.errors.json"] == "orjson"  # inside the 3.14 `try`
    assert "app.core.errors.Code" not in exports.aliases  # a type alias is not the class
    assert not extract_exports(b"class A[T]:\n    pass\ndef f(:\n", "m", False).parses


def test_a_syntax_error_after_newer_syntax_is_found_where_it_is() -> None:
    source = b"class Box[T]:\n    pass\n\n\nx = (1,\ny = 2\n"
    [finding] = check_module(source, SERVICE, RULES)
    assert finding.code == "ARCH000" and finding.message.startswith("Syntax error")
    assert finding.line >= 5  # not line 1, where Python 3.11 gave up
    plain = b"x = 1\n\n\nx = (1,\ny = 2\n"
    [finding] = check_module(plain, SERVICE, RULES)
    assert (finding.line, finding.message) == (4, "Syntax error: '(' was never closed")


@pytest.mark.skipif(not OLDER_PYTHON, reason="the newest Python judges alone")
@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("(" * 3000 + "1" + ")" * 3000, "too many nested parentheses"),
        ("[" * 6000 + "]" * 6000, "too many nested parentheses"),
    ],
    ids=["parens", "brackets"],
)
def test_cpython_limits_still_judge_newer_files(expression: str, message: str) -> None:
    source = f"class Box[T]:\n    pass\nx = {expression}\n".encode()
    start = time.perf_counter()
    [finding] = check_module(source, SERVICE, RULES)
    assert finding.code == "ARCH000" and message in finding.message
    assert time.perf_counter() - start < 5  # judged by CPython: libcst never saw it


@pytest.mark.slow
@pytest.mark.skipif(not OLDER_PYTHON, reason="the newest Python judges alone")
@pytest.mark.parametrize("newer", ["class Box[T]:\n    pass\n", 'label = f"{"x"}"\n'])
def test_nesting_too_deep_for_the_rules_in_a_newer_file(
    newer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judged by CPython on the lowered form (by lines), or by the CST lowering's walk."""
    # CPython's verdict on 5,000 nested `not`s depends on the recursion limit, which other
    # code in the test process may raise: pin the default (as tests/rules/test_engine.py)
    monkeypatch.setattr(parsing_module, "PARSE_SECONDS", 120.0)  # depth, not a loaded machine
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        [finding] = check_module((newer + "x = " + "not " * 5000 + "y\n").encode(), SERVICE, RULES)
    finally:
        sys.setrecursionlimit(limit)
    assert (finding.code, finding.message) == ("ARCH000", parsing_module.TOO_DEEP_MESSAGE)


@pytest.mark.skipif(not OLDER_PYTHON, reason="the newest Python judges alone")
def test_a_parse_that_runs_out_of_time_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    # libcst's parser is quadratic on long operator chains; 3,000 terms take seconds
    monkeypatch.setattr(parsing_module, "PARSE_SECONDS", 0.2)
    monkeypatch.setattr(parsing_module, "PARSE_BYTES_PER_SECOND", 10**12)
    source = ('label = f"{"x"}"\nx = ' + "+".join(["1"] * 3000) + "\n").encode()
    start = time.perf_counter()
    [finding] = check_module(source, SERVICE, RULES)
    assert finding.code == "ARCH000" and "took too long" in finding.message
    assert time.perf_counter() - start < 5


@pytest.mark.skipif(not OLDER_PYTHON, reason="the newest Python judges alone")
def test_a_parser_crash_costs_a_child_not_the_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing_module, "_lowered_code", _kill)
    [finding] = check_module(b'label = f"{"x"}"\n', SERVICE, RULES)
    assert (finding.code, finding.message) == ("ARCH000", parsing_module.CRASHED_MESSAGE)


def _value(data: bytes) -> str:
    return data.decode().upper()


def _kill(data: bytes) -> str:
    """Die as a stack overflow does: by a signal (SIGKILL: no faulthandler noise)."""
    os.kill(os.getpid(), signal.SIGKILL)
    return ""


def _raise(data: bytes) -> str:
    raise ValueError(data)


def _sleep(data: bytes) -> str:
    time.sleep(30)
    return "late"


def test_run_isolated() -> None:
    assert run_isolated(_value, b"abc" * 100_000, 30) == "ABC" * 100_000
    assert run_isolated(_kill, b"", 30) is CRASHED
    assert run_isolated(_raise, b"", 30) is CRASHED
    start = time.perf_counter()
    assert run_isolated(_sleep, b"", 0.3) is TIMED_OUT
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ('[project]\nrequires-python = ">=3.12"\n', "no Python from 3.12 to 3.14 accepts it"),
        ('[tool.poetry.dependencies]\npython = "^3.13"\n', "no Python from 3.13 to 3.14"),
        ("[tool.ruff]\ntarget-version = 'py311'\n", "no Python from 3.11 to 3.14"),
        ("[tool.harness.check]\ntarget-version = 'py314'\n", "Python 3.14 does not accept it"),
        ("", "no Python up to 3.14 accepts it"),
    ],
    ids=["requires-python", "poetry", "ruff", "target-version", "none"],
)
def test_syntax_errors_name_the_pythons_judged(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pyproject: str,
    expected: str,
) -> None:
    write_tree(tmp_path, {"pyproject.toml": pyproject, "app/broken.py": "def f(:\n    pass\n"})
    monkeypatch.chdir(tmp_path)
    _, data, _ = run(capsys, "check", "app", "--no-cache", "--format", "json")
    [finding] = data["findings"]
    assert finding["code"] == "ARCH000" and finding["message"].endswith(")")
    assert f"({expected}" in finding["message"]
