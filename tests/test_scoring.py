"""Scoring is pure: the same evidence always gives the same score."""

from __future__ import annotations

from harness.core.schema import CaseOutcome, FindingOut, SampleError
from harness.core.usage import Usage
from harness.scoring.introduced import Origins
from harness.scoring.score import (
    aggregate,
    errored_sample,
    out_of_scope_findings,
    score_sample,
    summarize_tests,
)


def finding(
    code: str = "ARCH101", severity: str = "error", rule: str = "http-exception-in-service"
) -> FindingOut:
    return FindingOut(
        code=code,
        rule=rule,
        severity=severity,
        path="app/services/x.py",
        line=3,
        column=5,
        message="m",
    )  # type: ignore[arg-type]


def summary(*outcomes: str) -> object:
    return summarize_tests(
        [CaseOutcome(id=f"c{i}", outcome=o) for i, o in enumerate(outcomes)], len(outcomes)
    )  # type: ignore[arg-type]


def score(findings=(), outcomes=("passed", "passed"), changes=None, error=None, pre=()):  # type: ignore[no-untyped-def]
    return score_sample(
        task_id="t",
        starter="legacy",
        epoch=1,
        arm="a",
        origins=Origins(counted=list(findings), pre_existing=list(pre)),
        tests=summary(*outcomes),  # type: ignore[arg-type]
        changes=changes or {},
        test_error=error,
    )


def test_resolved_needs_all_tests_and_no_error_finding() -> None:
    assert score().resolved
    assert not score(outcomes=("passed", "failed")).resolved
    assert not score(findings=[finding()]).resolved
    assert score(findings=[finding("ARCH201", "warning", "service-too-large")]).resolved
    assert not score(error=SampleError(kind="grader-tampering-suspected", message="x")).resolved


def test_pre_existing_findings_are_listed_apart_and_never_count() -> None:
    s = score(pre=[finding()])
    assert s.resolved and s.findings == [] and s.pre_existing == [finding()]
    assert s.starter == "legacy"
    agg = aggregate([s], ["http-exception-in-service"])
    assert agg.rule_compliance["http-exception-in-service"] == 1.0


def test_a_suite_that_did_not_run_fails_every_test() -> None:
    s = score(error=SampleError(kind="test-timeout", message="x"))
    assert (s.tests.passed, s.tests.failed, s.tests.expected) == (0, 2, 2)


def test_out_of_scope_changes() -> None:
    changes = {
        "app/models/user.py": "modified",
        "alembic/versions/1.py": "added",
        "tests/test_x.py": "added",
        "app/conftest.py": "added",
        "app/services/x.py": "added",
        "app/api/routes/x.py": "modified",
    }
    paths = {f.path for f in out_of_scope_findings(changes)}
    assert paths == {
        "app/models/user.py",
        "alembic/versions/1.py",
        "tests/test_x.py",
        "app/conftest.py",
    }
    assert not score(changes={"app/models/user.py": "modified"}).resolved


def test_aggregates() -> None:
    samples = [
        score(),
        score(findings=[finding()], outcomes=("passed", "failed")),
        errored_sample("t", "legacy", 2, "a", "RateLimited", "429"),
    ]
    samples[0].usage = Usage(input_tokens=10, output_tokens=5, cost_usd=0.5)
    agg = aggregate(samples, ["http-exception-in-service", "raw-sql"])
    assert (agg.samples, agg.resolved, agg.resolved_rate, agg.errored) == (3, 1, 0.5, 1)
    assert agg.test_pass_rate == 0.75
    assert agg.rule_compliance == {
        "http-exception-in-service": 0.5,
        "raw-sql": 1.0,
        "out-of-scope-change": 1.0,
    }
    assert agg.tokens["input"] == 10 and agg.cost_usd == 0.5
