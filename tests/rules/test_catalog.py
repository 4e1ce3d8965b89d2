"""The rule classes are the one source of the rules' metadata: the catalog, docs/rules.md and
the README's table are generated from them, and every rule is documented and exemplified."""

from __future__ import annotations

import inspect
import subprocess
import sys

from harness.rules import Scope, all_rules
from tests.conftest import REPO

SERVICE_ONLY = {"ARCH101", "ARCH102", "ARCH201", "ARCH202", "ARCH203", "ARCH501", "ARCH502"}


def test_every_code_a_report_can_contain_is_listed_by_harness_rules(capsys) -> None:  # type: ignore[no-untyped-def]
    from harness.cli.app import main
    from harness.rules.out_of_scope import OUT_OF_SCOPE

    assert main(["rules"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert listed == {r.CODE for r in all_rules()} | {OUT_OF_SCOPE.code}


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
