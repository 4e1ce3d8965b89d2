"""ARCH000: a file that cannot be parsed or read."""

from __future__ import annotations

from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Scope, Valid


class ParseError(Rule):
    """## What it does
    Reports a Python file that no Python through 3.14 accepts (or that cannot be read or
    decoded), at the place the parser gave up; the message names the Pythons judged, from
    the project's `requires-python` (or `target-version`). Newer syntax than the Python
    running the checker (`class Box[T]:`, `type X = ...`, `except A, B:`) is no ARCH000.

    ## Why is this bad?
    Nothing else can be checked in it, and code that does not parse does not run: a model
    that leaves a broken file has not finished its task. The checker reports it and goes on
    with the other files; it never crashes on one.

    ## Example
    ```python
    def login(self, credentials:
        ...
    ```
    """

    CODE, SLUG, SEVERITY = "ARCH000", "parse-error", Severity.ERROR
    MESSAGE = "File does not parse"
    SCOPE = Scope.ANY
    VALID = [Valid("x = 1\n"), Valid("", path="app/main.py")]
    INVALID = [
        Invalid("x = 1\ndef login(self credentials):\n    pass\n", line=2, message="Syntax error"),
        Invalid("x = 1\nclass :\n", path="app/main.py", line=2),
    ]
