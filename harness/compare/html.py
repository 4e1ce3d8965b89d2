"""A Comparison as one self-contained HTML page, in the style of report.html: a verdict first,
then every figure side by side, the cases and findings that changed, and the prompts' diff.

Like compare_output, it renders figures and computes none; the page makes no network request
(inline CSS and SVG only), and every string from the runs is escaped by jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from harness.compare.metrics import EPSILON, Comparison, MetricDelta, RuleDelta
from harness.compare.output import USAGE_NAMES
from harness.core.files import write_atomic
from harness.report.charts import interval_svg, percent
from harness.report.diff import FileDiff, SourceText, file_diff, highlight_lines
from harness.report.html import environment

MAX_LISTED = 500
PROMPT_NAME = "prompt.md"


@dataclass(frozen=True)
class Banner:
    """The page's first word: `kind` is regression, better, too-few, unchanged or n/a."""

    kind: str
    title: str
    lines: list[str]


def banner(comparison: Comparison, regressions: list[str]) -> Banner:
    """What a reviewer must know first, from the figures and the gate's sentences."""
    empty = [s.label for s in (comparison.base, comparison.head) if s.scored == 0]
    if empty:
        return Banner(
            "n/a",
            "Nothing to compare",
            [f"{label} has no scored sample, so every rate reads n/a" for label in empty],
        )
    if regressions:
        return Banner("regression", "Regression: head is worse than base", regressions)
    metrics = [comparison.resolved_rate, comparison.test_pass_rate, *comparison.rules]
    if comparison.note:
        moved = [f"{_name(m)} {_points(m.delta)}" for m in metrics if abs(m.delta or 0) > EPSILON]
        return Banner(
            "too-few",
            "Too few samples for a verdict",
            [comparison.note, f"point changes: {', '.join(moved) or 'none'}"],
        )
    better = [f"{_name(m)} {_points(m.delta)}" for m in metrics if m.verdict == "better"]
    if better:
        return Banner("better", "Better, with 95% confidence", better)
    return Banner("unchanged", "No detectable change", ["no metric moved beyond its 95% interval"])


def prompt_diff(base: str | None, head: str | None) -> FileDiff | None:
    """The unified diff of the two system prompts; None when either is unknown."""
    if base is None or head is None:
        return None
    before = SourceText(highlight_lines(base, PROMPT_NAME), base.splitlines())
    after = SourceText(highlight_lines(head, PROMPT_NAME), head.splitlines())
    return file_diff("system prompt", "modified", before, after)


def _name(metric: MetricDelta) -> str:
    if isinstance(metric, RuleDelta):
        return f"{metric.code} {metric.metric}"
    return metric.metric.replace("_", " ")


def _points(delta: float | None) -> str:
    if delta is None:
        return "n/a"
    if abs(delta) <= EPSILON:
        return "0 pp"
    return f"{delta * 100:+.1f}".removesuffix(".0") + " pp"


def _interval_text(metric: MetricDelta) -> str:
    if metric.ci_low is None or metric.ci_high is None:
        return "-"
    return f"{metric.ci_low * 100:+.1f} to {metric.ci_high * 100:+.1f} pp"


def _direction(metric: MetricDelta) -> str:
    """A row's class: how the point change reads, whatever the verdict."""
    if metric.delta is None or abs(metric.delta) <= EPSILON:
        return "same"
    return "up" if metric.delta > 0 else "down"


def page_context(
    comparison: Comparison,
    *,
    regressions: list[str],
    prompts: tuple[str | None, str | None],
    report_links: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    moved = [r for r in comparison.rules if r.base_findings or r.head_findings]
    return {
        "c": comparison,
        "banner": banner(comparison, regressions),
        "headline": [comparison.resolved_rate, comparison.test_pass_rate],
        "moved_rules": moved,
        "quiet_rules": len(comparison.rules) - len(moved),
        "usage": [(name, getattr(comparison.usage, key), key) for key, name in USAGE_NAMES.items()],
        "new": comparison.new_findings[:MAX_LISTED],
        "fixed": comparison.fixed_findings[:MAX_LISTED],
        "failing": [c for c in comparison.case_changes if c.change == "newly-failing"],
        "passing": [c for c in comparison.case_changes if c.change == "newly-passing"],
        "max_listed": MAX_LISTED,
        "prompt_diff": prompt_diff(*prompts),
        "prompts_known": all(p is not None for p in prompts),
        "links": report_links,
    }


def render_compare_html(
    comparison: Comparison,
    *,
    regressions: list[str],
    prompts: tuple[str | None, str | None] = (None, None),
    report_links: tuple[str | None, str | None] = (None, None),
) -> str:
    env = environment()
    env.filters["points"] = _points
    env.filters["interval_text"] = _interval_text
    env.filters["direction"] = _direction
    env.filters["metric_name"] = _name
    env.filters["interval_svg"] = lambda m: Markup(interval_svg(m.delta, m.ci_low, m.ci_high))
    env.filters["pct"] = percent
    context = page_context(
        comparison, regressions=regressions, prompts=prompts, report_links=report_links
    )
    return env.get_template("compare.html.j2").render(**context)


def write_compare_html(path: Path, comparison: Comparison, **kwargs: Any) -> Path:
    write_atomic(path, render_compare_html(comparison, **kwargs))
    return path
