"""Two sets of samples side by side (two runs, or two arms of one run): what changed, and
whether the change is more than the model's noise.

Rates count scored samples only, as the report's aggregates do, so the figures equal the two
reports' own. Every metric is higher-is-better: the resolved rate, the test pass rate, and per
rule the compliance (the share of scored samples with no finding of that rule).

Confidence. The unit is a (task, epoch). A paired bootstrap resamples the units with
replacement (`resamples` times, from `random.Random(seed)`: a seed reproduces it), recomputes
both sides' rates on each resample and takes the 2.5th and 97.5th percentiles of head - base.
A unit whose other side errored or was skipped keeps its one side, so the interval is centred
on the rates shown. Verdicts:

- "better" / "worse": the whole 95% interval lies above / below 0;
- "no detectable change": the interval contains 0;
- "too few samples": fewer than MIN_PAIRS units scored on both sides, or all of them from one
  epoch. No interval is computed then; the point delta is still shown.

Why these floors: when n pairs all moved the same way every resample is the same, and the
percentile interval collapses to a point however small n is; a two-sided sign test first
reaches 5% at six unanimous pairs (2 * 0.5**6 = 0.031), hence six. With one epoch each task is
a single draw of the model, and a task that flipped cannot be told from the model's run-to-run
noise on it. The same rule holds per task, whose pairs are its epochs.

Findings are matched per (task, epoch) scored on both sides, as multisets, in two DeepDiff
passes: on code, rule, path and message (numbers masked), then the leftovers on code, rule and
path alone. Line and column never count, so a finding that moved is the same finding; among
equal findings the nearest by line pair up, and what is left is new (head) or fixed (base).
"""

from __future__ import annotations

import random
from functools import partial
from typing import Any

from harness.compare.finding_match import match_findings
from harness.compare.models import (
    CONFIDENCE,
    EPSILON,
    MESSAGE_CHARS,
    MIN_PAIRS,
    RESOLVED,
    RULES,
    TEST_PASS,
    USAGE_FIELDS,
    CaseChange,
    Change,
    Comparison,
    FindingChange,
    Fraction,
    MetricDelta,
    RuleDelta,
    Side,
    StarterDelta,
    TaskDelta,
    Unit,
    UsageDelta,
    Verdict,
)
from harness.core.errors import InputError
from harness.core.schema import SampleScore
from harness.core.usage import Usage


def compare_samples(
    base: list[SampleScore],
    head: list[SampleScore],
    *,
    base_label: str,
    head_label: str,
    seed: int = 0,
    resamples: int = 2000,
) -> Comparison:
    """Compare head against base; raises InputError unless both cover the same tasks."""
    _check_sides(base, head, base_label, head_label)
    units = _units(base, head)
    tasks, new, fixed = [], [], []
    for task_id in sorted({s.task_id for s in base}):
        task_units = [u for u in units if _task(u) == task_id]
        task_new, task_fixed = _finding_changes(task_units)
        new += task_new
        fixed += task_fixed
        task_usage = _usage_delta(
            [s for s in base if s.task_id == task_id], [s for s in head if s.task_id == task_id]
        )
        tasks.append(
            TaskDelta(
                task_id=task_id,
                usage=task_usage,
                new_findings=len(task_new),
                fixed_findings=len(task_fixed),
                **_measure(task_units, f"{seed}/{task_id}", resamples),
            )
        )
    starters = [
        StarterDelta(
            starter=starter,
            **_measure(
                [u for u in units if _starter(u) == starter], f"{seed}@{starter}", resamples
            ),
        )
        for starter in dict.fromkeys(s.starter for s in base)
    ]
    return Comparison(
        base=_side(base_label, base),
        head=_side(head_label, head),
        resamples=resamples,
        seed=seed,
        usage=_usage_delta(base, head),
        tasks=tasks,
        starters=starters,
        case_changes=_case_changes(units),
        new_findings=new,
        fixed_findings=fixed,
        **_measure(units, seed, resamples),
    )


