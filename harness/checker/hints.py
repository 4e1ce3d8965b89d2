"""Hints: what `harness check` tells the user about its configuration, never a finding.

A large codebase may keep its services in `<domain>/service/` (singular), which the
default `service-dirs` does not match: the service rules then skip every one of them,
silently. Files there that define a `*Service` class are counted and the setting that
would check them is named. And a syntax error's message names the Pythons it was judged
against (`requires-python` or `target-version`, up to the newest the parser knows).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace

from harness.rules.finding import PARSE_ERROR_CODE, Finding
from harness.rules.layers import Layers, matches_pattern
from harness.rules.versions import NEWEST_PYTHON, SYNTAX_ERROR

SERVICE_CLASS = re.compile(rb"^class\s+\w*Service\b", re.MULTILINE)
SERVICE_WORD = "service"


def service_dir_hints(files: Iterable[tuple[str, bytes]], layers: Layers) -> list[str]:
    """One hint per directory name containing `service` whose files define `*Service`
    classes but lie outside the configured service (and API) layer.

    Args:
        files: (scope path, content) of the files checked.
    """
    outside: dict[str, list[str]] = {}
    for scope, data in files:
        names = [d for d in scope.split("/")[:-1] if SERVICE_WORD in d.lower()]
        names = [d for d in names if not any(matches_pattern(d, p) for p in layers.service_dirs)]
        if not names or layers.is_service(scope) or layers.is_api(scope):
            continue
        if SERVICE_CLASS.search(data):
            outside.setdefault(names[-1], []).append(scope)
    hints = []
    for name, scopes in sorted(outside.items()):
        setting = json.dumps([*layers.service_dirs, name])
        count = f"{len(scopes)} file{'s' if len(scopes) != 1 else ''}"
        hints.append(
            f"{count} in directories named `{name}` define `*Service` classes but are not "
            f"in the service layer, so the service rules skip them (e.g. {sorted(scopes)[0]});"
            f" to check them, set `service-dirs = {setting}` in [tool.harness.check]"
        )
    return hints


def versions_judged(floor: tuple[int, int] | None) -> str:
    """`no Python from 3.11 to 3.14 accepts it`: which Pythons a syntax error holds for."""
    newest = ".".join(map(str, NEWEST_PYTHON))
    if floor is None:
        return f"no Python up to {newest} accepts it"
    oldest = ".".join(map(str, floor))
    if floor > NEWEST_PYTHON:
        return f"not Python {newest} syntax; the project targets {oldest}, newer than the checker reads"
    if floor == NEWEST_PYTHON:
        return f"Python {newest} does not accept it"
    return f"no Python from {oldest} to {newest} accepts it"


def name_versions(findings: Iterable[Finding], floor: tuple[int, int] | None) -> list[Finding]:
    """Syntax-error findings with the Pythons they were judged against added."""
    suffix = f" ({versions_judged(floor)})"
    return [
        replace(f, message=f.message + suffix)
        if f.code == PARSE_ERROR_CODE and f.message.startswith(SYNTAX_ERROR)
        else f
        for f in findings
    ]
