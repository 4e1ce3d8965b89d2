"""Scores from evidence, as pure functions: findings + test results + changed files.

`resolved` = every generated test passed and no error-severity finding remains.
ARCH701 (out-of-scope change) is judged here because it needs the starter workspace.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.providers.base import Usage
from harness.report.schema import (
    Aggregates,
    CaseOutcome,
    FindingOut,
    SampleError,
    SampleScore,
    TestsSummary,
)
from harness.rules.layers import matches_pattern

OUT_OF_SCOPE_CODE = "ARCH701"
OUT_OF_SCOPE_SLUG = "out-of-scope-change"
OUT_OF_SCOPE_PATTERNS = (
    "app/models", "models.py", "alembic", "migrations", "tests", "test_*.py", "*_test.py", "conftest.py",
)  # fmt: skip


def out_of_scope_findings(changes: dict[str, str]) -> list[FindingOut]:
    """Models, migrations and tests that the agent created, changed or deleted."""
    findings = []
    for path, change in sorted(changes.items()):
        if any(matches_pattern(path, pattern) for pattern in OUT_OF_SCOPE_PATTERNS):
            findings.append(
                FindingOut(
                    code=OUT_OF_SCOPE_CODE,
                    rule=OUT_OF_SCOPE_SLUG,
                    severity="error",
                    path=path,
                    line=1,
                    column=1,
                    message=f"Agent {change} {path}: models, migrations and tests belong to other roles",
                )
            )
    return findings


def summarize_tests(cases: Iterable[CaseOutcome], expected: int) -> TestsSummary:
    cases = list(cases)
    return TestsSummary(
        passed=sum(c.outcome == "passed" for c in cases),
        failed=sum(c.outcome == "failed" for c in cases),
        errored=sum(c.outcome == "error" for c in cases),
        expected=expected,
        cases=cases,
    )


def score_sample(
    *,
    task_id: str,
    epoch: int,
    arm: str,
    findings: list[FindingOut],
    tests: TestsSummary,
    changes: dict[str, str],
    test_error: SampleError | None = None,
    usage: Usage | None = None,
    stop_reason: str = "",
    turns: int = 0,
    duration_s: float = 0.0,
) -> SampleScore:
    """A scored sample. A suite that did not run counts every expected test as failed."""
    all_findings = sorted(
        [*findings, *out_of_scope_findings(changes)],
        key=lambda f: (f.path, f.line, f.column, f.code),
    )
    if test_error is not None:
        tests = TestsSummary(
            passed=0, failed=tests.expected, errored=0, expected=tests.expected, cases=tests.cases
        )
    all_passed = test_error is None and tests.expected > 0 and tests.passed == tests.expected
    clean = not any(f.severity == "error" for f in all_findings)
    return SampleScore(
        task_id=task_id,
        epoch=epoch,
        arm=arm,
        status="scored",
        resolved=all_passed and clean,
        tests=tests,
        findings=all_findings,
        error=test_error,
        usage=usage or Usage(),
        changed_files=changes,
        stop_reason=stop_reason,
        turns=turns,
        duration_s=duration_s,
    )


def errored_sample(task_id: str, epoch: int, arm: str, kind: str, message: str) -> SampleScore:
    """A sample the harness could not score (API failure, crash): not a model failure."""
    return SampleScore(
        task_id=task_id, epoch=epoch, arm=arm, status="errored", resolved=False,
        error=SampleError(kind=kind, message=message),
    )  # fmt: skip


def aggregate(samples: Iterable[SampleScore], rule_slugs: Iterable[str]) -> Aggregates:
    samples = list(samples)
    scored = [s for s in samples if s.status == "scored"]
    expected = sum(s.tests.expected for s in scored)
    passed = sum(s.tests.passed for s in scored)
    usage = sum((s.usage for s in samples), Usage())
    compliance = {}
    for slug in [*rule_slugs, OUT_OF_SCOPE_SLUG]:
        clean = sum(1 for s in scored if not any(f.rule == slug for f in s.findings))
        compliance[slug] = round(clean / len(scored), 4) if scored else 0.0
    resolved = sum(s.resolved for s in scored)
    return Aggregates(
        samples=len(samples),
        resolved=resolved,
        resolved_rate=round(resolved / len(scored), 4) if scored else 0.0,
        test_pass_rate=round(passed / expected, 4) if expected else 0.0,
        rule_compliance=compliance,
        tokens={
            "input": usage.input_tokens,
            "output": usage.output_tokens,
            "cache_write": usage.cache_creation_input_tokens,
            "cache_read": usage.cache_read_input_tokens,
        },
        cost_usd=round(usage.cost_usd, 6),
        errored=sum(s.status == "errored" for s in samples),
        skipped=sum(s.status == "skipped" for s in samples),
    )


def aggregate_by_task(
    samples: Iterable[SampleScore], rule_slugs: Iterable[str]
) -> dict[str, Aggregates]:
    slugs = list(rule_slugs)
    groups: dict[str, list[SampleScore]] = {}
    for sample in samples:
        groups.setdefault(sample.task_id, []).append(sample)
    return {task: aggregate(group, slugs) for task, group in sorted(groups.items())}
