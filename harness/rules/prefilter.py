"""Which files can skip libcst entirely: a conservative text test, per scope.

Outside services only the ANY-scope rules apply (ARCH301, ARCH401, ARCH402, ARCH601,
ARCH602), and each needs a trace in the text to fire: an indented UPPER_CASE assignment, a
`Repository`, an `async def`, a string literal that starts like SQL. A file without any of them cannot
produce a finding, so its parse (over half of the checker's time) is skipped. Services and
API-layer files are always parsed. `tests/rules/test_prefilter.py` runs every rule example
and fixture through this test to keep it conservative.
"""

from __future__ import annotations

import re

_TRIGGERS = re.compile(
    rb"async\s+def|Repository"  # ARCH601 needs a coroutine; ARCH401/402 a repository
    rb"|^[ \t]+[^\n]*\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b[^\n]*="  # ARCH301: indented UPPER = ...
    rb"|[\"'][\s(]*(?i:select|insert|update|delete|create|alter|drop|truncate|with|merge"
    rb"|replace|pragma|vacuum|lock|set)\b",  # ARCH602: a string literal that starts like SQL
    re.MULTILINE,
)


def may_have_findings(source: bytes, is_service: bool, is_api: bool) -> bool:
    """False only when no rule can fire on this file; True means: check it fully."""
    if is_service or is_api:
        return True
    return _TRIGGERS.search(source) is not None
