"""A Comparison for people and machines: a rich table for the terminal, Markdown for a pull
request comment, JSON for scripts. Each renders the same figures; none computes any."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.compare.metrics import (
    EPSILON,
    Change,
    Comparison,
    FindingChange,
    MetricDelta,
    UsageDelta,
)

METRIC_NAMES = {"resolved_rate": "resolved rate", "test_pass_rate": "test pass rate"}
USAGE_NAMES = {
    "input": "input tokens",
    "output": "output tokens",
    "cache_write": "cache write tokens",
    "cache_read": "cache read tokens",
    "cost_usd": "cost (USD)",
}
VERDICT_STYLES = {"better": "green", "worse": "red"}
MAX_LISTED = 50


def render_json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2)


def render_table(comparison: Comparison, console: Console) -> None:
    """The terminal view: headline metrics and rules, tasks, new and fixed findings, usage."""
    base, head = comparison.base, comparison.head
    table = Table(title=f"{escape(base.label)} → {escape(head.label)}")
    for column in ("metric", "base", "head", "change", "95% interval", "verdict"):
        table.add_column(column, justify="left" if column in ("metric", "verdict") else "right")
    for metric in _headline_metrics(comparison):
        style = VERDICT_STYLES.get(metric.verdict)
        verdict = f"[{style}]{metric.verdict}[/]" if style else metric.verdict
        table.add_row(
            _name(metric),
            _rate(metric.base),
            _rate(metric.head),
            _change(metric.delta),
            _interval(metric),
            verdict,
        )
    console.print(table)
    quiet = len(comparison.rules) - len(_moved_rules(comparison))
    console.print(f"{quiet} other rules: no findings on either side")
    if comparison.note:
        console.print(f"[yellow]too few samples[/]: {escape(comparison.note)}")
    tasks = Table(title="per task")
    for column in ("task", "resolved", "test pass", "new", "fixed", "cost change"):
        tasks.add_column(column, justify="left" if column == "task" else "right")
    for task in comparison.tasks:
        tasks.add_row(
            escape(task.task_id),
            _transition(task.resolved_rate),
            _transition(task.test_pass_rate),
            str(task.new_findings),
            str(task.fixed_findings),
            _money(task.usage.cost_usd.delta, signed=True),
        )
    console.print(tasks)
    if len(comparison.starters) > 1:
        starters = Table(title="per starter")
        for column in ("starter", "resolved", "test pass", "rules that moved"):
            starters.add_column(
                column, justify="left" if column in ("starter", "rules that moved") else "right"
            )
        for starter in comparison.starters:
            starters.add_row(
                escape(starter.starter),
                _transition(starter.resolved_rate),
                _transition(starter.test_pass_rate),
                escape(_moved_summary(starter.rules)),
            )
        console.print(starters)
    for kind in ("newly-failing", "newly-passing"):
        changed = [c for c in comparison.case_changes if c.change == kind]
        console.print(f"{kind.replace('-', ' ')} cases: {len(changed)}")
        for line in _case_lines(changed):
            console.print(f"  {escape(line)}", highlight=False)
    for title, changes in (("new", comparison.new_findings), ("fixed", comparison.fixed_findings)):
        console.print(f"{title} findings: {len(changes)}")
        for line in _finding_lines(changes):
            console.print(f"  {escape(line)}", highlight=False)
    console.print("usage: " + escape(" · ".join(_usage_lines(comparison.usage))))


def _moved_summary(rules) -> str:  # type: ignore[no-untyped-def]
    """`ARCH101 100% → 67%, ...` for the rules whose compliance changed; `-` for none."""
    moved = [r for r in rules if r.delta and abs(r.delta) > EPSILON]
    return ", ".join(f"{r.code} {_rate(r.base)} → {_rate(r.head)}" for r in moved) or "-"


def render_markdown(comparison: Comparison) -> str:
    """A pull request comment: headline verdicts, then tasks, rules, findings and usage."""
    base, head = comparison.base, comparison.head
    lines = [f"## Comparison: `{base.label}` → `{head.label}`", ""]
    lines += [
        " · ".join(
            f"**{_name(m).capitalize()}** {_transition(m)}"
            for m in (comparison.resolved_rate, comparison.test_pass_rate)
        ),
        "",
        _headline(comparison),
        "",
        f"Samples (scored): base {base.samples} ({base.scored}), head {head.samples} "
        f"({head.scored}) · epochs: base {base.epochs}, head {head.epochs} · "
        f"{comparison.pairs} task x starter x epoch pairs · {comparison.resamples} bootstrap resamples, "
        f"seed {comparison.seed}",
        "",
        "### Per task",
        "",
        "| task | resolved | test pass | new findings | fixed findings | cost |",
        "|---|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {_cell(t.task_id)} | {_transition(t.resolved_rate)} | {_transition(t.test_pass_rate)} "
        f"| {t.new_findings} | {t.fixed_findings} | {_money(t.usage.cost_usd.base)} → "
        f"{_money(t.usage.cost_usd.head)} |"
        for t in comparison.tasks
    ]
    if len(comparison.starters) > 1:
        lines += [
            "",
            "### Per starter",
            "",
            "| starter | resolved | test pass | rules that moved |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {_cell(s.starter)} | {_transition(s.resolved_rate)} | "
            f"{_transition(s.test_pass_rate)} | {_cell(_moved_summary(s.rules))} |"
            for s in comparison.starters
        ]
    lines += [
        "",
        "### Rules",
        "",
        "| rule | code | base | head | change | findings | 95% interval | verdict |",
        "|---|---|---:|---:|---|---:|---|---|",
    ]
    moved = _moved_rules(comparison)
    lines += [
        f"| {r.metric} | {r.code} | {_rate(r.base)} | {_rate(r.head)} | {_change(r.delta)} "
        f"| {r.base_findings} → {r.head_findings} | {_interval(r) or '-'} | {r.verdict} |"
        for r in moved
    ]
    if not moved:
        lines.append("| (none) | | | | | | | |")
    lines += ["", f"{len(comparison.rules) - len(moved)} other rules: no findings on either side."]
    for kind, title in (("newly-failing", "Newly failing"), ("newly-passing", "Newly passing")):
        changed = [c for c in comparison.case_changes if c.change == kind]
        lines += ["", f"### {title} cases ({len(changed)})", ""]
        lines += [f"- {_cell(line)}" for line in _case_lines(changed)] or ["None."]
    for title, changes in (("New", comparison.new_findings), ("Fixed", comparison.fixed_findings)):
        lines += ["", f"### {title} findings ({len(changes)})", ""]
        lines += [f"- {_cell(line)}" for line in _finding_lines(changes)] or ["None."]
    lines += ["", "### Tokens and cost", "", "| | base | head | change |", "|---|---:|---:|---:|"]
    for key, name in USAGE_NAMES.items():
        change = getattr(comparison.usage, key)
        money = key == "cost_usd"
        values = [_money(v) if money else f"{v:,}" for v in (change.base, change.head)]
        delta = _money(change.delta, signed=True) if money else f"{change.delta:+,}"
        lines.append(f"| {name} | {values[0]} | {values[1]} | {delta}{_relative(change)} |")
    return "\n".join(lines) + "\n"


def _headline(comparison: Comparison) -> str:
    """The verdicts in one paragraph; with too few samples, the point changes instead."""
    metrics = [comparison.resolved_rate, comparison.test_pass_rate, *comparison.rules]
    if comparison.note:
        moved = [f"{_name(m)} {_change(m.delta)}" for m in metrics if abs(m.delta or 0) > EPSILON]
        return (
            f"**Too few samples for a verdict**: {comparison.note}. "
            f"Point changes: {', '.join(moved) or 'none'}."
        )
    parts = []
    for verdict in ("worse", "better"):
        names = [f"{_name(m)} ({_change(m.delta)})" for m in metrics if m.verdict == verdict]
        if names:
            parts.append(f"**{verdict.capitalize()}** (95% confidence): {', '.join(names)}.")
    return " ".join(parts) or "**No detectable change** in any metric (95% confidence)."


def _headline_metrics(comparison: Comparison) -> list[MetricDelta]:
    return [comparison.resolved_rate, comparison.test_pass_rate, *_moved_rules(comparison)]


def _moved_rules(comparison: Comparison) -> list[MetricDelta]:
    """Rules with a finding on either side; the others are 100% on both."""
    return [r for r in comparison.rules if r.base_findings or r.head_findings]


def _case_lines(changes) -> Iterable[str]:  # type: ignore[no-untyped-def]
    for change in changes[:MAX_LISTED]:
        first = change.message.strip().splitlines()[0][:200] if change.message.strip() else ""
        yield (
            f"`{change.task_id}` on `{change.starter}` epoch {change.epoch}: `{change.case}`"
            + (f": {first}" if first else "")
        )
    if len(changes) > MAX_LISTED:
        yield f"... and {len(changes) - MAX_LISTED} more"


def _finding_lines(changes: list[FindingChange]) -> Iterable[str]:
    for change in changes[:MAX_LISTED]:
        f = change.finding
        yield (
            f"`{change.task_id}` on `{change.starter}` epoch {change.epoch}: `{f.path}:{f.line}` "
            f"{f.code} {f.rule}: {f.message}"
        )
    if len(changes) > MAX_LISTED:
        yield f"... and {len(changes) - MAX_LISTED} more (all of them are in the JSON output)"


def _usage_lines(usage: UsageDelta) -> list[str]:
    lines = []
    for key, name in USAGE_NAMES.items():
        change = getattr(usage, key)
        if key == "cost_usd":
            lines.append(f"{name} {_money(change.base)} → {_money(change.head)}")
        else:
            lines.append(f"{name} {change.base:,} → {change.head:,}")
    return lines


def _name(metric: MetricDelta) -> str:
    return METRIC_NAMES.get(metric.metric, metric.metric)


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _change(delta: float | None) -> str:
    """An arrow and the change in percentage points: ↑ +12.5 pp, ↓ -100 pp, = 0 pp."""
    if delta is None:
        return "n/a"
    if abs(delta) <= EPSILON:
        return "= 0 pp"
    points = f"{delta * 100:+.1f}".removesuffix(".0")
    return f"{'↑' if delta > 0 else '↓'} {points} pp"


def _transition(metric: MetricDelta) -> str:
    return f"{_rate(metric.base)} → {_rate(metric.head)} {_change(metric.delta)}"


def _interval(metric: MetricDelta) -> str:
    if metric.ci_low is None or metric.ci_high is None:
        return ""
    return f"{metric.ci_low * 100:+.1f} to {metric.ci_high * 100:+.1f} pp"


def _money(value: float, *, signed: bool = False) -> str:
    return f"{'+' if signed and value > 0 else ''}{'-' if value < 0 else ''}${abs(value):.4f}"


def _relative(change: Change) -> str:
    return f" ({change.delta / change.base:+.0%})" if change.base else ""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell or list item: no pipes, one line."""
    return text.replace("|", "\\|").replace("\n", " ")
