"""Scores from evidence, as pure functions: findings + test results + changed files.

`resolved` = every behaviour (HTTP) test passed, the agent introduced no error-severity
finding, and the service entry points the statement names exist (code that never builds
them cannot be judged by their evidence, so it cannot pass). Findings already in the starter are shown apart and never count (see
harness/scoring/introduced.py). ARCH701 (out-of-scope change, harness/rules/out_of_scope.py) is judged
here because it needs the starter workspace.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.core.schema import (
    Aggregates,
    CaseOutcome,
    RuleEvidence,
    SampleError,
    SampleScore,
    TestsSummary,
)
from harness.core.usage import Usage
from harness.rules.out_of_scope import (
    OUT_OF_SCOPE_SLUG,
    out_of_scope_findings,
)
from harness.scoring.introduced import Origins


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
    starter: str,
    epoch: int,
    arm: str,
    origins: Origins,
    tests: TestsSummary,
    changes: dict[str, str],
    evidence: list[RuleEvidence] | None = None,
    test_error: SampleError | None = None,
    usage: Usage | None = None,
    stop_reason: str = "",
    turns: int = 0,
    cached_turns: int = 0,
    duration_s: float = 0.0,
) -> SampleScore:
    """A scored sample. A suite that did not run counts every expected test as failed."""
    all_findings = sorted(
        [*origins.counted, *out_of_scope_findings(changes)],
        key=lambda f: (f.path, f.line, f.column, f.code),
    )
    if test_error is not None:
        tests = TestsSummary(
            passed=0, failed=tests.expected, errored=0, expected=tests.expected, cases=tests.cases
        )
    all_passed = test_error is None and tests.expected > 0 and tests.passed == tests.expected
    clean = not any(f.severity == "error" for f in all_findings)
    entry_points = not missing_entry_points(evidence or [])
    return SampleScore(
        task_id=task_id,
        epoch=epoch,
        arm=arm,
        starter=starter,
        status="scored",
        resolved=all_passed and clean and entry_points,
        tests=tests,
        findings=all_findings,
        pre_existing=origins.pre_existing,
        fixed=origins.fixed,
        evidence=evidence or [],
        error=test_error,
        usage=usage or Usage(),
        changed_files=changes,
        stop_reason=stop_reason,
        turns=turns,
        cached_turns=cached_turns,
        duration_s=duration_s,
    )


def missing_entry_points(evidence: Iterable[RuleEvidence]) -> list[str]:
    """The service cases whose entry point (module, class or method) does not exist."""
    return [e.case for e in evidence if e.outcome == "missing-entry-point"]


def errored_sample(
    task_id: str, starter: str, epoch: int, arm: str, kind: str, message: str
) -> SampleScore:
    """A sample the harness could not score (API failure, crash): not a model failure."""
    return SampleScore(
        task_id=task_id, starter=starter, epoch=epoch, arm=arm, status="errored",
        resolved=False, error=SampleError(kind=kind, message=message),
    )  # fmt: skip


def aggregate(samples: Iterable[SampleScore], rule_slugs: Iterable[str]) -> Aggregates:
    samples = list(samples)
    scored = [s for s in samples if s.status == "scored"]
    expected = sum(s.tests.expected for s in scored)
    passed = sum(s.tests.passed for s in scored)
    usage = sum((s.usage for s in samples), Usage())
    compliance: dict[str, float | None] = {}
    for slug in [*rule_slugs, OUT_OF_SCOPE_SLUG]:
        clean = sum(1 for s in scored if not any(f.rule == slug for f in s.findings))
        compliance[slug] = round(clean / len(scored), 4) if scored else None
    resolved = sum(s.resolved for s in scored)
    return Aggregates(
        samples=len(samples),
        resolved=resolved,
        resolved_rate=round(resolved / len(scored), 4) if scored else None,
        test_pass_rate=round(passed / expected, 4) if expected else None,
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
        turns=sum(s.turns for s in samples),
        cached_turns=sum(s.cached_turns for s in samples),
    )


def aggregate_by_task(
    samples: Iterable[SampleScore], rule_slugs: Iterable[str]
) -> dict[str, Aggregates]:
    return dict(sorted(_aggregate_by(samples, rule_slugs, lambda s: s.task_id).items()))


def aggregate_by_starter(
    samples: Iterable[SampleScore], rule_slugs: Iterable[str]
) -> dict[str, Aggregates]:
    """Per starter, in the order the samples ran them (house-style, legacy, bare)."""
    return _aggregate_by(samples, rule_slugs, lambda s: s.starter)


def _aggregate_by(samples, rule_slugs, key) -> dict[str, Aggregates]:  # type: ignore[no-untyped-def]
    slugs = list(rule_slugs)
    groups: dict[str, list[SampleScore]] = {}
    for sample in samples:
        groups.setdefault(key(sample), []).append(sample)
    return {name: aggregate(group, slugs) for name, group in groups.items()}
