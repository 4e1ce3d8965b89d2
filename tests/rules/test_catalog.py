"""The catalog equals DESIGN.md's table, and every rule is documented and exemplified."""

from __future__ import annotations

import inspect
import subprocess
import sys

from harness.rules import Scope, Severity, all_rules
from tests.conftest import REPO

DESIGN_TABLE = {
    "ARCH000": ("parse-error", Severity.ERROR),
    "ARCH101": ("http-exception-in-service", Severity.ERROR),
    "ARCH102": ("domain-error-raised-in-service", Severity.ERROR),
    "ARCH201": ("service-too-large", Severity.WARNING),
    "ARCH202": ("god-service", Severity.ERROR),
    "ARCH203": ("god-service-module", Severity.ERROR),
    "ARCH301": ("constant-in-function", Severity.ERROR),
    "ARCH401": ("optional-repository-injection", Severity.ERROR),
    "ARCH402": ("pass-through-repository", Severity.WARNING),
    "ARCH501": ("framework-import-in-service", Severity.ERROR),
    "ARCH502": ("service-imports-api-layer", Severity.ERROR),
    "ARCH601": ("blocking-call-in-async", Severity.ERROR),
    "ARCH602": ("raw-sql", Severity.ERROR),
}
SERVICE_ONLY = {"ARCH101", "ARCH102", "ARCH201", "ARCH202", "ARCH203", "ARCH501", "ARCH502"}


def test_codes_slugs_and_severities_equal_design() -> None:
    assert {r.CODE: (r.SLUG, r.SEVERITY) for r in all_rules()} == DESIGN_TABLE


def test_codes_and_slugs_are_unique() -> None:
    rules = all_rules()
    assert len({r.CODE for r in rules}) == len({r.SLUG for r in rules}) == len(rules)


def test_scopes() -> None:
    assert {r.CODE for r in all_rules() if r.SCOPE is Scope.SERVICE} == SERVICE_ONLY


def test_class_and_module_names_follow_the_slug() -> None:
    for rule in all_rules():
        assert rule.__module__ == f"harness.rules.{rule.SLUG.replace('-', '_')}"
        assert rule.__name__ == "".join(part.title() for part in rule.SLUG.split("-"))


def test_every_rule_is_documented_with_examples() -> None:
    for rule in all_rules():
        doc = inspect.getdoc(rule) or ""
        assert "## What it does" in doc and "## Why is this bad?" in doc, rule.CODE
        assert len(rule.VALID) >= 2 and len(rule.INVALID) >= 2, rule.CODE


def test_rules_doc_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "document_rules.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_static_catalog_equals_the_rule_classes() -> None:
    from harness.rules.catalog import CATALOG

    classes = [(r.CODE, r.SLUG, r.SEVERITY, r.SCOPE.value) for r in all_rules()]
    assert [tuple(info) for info in CATALOG] == classes
