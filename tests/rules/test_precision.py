"""Precision traps from real code: each case states what must (not) be reported."""

from __future__ import annotations

import pytest

from harness.rules import all_rules
from harness.rules.engine import check_source

SERVICE = "app/services/orders.py"
RULES = all_rules()


def codes(code: str, path: str = SERVICE) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in check_source(code, path, RULES)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # the name HTTPException in prose is no construction
        ('"""Raises HTTPException? No."""\n# raise HTTPException(404)\nx = "HTTPException"\n', []),
        # an aliased module import
        (
            "import fastapi as fa\n\ndef f():\n    raise fa.HTTPException(400)\n",
            [(1, "ARCH501"), (4, "ARCH101")],
        ),
        # starlette's class, a multi-line raise reported on its first line
        (
            "from starlette.exceptions import HTTPException\n\ndef f():\n    raise HTTPException(\n"
            "        status_code=400,\n    )\n",
            [(1, "ARCH501"), (4, "ARCH101")],
        ),
        # constructed at module level, raised later: reported once, at the construction
        (
            "from fastapi import HTTPException\nBad = HTTPException(status_code=401)\n\ndef f():\n    raise Bad\n",
            [(1, "ARCH501"), (2, "ARCH101")],
        ),
        # a lookalike name is not HTTPException
        (
            "class HTTPExceptionLike(Exception):\n    pass\n\ndef f():\n    raise HTTPExceptionLike()\n",
            [],
        ),
        # dunder methods do not count towards a god service
        (
            "class S:\n"
            + "".join(f"    def __m{i}__(self):\n        pass\n" for i in range(12))
            + "".join(f"    def m{i}(self):\n        pass\n" for i in range(9)),
            [],
        ),
        # class-level constants and loop targets are not function constants
        ("class C:\n    LIMIT = 3\n\ndef f(xs):\n    for ITEM in xs:\n        pass\n", []),
        # Optional[X] and X | None of a non-repository are fine
        (
            "from typing import Optional\n\ndef f(a: Optional[int] = None, b: str | None = None):\n    pass\n",
            [],
        ),
        # an import inside a function body still counts
        ("def f():\n    import starlette.status\n", [(2, "ARCH501")]),
    ],
)
def test_precision(code: str, expected: list[tuple[int, str]]) -> None:
    assert sorted(codes(code)) == sorted(expected)


def test_api_layer_wins_over_service_name() -> None:
    code = "from fastapi import HTTPException\n\ndef f():\n    raise HTTPException(401)\n"
    assert codes(code, "mealie/routes/users/self_service.py") == []
    assert codes(code, "app/routes/controller_self_service.py") == []
    assert {c for _, c in codes(code, "app/users_service.py")} == {"ARCH101", "ARCH501"}


def test_module_style_service_with_many_functions() -> None:
    code = "".join(f"def op_{i}(db):\n    return {i}\n\n" for i in range(31))
    assert codes(code) == [(1, "ARCH203")]
    assert codes(code, "app/utils.py") == []


@pytest.mark.parametrize(
    ("suffix", "suppressed"),
    [
        ("  # noqa: ARCH301", True),
        ("  # noqa: constant-in-function", True),
        ("  # noqa", True),
        ("  # NOQA:ARCH301,E501", True),
        ("  # noqa: E501", False),
        ("  # noqa: ARCH601", False),
    ],
)
def test_noqa(suffix: str, suppressed: bool) -> None:
    code = f"def f():\n    LIMIT = 3{suffix}\n    return LIMIT\n"
    assert (codes(code, "app/main.py") == []) is suppressed


def test_noqa_inside_a_string_does_not_suppress() -> None:
    code = 'def f():\n    LIMIT = "# noqa"\n    return LIMIT\n'
    assert codes(code, "app/main.py") == [(2, "ARCH301")]
