"""Why a sample has no score, in one vocabulary: `SampleError.kind`, kebab-case everywhere
(report.json, the console, the HTML report). The README's glossary lists them.

A failure raised as an exception gets the kebab-case of its class (`ProviderUnavailable` ->
`provider-unavailable`, `OSError` -> `os-error`); the message keeps the class name.
"""

from __future__ import annotations

import re

PROVIDER_UNAVAILABLE = "provider-unavailable"  # the API kept failing after every retry
API_UNAVAILABLE = "api-unavailable"  # not run: the circuit breaker was open
GRADING_FAILED = "grading-failed"  # the harness could not grade what the model left
MAX_COST = "max-cost"  # not run: --max-cost would have been passed
NO_SCORE = "no-score"  # not graded: --no-score
SHARD_MISSING = "shard-missing"  # not merged: its shard was not given (--allow-partial)
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def kebab(name: str) -> str:
    """`ProviderUnavailable` -> `provider-unavailable`; a kebab-case name is kept."""
    if "-" in name or name.islower():
        return name
    return _BOUNDARY.sub("-", name).lower()


def of_exception(exc: BaseException) -> str:
    return kebab(type(exc).__name__)
