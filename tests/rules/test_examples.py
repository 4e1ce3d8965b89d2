"""Every rule's VALID and INVALID examples are its unit tests (Fixit's convention)."""

from __future__ import annotations

import pytest

from harness.rules import Invalid, Rule, Valid, all_rules
from harness.rules.engine import check_source


def _cases() -> list[tuple[type[Rule], Valid | Invalid]]:
    return [(rule, example) for rule in all_rules() for example in [*rule.VALID, *rule.INVALID]]


def _id(case: tuple[type[Rule], Valid | Invalid]) -> str:
    rule, example = case
    kind = "VALID" if isinstance(example, Valid) else "INVALID"
    group = rule.VALID if kind == "VALID" else rule.INVALID
    return f"{rule.CODE}-{kind}-{list(group).index(example) + 1}"  # type: ignore[arg-type]


@pytest.mark.parametrize("case", _cases(), ids=[_id(c) for c in _cases()])
def test_example(case: tuple[type[Rule], Valid | Invalid]) -> None:
    rule, example = case
    findings = [f for f in check_source(example.code, example.path, [rule]) if f.code == rule.CODE]
    if isinstance(example, Valid):
        assert findings == [], f"VALID example produced {findings}"
        return
    assert findings, "INVALID example produced no finding"
    if example.line is not None:
        assert example.line in {f.line for f in findings}, findings
    if example.message is not None:
        assert any(example.message in f.message for f in findings), findings


def test_examples_fail_without_their_rule() -> None:
    """Guards the test above: with no rules enabled an INVALID example finds nothing."""
    rule = all_rules()[1]
    assert check_source(rule.INVALID[0].code, rule.INVALID[0].path, []) == []