def regressions(
    comparison: Comparison,
    *,
    max_compliance_drop: float | None,
    max_resolved_drop: float | None = None,
    max_test_pass_drop: float | None = None,
) -> list[str]:
    """A sentence per gated metric that is "worse", and per metric whose point estimate fell
    by more than its allowed drop (per rule: max_compliance_drop); empty when nothing
    regressed. The point-estimate gates fire even when there are too few samples for a
    verdict, so a one-epoch pull-request eval can still fail on a real regression."""
    allowed: dict[str, float | None] = {
        RESOLVED: max_resolved_drop,
        TEST_PASS: max_test_pass_drop,
    }
    found = []
    for metric in [comparison.resolved_rate, comparison.test_pass_rate, *comparison.rules]:
        reasons = []
        if metric.verdict == "worse":
            interval = f"{_points(metric.ci_low)} to {_points(metric.ci_high)}"
            reasons.append(f"worse with {comparison.confidence:.0%} confidence ({interval})")
        drop = max_compliance_drop if isinstance(metric, RuleDelta) else allowed[metric.metric]
        if drop is not None and metric.delta is not None and -metric.delta > drop + EPSILON:
            reasons.append(f"more than the allowed {drop * 100:g} pp")
        if reasons:
            name = metric.metric.replace("_", " ")
            if isinstance(metric, RuleDelta):
                name = f"{metric.metric} ({metric.code}) compliance"
            found.append(
                f"{name} fell from {_percent(metric.base)} to {_percent(metric.head)} "
                f"({_points(metric.delta)}): {' and '.join(reasons)}"
            )
    return found


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _case_changes(units: list[Unit]) -> list[CaseChange]:
    """The cases that pass on one side and not on the other, unit by unit."""
    changes = []
    for base, head in units:
        if base is None or head is None:
            continue
        before = {c.id: c.outcome == "passed" for c in base.tests.cases}
        for case in head.tests.cases:
            passed = case.outcome == "passed"
            if case.id in before and before[case.id] != passed:
                changes.append(
                    CaseChange(
                        task_id=head.task_id,
                        starter=head.starter,
                        epoch=head.epoch,
                        case=case.id,
                        change="newly-passing" if passed else "newly-failing",
                        message=case.message[:MESSAGE_CHARS],
                    )
                )
    return changes


def _finding_changes(units: list[Unit]) -> tuple[list[FindingChange], list[FindingChange]]:
    new, fixed = [], []
    for base, head in units:
        if base is None or head is None:
            continue
        gone, added = match_findings(base.findings, head.findings)
        where = {"task_id": base.task_id, "starter": base.starter, "epoch": base.epoch}
        new += [FindingChange(change="new", finding=f, **where) for f in added]
        fixed += [FindingChange(change="fixed", finding=f, **where) for f in gone]
    return new, fixed


def _check_sides(base: list[SampleScore], head: list[SampleScore], b: str, h: str) -> None:
    base_tasks, head_tasks = {s.task_id for s in base}, {s.task_id for s in head}
    differ = [
        f"only in {label}: {', '.join(sorted(tasks))}"
        for label, tasks in ((b, base_tasks - head_tasks), (h, head_tasks - base_tasks))
        if tasks
    ]
    if differ:
        raise InputError(
            f"the two sides cover different tasks ({'; '.join(differ)}); "
            "compare runs of the same tasks"
        )
    if not base:
        raise InputError(f"{b} and {h} have no samples to compare")
    for label, samples in ((b, base), (h, head)):
        if len({_unit_key(s) for s in samples}) < len(samples):
            raise InputError(
                f"{label} has several samples per task, starter and epoch; give one arm"
            )


def _unit_key(sample: SampleScore) -> tuple[str, str, int]:
    return (sample.task_id, sample.starter, sample.epoch)


def _units(base: list[SampleScore], head: list[SampleScore]) -> list[Unit]:
    """The (task, starter, epoch) units, each with its scored base and head sample or None."""
    scored_base = {_unit_key(s): s for s in base if s.status == "scored"}
    scored_head = {_unit_key(s): s for s in head if s.status == "scored"}
    keys = sorted(scored_base.keys() | scored_head.keys())
    return [(scored_base.get(key), scored_head.get(key)) for key in keys]


def _task(unit: Unit) -> str:
    return next(s.task_id for s in unit if s is not None)


def _starter(unit: Unit) -> str:
    return next(s.starter for s in unit if s is not None)


def _complies(slug: str, sample: SampleScore) -> tuple[int, int]:
    return int(all(f.rule != slug for f in sample.findings)), 1


FRACTIONS: dict[str, Fraction] = {
    RESOLVED: lambda s: (int(s.resolved), 1),
    TEST_PASS: lambda s: (s.tests.passed, s.tests.expected),
    **{slug: partial(_complies, slug) for _, slug, _ in RULES},
}


