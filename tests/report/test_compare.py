"""Comparing two sets of samples: deltas, verdicts, finding matching, loading the sides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.compare.finding_match import match_findings
from harness.compare.metrics import Comparison, compare_samples, regressions
from harness.core.errors import InputError
from harness.core.schema import (
    AgentInfo,
    Aggregates,
    CaseOutcome,
    FindingOut,
    Report,
    RunInfo,
    SampleScore,
    TestsSummary,
)
from harness.core.usage import Usage
from harness.report.reading import load_side
from harness.rules.catalog import CATALOG

SLUGS = {rule.code: rule.slug for rule in CATALOG}
SERVICE = "app/services/users.py"


def finding(
    code: str = "ARCH101", line: int = 10, path: str = SERVICE, message: str = ""
) -> FindingOut:
    return FindingOut(
        code=code,
        rule=SLUGS[code],
        severity="error",
        path=path,
        line=line,
        column=5,
        message=message or f"{code} at line {line}",
    )


def sample(
    task: str = "t1",
    epoch: int = 1,
    *,
    resolved: bool = True,
    passed: int = 3,
    findings: list[FindingOut] | None = None,
    status: str = "scored",
    arm: str = "a",
    usage: Usage | None = None,
) -> SampleScore:
    return SampleScore(
        task_id=task,
        epoch=epoch,
        arm=arm,
        status=status,  # type: ignore[arg-type]
        resolved=resolved and status == "scored",
        tests=TestsSummary(
            passed=passed,
            failed=3 - passed,
            expected=3,
            cases=[
                CaseOutcome(id=f"case-{n}", outcome="passed")
                if n <= passed
                else CaseOutcome(
                    id=f"case-{n}", outcome="failed", message=f"expected 201, got 500 ({task})"
                )
                for n in (1, 2, 3)
            ],
        ),
        findings=findings or [],
        usage=usage or Usage(),
    )


def grid(tasks: int, epochs: int) -> list[tuple[str, int]]:
    return [(f"t{t}", e) for t in range(1, tasks + 1) for e in range(1, epochs + 1)]


def side(keys: list[tuple[str, int]], resolved: set[int], **kwargs: object) -> list[SampleScore]:
    """One sample per key; those whose position is in `resolved` are resolved."""
    return [
        sample(task, epoch, resolved=i in resolved, **kwargs)  # type: ignore[arg-type]
        for i, (task, epoch) in enumerate(keys)
    ]


def compare(base: list[SampleScore], head: list[SampleScore], **kwargs: object) -> Comparison:
    return compare_samples(base, head, base_label="base", head_label="head", **kwargs)  # type: ignore[arg-type]


def rule(comparison: Comparison, slug: str):  # type: ignore[no-untyped-def]
    return next(r for r in comparison.rules if r.metric == slug)


# Verdicts


def test_a_clear_gain_with_enough_pairs_is_better() -> None:
    keys = grid(5, 2)  # 10 pairs over 2 epochs
    c = compare(side(keys, {0}), side(keys, set(range(9))))
    m = c.resolved_rate
    assert (m.base, m.head, m.delta, m.pairs) == (0.1, 0.9, 0.8, 10)
    assert m.verdict == "better" and 0 < m.ci_low <= 0.8 <= m.ci_high  # type: ignore[operator]
    assert c.note == ""


def test_a_rule_broken_in_head_is_worse_and_a_regression() -> None:
    keys = grid(4, 2)
    base = side(keys, set(range(8)))
    head = [
        sample(t, e, resolved=False, findings=[finding()]) if i < 6 else sample(t, e)
        for i, (t, e) in enumerate(keys)
    ]
    c = compare(base, head)
    broken = rule(c, "http-exception-in-service")
    assert (broken.base, broken.head, broken.delta) == (1.0, 0.25, -0.75)
    assert broken.verdict == "worse" and broken.ci_high < 0  # type: ignore[operator]
    assert (broken.base_findings, broken.head_findings, broken.code) == (0, 6, "ARCH101")
    assert c.resolved_rate.verdict == "worse"
    assert rule(c, "raw-sql").verdict == "no detectable change"  # untouched: interval [0, 0]
    found = regressions(c, max_compliance_drop=None)
    assert len(found) == 2
    assert found[0].startswith("resolved rate fell from 100% to 25%")
    assert "http-exception-in-service (ARCH101) compliance fell" in found[1]
    assert "worse with 95% confidence" in found[1]


def test_noise_is_no_detectable_change() -> None:
    keys = grid(5, 2)
    c = compare(side(keys, {0, 2, 4, 6, 8}), side(keys, {1, 2, 5, 6, 9}))
    m = c.resolved_rate
    assert m.delta == 0 and m.verdict == "no detectable change"
    assert m.ci_low < 0 < m.ci_high  # type: ignore[operator]
    assert regressions(c, max_compliance_drop=0.1) == []


def test_one_epoch_gives_point_deltas_but_too_few_samples() -> None:
    keys = grid(10, 1)  # ten pairs, but each task drawn once
    c = compare(side(keys, set(range(10))), side(keys, set()))
    m = c.resolved_rate
    assert (m.delta, m.verdict, m.ci_low, m.ci_high) == (-1.0, "too few samples", None, None)
    assert c.note.startswith("one epoch")
    assert all(t.resolved_rate.verdict == "too few samples" for t in c.tasks)


def test_fewer_than_six_pairs_is_too_few_samples() -> None:
    keys = grid(2, 2)  # four pairs, every one moved the same way
    c = compare(side(keys, set(range(4))), side(keys, set()))
    assert c.resolved_rate.verdict == "too few samples"
    assert c.note.startswith("only 4 task x epoch pairs")


def test_per_task_verdicts_use_that_tasks_epochs() -> None:
    keys = grid(2, 8)
    head = side(keys, set(range(8, 16)))  # t1 never resolved in head, t2 always
    c = compare(side(keys, set(range(16))), head)
    t1, t2 = c.tasks
    assert (t1.task_id, t1.resolved_rate.delta, t1.resolved_rate.verdict) == ("t1", -1.0, "worse")
    assert (t2.resolved_rate.delta, t2.resolved_rate.verdict) == (0.0, "no detectable change")
    assert t1.pairs == 8 and t1.note == ""


def test_the_bootstrap_is_reproducible_with_a_seed() -> None:
    keys = grid(6, 3)
    base, head = side(keys, {0, 3, 5, 7, 11, 13}), side(keys, {1, 2, 3, 5, 8, 9, 11, 14, 17})
    first, again = compare(base, head, seed=7), compare(base, head, seed=7)
    assert first == again and (first.seed, first.resamples) == (7, 2000)
    few = [compare(base, head, seed=seed, resamples=100).resolved_rate for seed in (7, 7, 8)]
    assert few[0] == few[1] and (few[0].ci_low, few[0].ci_high) != (few[2].ci_low, few[2].ci_high)


def test_only_scored_samples_count_for_rates_and_pairs() -> None:
    keys = grid(3, 2)
    base = side(keys, set(range(6)))
    head = side(keys, set(range(5)))
    head[5] = sample("t3", 2, status="errored")
    c = compare(base, head)
    assert (c.resolved_rate.base, c.resolved_rate.head, c.pairs) == (1.0, 1.0, 5)
    assert c.head.samples == 6 and c.head.scored == 5
    assert c.resolved_rate.verdict == "too few samples"  # 5 complete pairs


def test_test_pass_rate_and_usage_deltas_overall_and_per_task() -> None:
    spent = Usage(input_tokens=100, output_tokens=10, cache_read_input_tokens=5, cost_usd=0.25)
    base = [sample("t1", passed=3, usage=spent), sample("t2", passed=3, usage=spent)]
    head = [sample("t1", passed=1, usage=spent + spent), sample("t2", passed=3, usage=spent)]
    c = compare(base, head)
    assert (c.test_pass_rate.base, c.test_pass_rate.head, c.test_pass_rate.delta) == (
        1.0,
        0.6667,
        -0.3333,
    )
    assert (c.usage.input.base, c.usage.input.head, c.usage.input.delta) == (200, 300, 100)
    assert (c.usage.cost_usd.delta, c.usage.cache_read.head, c.usage.cache_write.delta) == (
        0.25,
        15,
        0,
    )
    t1 = c.tasks[0]
    assert t1.test_pass_rate.delta == -0.6667 and t1.usage.output.delta == 10


# Findings


def test_a_finding_whose_line_moved_is_not_new() -> None:
    before = [finding("ARCH101", 10, message="raises at 10"), finding("ARCH501", 2)]
    after = [finding("ARCH501", 3), finding("ARCH101", 14, message="raises at 14")]
    assert match_findings(before, after) == ([], [])


def test_a_new_and_a_fixed_finding() -> None:
    before = [finding("ARCH101", 10), finding("ARCH602", 30, path="app/repositories/users.py")]
    after = [finding("ARCH101", 12), finding("ARCH301", 5)]
    fixed, new = match_findings(before, after)
    assert [f.code for f in fixed] == ["ARCH602"]
    assert [f.code for f in new] == ["ARCH301"]


def test_the_same_rule_in_another_file_is_new() -> None:
    fixed, new = match_findings(
        [finding(path="app/services/a.py")], [finding(path="app/services/b.py")]
    )
    assert [f.path for f in fixed] == ["app/services/a.py"]
    assert [f.path for f in new] == ["app/services/b.py"]


def test_duplicates_are_matched_as_a_multiset() -> None:
    before = [finding(line=10), finding(line=20)]
    after = [finding(line=11), finding(line=21), finding(line=40)]
    fixed, new = match_findings(before, after)
    assert fixed == [] and [f.line for f in new] == [40]
    fixed, new = match_findings(after, before)
    assert [f.line for f in fixed] == [40] and new == []
    fixed, new = match_findings(before + before, before)
    assert len(fixed) == 2 and new == []


def test_the_message_picks_the_partner_but_does_not_make_a_finding_new() -> None:
    before = [finding("ARCH301", 5, message="Constant `LIMIT` in `login`")]
    after = [
        finding("ARCH301", 6, message="Constant `TTL` in `refresh`"),
        finding("ARCH301", 40, message="Constant `LIMIT` in `login`"),
    ]
    fixed, new = match_findings(before, after)
    assert fixed == [] and [f.message for f in new] == ["Constant `TTL` in `refresh`"]
    fixed, new = match_findings(before, after[:1])  # renamed: the same finding
    assert (fixed, new) == ([], [])


def test_findings_are_compared_per_task_and_epoch() -> None:
    base = [sample("t1", 1, findings=[finding()]), sample("t1", 2)]
    head = [sample("t1", 1), sample("t1", 2, findings=[finding(line=99)])]
    c = compare(base, head)
    assert [(f.task_id, f.epoch, f.change) for f in c.new_findings] == [("t1", 2, "new")]
    assert [(f.task_id, f.epoch, f.change) for f in c.fixed_findings] == [("t1", 1, "fixed")]
    assert (c.tasks[0].new_findings, c.tasks[0].fixed_findings) == (1, 1)


def test_an_errored_side_has_no_new_or_fixed_findings() -> None:
    c = compare([sample(findings=[finding()])], [sample(status="errored")])
    assert c.new_findings == c.fixed_findings == []
    assert c.resolved_rate.head is None and c.resolved_rate.delta is None


# The two sides


def test_sides_with_different_tasks_are_refused_naming_them() -> None:
    with pytest.raises(InputError, match="only in base: t2; only in head: t3"):
        compare([sample("t1"), sample("t2")], [sample("t1"), sample("t3")])


def test_a_side_with_two_arms_is_refused() -> None:
    with pytest.raises(InputError, match="base has several samples per task, starter and epoch"):
        compare([sample(arm="a"), sample(arm="b")], [sample()])


def test_regressions_with_and_without_the_threshold() -> None:
    base = [sample("t1"), sample("t2"), sample("t3"), sample("t4"), sample("t5")]
    head = [*base[:4], sample("t5", resolved=False, findings=[finding("ARCH602")])]
    c = compare(base, head)  # one epoch: no verdicts, raw-sql compliance 100% -> 80%
    assert regressions(c, max_compliance_drop=None) == []
    assert regressions(c, max_compliance_drop=0.2) == []  # a drop of exactly the allowance
    [sentence] = regressions(c, max_compliance_drop=0.1)
    assert sentence == (
        "raw-sql (ARCH602) compliance fell from 100% to 80% (-20 pp): more than the allowed 10 pp"
    )


def test_the_comparison_round_trips_through_json() -> None:
    keys = grid(3, 2)
    c = compare(side(keys, {1}), side(keys, {1, 2}, findings=[finding()]))
    data = json.loads(c.model_dump_json())
    assert next(iter(data)) == "schema_version"
    assert Comparison.model_validate(data) == c


def write_report(path: Path, samples: list[SampleScore], **run: object) -> Path:
    info = RunInfo(
        id=run.pop("id", "r1"),  # type: ignore[arg-type]
        agent=AgentInfo(name="a", sha256="0" * 64),
        model="oracle",
        harness_version="0",
        started_at="2026-01-01T00:00:00+00:00",
        **run,  # type: ignore[arg-type]
    )
    report = Report(run=info, aggregates=Aggregates(), samples=samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return path


def test_load_side_reads_a_run_directory_or_its_report(tmp_path: Path) -> None:
    report = write_report(tmp_path / "run" / "report.json", [sample()], id="run")
    for where in (tmp_path / "run", report):
        label, samples, loaded = load_side(where, None)
        assert (label, [s.task_id for s in samples], loaded.run.id) == ("run", ["t1"], "run")


def test_load_side_with_several_arms_needs_a_choice(tmp_path: Path) -> None:
    report = write_report(tmp_path / "report.json", [sample(arm="old"), sample(arm="new")], id="r")
    with pytest.raises(InputError, match=r"report\.json: the run has arms old, new; choose one"):
        load_side(report, None)
    label, samples, _ = load_side(report, "new")
    assert label == "r/new" and [s.arm for s in samples] == ["new"]
    with pytest.raises(InputError, match="no arm 'other'; its arms are old, new"):
        load_side(report, "other")


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("TRUNCATE", "not valid JSON"),
        (
            '{"schema_version": 99, "run": {}, "samples": []}',
            "schema_version 99, this harness reads",
        ),
        ('{"findings": [], "files_checked": 3}', "not a run report"),
        ("[1, 2]", "not a run report"),
        ('{"schema_version": 2, "run": {"id": "x"}, "samples": [], "aggregates": {}}', "run.agent"),
    ],
)
def test_a_malformed_report_is_an_input_error_naming_the_file(
    tmp_path: Path, content: str, complaint: str
) -> None:
    path = tmp_path / "report.json"
    if content == "TRUNCATE":
        good = write_report(path, [sample()]).read_text()
        content = good[: len(good) // 2]
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_side(path, None)
    message = str(caught.value)
    assert message.startswith(str(path)) and complaint in message and "\n" not in message


def test_load_side_names_a_missing_path_or_report(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such run directory"):
        load_side(tmp_path / "nowhere", None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: no report\.json"):
        load_side(tmp_path / "empty", None)


@pytest.mark.slow
def test_two_oracle_runs_end_to_end(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from harness.cli.app import main

    for name, model in (("good", "oracle"), ("flawed", "oracle:http-exc")):
        argv = ["run", "--agent", "baseline", "--model", model, "--tasks", "health-db"]
        assert main([*argv, "--out", str(tmp_path / name)]) == 0
    capsys.readouterr()
    base_label, base, _ = load_side(tmp_path / "good", None)
    head_label, head, _ = load_side(tmp_path / "flawed", None)
    c = compare_samples(base, head, base_label=base_label, head_label=head_label)
    assert (c.base.label, c.head.label) == ("good", "flawed")
    assert c.resolved_rate.delta == -1.0 and c.resolved_rate.verdict == "too few samples"
    dropped = {r.metric for r in c.rules if r.delta is not None and r.delta < 0}
    assert dropped == {"http-exception-in-service", "framework-import-in-service", "raw-sql"}
    assert all(r.verdict == "too few samples" for r in c.rules)
    assert {f.finding.rule for f in c.new_findings} == dropped and c.fixed_findings == []
    assert c.note.startswith("one epoch")
    failed = regressions(c, max_compliance_drop=0.1)
    assert [s.split(" ")[0] for s in failed] == [
        "http-exception-in-service",
        "framework-import-in-service",
        "raw-sql",
    ]


def test_each_starter_gets_its_own_figures_and_verdicts() -> None:
    """The same prompt change can help on one starter and hurt on another: compare says so
    per starter, and a task x starter x epoch is one unit."""
    keys = grid(4, 3)
    base, head = [], []
    for starter in ("legacy", "bare"):
        base += [s.model_copy(update={"starter": starter}) for s in side(keys, set(range(12)))]
        worse = set(range(12)) if starter == "bare" else set()
        head += [s.model_copy(update={"starter": starter}) for s in side(keys, worse)]
    result = compare(base, head)
    assert result.pairs == 24
    by_starter = {s.starter: s for s in result.starters}
    assert list(by_starter) == ["legacy", "bare"]
    assert by_starter["legacy"].resolved_rate.verdict == "worse"
    assert (by_starter["legacy"].resolved_rate.base, by_starter["legacy"].resolved_rate.head) == (
        1.0,
        0.0,
    )
    assert by_starter["bare"].resolved_rate.verdict == "no detectable change"
