"""Rule evidence from running the code: a failure returned as a value complies, a raise for
a business failure counts against ARCH101 or ARCH102, a module that needs fastapi to import
against ARCH501; a success path or a crash is no rule's evidence."""

from __future__ import annotations

from harness.core.schema import FindingOut
from harness.scoring.evidence import Evidence, evidence_findings, judge

SERVICE = "app/services/order_service.py"
TARGETS = {"c": SERVICE}


def ev(outcome: str, expected: str = "failure", frames=(), message: str = "m") -> Evidence:  # type: ignore[no-untyped-def]
    return Evidence("c", expected, outcome, message, tuple(frames))


def test_each_outcome_is_judged_against_the_rule_it_shows() -> None:
    assert judge(ev("failure-value")).code is None
    assert judge(ev("no-error-value")).code is None
    assert judge(ev("raised-http-exception")).code == "ARCH101"
    assert judge(ev("raised-error")).code == "ARCH102"
    assert judge(ev("crashed")).code is None  # a TypeError says the code is broken
    assert judge(ev("raised-error", expected="success")).code is None  # a bug, not a rule
    assert judge(ev("missing-entry-point")).code is None
    assert judge(ev("imports-framework", expected="import")).code == "ARCH501"


def test_a_raise_is_placed_in_the_agents_code_it_passed_through() -> None:
    """Legacy code raising under the agent's call: the finding is the agent's call line."""
    frames = [(SERVICE, 30), ("app/services/catalog_service.py", 12)]
    _, [finding] = evidence_findings(
        [ev("raised-http-exception", frames=frames)], {SERVICE: "added"}, TARGETS, []
    )
    assert (finding.code, finding.path, finding.line, finding.source) == (
        "ARCH101", SERVICE, 30, "runtime",
    )  # fmt: skip
    _, [own] = evidence_findings([ev("raised-error", frames=frames)], {}, TARGETS, [])
    assert (own.path, own.line) == ("app/services/catalog_service.py", 12)


def test_what_the_static_checker_already_reported_is_not_reported_twice() -> None:
    static = FindingOut(
        code="ARCH101", rule="http-exception-in-service", severity="error", path=SERVICE,
        line=30, column=9, message="raises HTTPException",
    )  # fmt: skip
    many = [ev("raised-http-exception", frames=[(SERVICE, 30)]) for _ in range(3)]
    judged, findings = evidence_findings(many, {SERVICE: "added"}, TARGETS, [static])
    assert findings == [] and [e.code for e in judged] == ["ARCH101"] * 3
    other_line = [ev("raised-error", frames=[(SERVICE, 41)]) for _ in range(2)]
    _, found = evidence_findings(other_line, {SERVICE: "added"}, TARGETS, [static])
    assert [(f.code, f.line) for f in found] == [("ARCH102", 41)]  # two cases, one raise


def test_the_probe_names_each_module_that_needs_the_framework() -> None:
    probe = Evidence(
        "architecture-probe", "import", "imports-framework",
        "app/services/a.py\tImportError: fastapi is blocked\napp/services/b.py\tImportError: x\n",
    )  # fmt: skip
    static = FindingOut(
        code="ARCH501", rule="framework-import-in-service", severity="error",
        path="app/services/b.py", line=1, column=1, message="imports fastapi",
    )  # fmt: skip
    _, findings = evidence_findings([probe], {}, {}, [static])
    assert [(f.code, f.path) for f in findings] == [("ARCH501", "app/services/a.py")]