def _measure(units: list[Unit], seed: int | str, resamples: int) -> dict[str, Any]:
    """The shared fields of Comparison and TaskDelta for one group of units."""
    columns = {metric: _columns(units, fraction) for metric, fraction in FRACTIONS.items()}
    pairs = sum(1 for b, h in units if b and h)
    note = _too_few(units)
    intervals = {} if note else _bootstrap(columns, random.Random(seed), resamples)
    deltas = {m: _delta(m, c, intervals.get(m), pairs) for m, c in columns.items()}
    sides = [[s for s in side if s] for side in zip(*units, strict=True)] or [[], []]
    rules = [
        RuleDelta(
            code=code,
            severity=severity,
            base_findings=sum(f.rule == slug for s in sides[0] for f in s.findings),
            head_findings=sum(f.rule == slug for s in sides[1] for f in s.findings),
            **deltas[slug],
        )
        for code, slug, severity in RULES
    ]
    return {
        "note": note,
        "pairs": pairs,
        "resolved_rate": MetricDelta(**deltas[RESOLVED]),
        "test_pass_rate": MetricDelta(**deltas[TEST_PASS]),
        "rules": rules,
    }


def _columns(units: list[Unit], fraction: Fraction) -> tuple[list[int], ...]:
    """Per unit: base numerator, base denominator, head numerator, head denominator."""
    cells = [(*(fraction(b) if b else (0, 0)), *(fraction(h) if h else (0, 0))) for b, h in units]
    return tuple(list(column) for column in zip(*cells, strict=True)) if cells else ([],) * 4


def _delta(
    metric: str, columns: tuple[list[int], ...], interval: tuple[float, float] | None, pairs: int
) -> dict[str, Any]:
    bn, bd, hn, hd = (sum(column) for column in columns)
    base, head = (bn / bd if bd else None), (hn / hd if hd else None)
    low, high = interval or (None, None)
    verdict: Verdict = "too few samples"
    if low is not None and high is not None:
        verdict = "no detectable change"
        if low > EPSILON or high < -EPSILON:
            verdict = "better" if low > EPSILON else "worse"
    delta = head - base if base is not None and head is not None else None
    rounded = {"base": base, "head": head, "delta": delta, "ci_low": low, "ci_high": high}
    rounded = {k: None if v is None else round(v, 4) for k, v in rounded.items()}
    return {"metric": metric, "verdict": verdict, "pairs": pairs, **rounded}


def _too_few(units: list[Unit]) -> str:
    """Why a group of units cannot have a verdict, or "" if it can."""
    pairs = [b for b, h in units if b and h]
    if not pairs:
        return "no task x epoch is scored on both sides"
    if len({b.epoch for b in pairs}) < 2:
        return (
            "one epoch: a single draw per task cannot be told from the model's noise; "
            f"run --epochs 2 or more (at least {MIN_PAIRS} task x epoch pairs) for verdicts"
        )
    if len(pairs) < MIN_PAIRS:
        return (
            f"only {len(pairs)} task x epoch pairs scored on both sides; "
            f"verdicts need {MIN_PAIRS} or more"
        )
    return ""


def _bootstrap(
    columns: dict[str, tuple[list[int], ...]], rng: random.Random, resamples: int
) -> dict[str, tuple[float, float]]:
    """The paired percentile interval of head - base of every metric, from one rng."""
    population = range(len(columns[RESOLVED][0]))
    moving = {m: c for m, c in columns.items() if c[0] != c[2] or c[1] != c[3]}
    deltas: dict[str, list[float]] = {metric: [] for metric in moving}
    for _ in range(resamples):
        picks = rng.choices(population, k=len(population))
        for metric, column in moving.items():
            bn, bd, hn, hd = (sum(map(c.__getitem__, picks)) for c in column)
            if bd and hd:
                deltas[metric].append(hn / hd - bn / bd)
    tail = (1 - CONFIDENCE) / 2
    intervals = dict.fromkeys(columns.keys() - moving.keys(), (0.0, 0.0))
    for metric, values in deltas.items():
        if values:
            values.sort()
            intervals[metric] = (_percentile(values, tail), _percentile(values, 1 - tail))
    return intervals


def _percentile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _usage_delta(base: list[SampleScore], head: list[SampleScore]) -> UsageDelta:
    b, h = (sum((s.usage for s in side), Usage()).model_dump() for side in (base, head))
    changes = {
        key: Change(
            base=round(b[name], 6), head=round(h[name], 6), delta=round(h[name] - b[name], 6)
        )
        for key, name in USAGE_FIELDS.items()
    }
    return UsageDelta(**changes)


def _side(label: str, samples: list[SampleScore]) -> Side:
    scored = sum(s.status == "scored" for s in samples)
    return Side(
        label=label, samples=len(samples), scored=scored, epochs=max(s.epoch for s in samples)
    )


def _points(delta: float | None) -> str:
    """A change of rate in percentage points: +12.5 pp, -100 pp."""
    if delta is None:
        return "n/a"
    text = f"{delta * 100:+.1f}".removesuffix(".0") if abs(delta) > EPSILON else "0"
    return f"{text} pp"
