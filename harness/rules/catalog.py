"""The rule catalog as data: codes, slugs, severities, scopes, generated from the rule classes.

Rule selection and cached runs need only this, not the rule classes, so a run that the
cache answers never imports libcst. `scripts/document_rules.py` writes it (and the README's
table and docs/rules.md) from the rule classes; `tests/rules/test_catalog.py` fails when any
of them is out of date.
"""

from __future__ import annotations

from typing import NamedTuple

from harness.rules.finding import Severity


class RuleInfo(NamedTuple):
    code: str
    slug: str
    severity: Severity
    scope: str


E, W = Severity.ERROR, Severity.WARNING
# generated from the rule classes by scripts/document_rules.py: do not edit by hand
CATALOG: tuple[RuleInfo, ...] = (
    RuleInfo("ARCH000", "parse-error", E, "any"),
    RuleInfo("ARCH101", "http-exception-in-service", E, "service"),
    RuleInfo("ARCH102", "domain-error-raised-in-service", E, "service"),
    RuleInfo("ARCH201", "service-too-large", W, "service"),
    RuleInfo("ARCH202", "god-service", E, "service"),
    RuleInfo("ARCH203", "god-service-module", E, "service"),
    RuleInfo("ARCH301", "constant-in-function", E, "any"),
    RuleInfo("ARCH401", "optional-repository-injection", E, "any"),
    RuleInfo("ARCH402", "pass-through-repository", W, "any"),
    RuleInfo("ARCH501", "framework-import-in-service", E, "service"),
    RuleInfo("ARCH502", "service-imports-api-layer", E, "service"),
    RuleInfo("ARCH601", "blocking-call-in-async", E, "any"),
    RuleInfo("ARCH602", "raw-sql", E, "any"),
)
