"""The run summary in Markdown: a pull-request comment or GitHub's step summary."""

from __future__ import annotations

from collections import Counter

from harness.core.schema import Report, SampleScore
from harness.report.anchors import sample_anchor

TOP_FINDINGS = 10


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _cell(score: SampleScore) -> str:
    if score.status != "scored":
        return f"{score.status} ({score.error.kind if score.error else '-'})"
    mark = "✅" if score.resolved else "❌"
    return f"{mark} {score.tests.passed}/{score.tests.expected}"


def render_summary(report: Report, html_name: str = "report.html") -> str:
    """Headline, a per-task table and the most frequent findings, linking into the HTML."""
    run, totals = report.run, report.aggregates
    arms = list(run.arms) or [run.agent.name]
    lines = [
        f"## Eval run `{run.id}`",
        "",
        f"Model `{run.model}` · arms {', '.join(f'`{a}`' for a in arms)} · "
        f"{len(run.tasks)} task(s) on {', '.join(run.starters)} x {run.epochs} epoch(s) · "
        f"harness {run.harness_version} · {totals.cached_turns} of {totals.turns} model answers "
        "came from the response cache",
        "",
        "| resolved | test pass rate | errored | skipped | tokens in / out | cost |",
        "|---|---|---|---|---|---|",
        f"| **{totals.resolved}/{totals.samples - totals.errored - totals.skipped} "
        f"({_percent(totals.resolved_rate)})** | {_percent(totals.test_pass_rate)} | "
        f"{totals.errored} | {totals.skipped} | {totals.tokens.get('input', 0):,} / "
        f"{totals.tokens.get('output', 0):,} | ${totals.cost_usd:.4f} |",
        "",
    ]
    if len(report.by_starter) > 1:
        lines += ["| starter | resolved | test pass rate | rules below 100% |", "|---|---|---|---|"]
        for starter, a in report.by_starter.items():
            weak = ", ".join(
                f"`{slug}` {_percent(rate)}"
                for slug, rate in sorted(a.rule_compliance.items())
                if rate is not None and rate < 1
            )
            lines.append(
                f"| `{starter}` | {a.resolved} ({_percent(a.resolved_rate)}) | "
                f"{_percent(a.test_pass_rate)} | {weak or '-'} |"
            )
        lines.append("")
    lines += [
        "| task | starter | arm | epochs (✅ resolved, tests passed) | introduced findings |",
        "|---|---|---|---|---|",
    ]
    by_row: dict[tuple[str, str, str], list[SampleScore]] = {}
    for sample in report.samples:
        by_row.setdefault((sample.task_id, sample.starter, sample.arm), []).append(sample)
    for (task, starter, arm), samples in by_row.items():
        cells = " · ".join(f"[{_cell(s)}]({html_name}#{sample_anchor(s)})" for s in samples)
        codes = Counter(f.code for s in samples for f in s.findings)
        found = ", ".join(f"{code}x{n}" for code, n in sorted(codes.items())) or "-"
        lines.append(f"| `{task}` | `{starter}` | `{arm}` | {cells} | {found} |")
    lines += [
        "",
        "**Rule compliance** (share of scored samples in which the agent introduced no finding "
        "of the rule; findings already in the starter do not count):",
        "",
    ]
    lines += ["| rule | compliance |", "|---|---|"]
    for slug, rate in sorted(
        totals.rule_compliance.items(),
        key=lambda item: (item[1] is not None, item[1] or 0, item[0]),
    ):
        lines.append(f"| `{slug}` | {_percent(rate)} |")
    findings = [(s, f) for s in report.samples for f in s.findings if f.severity == "error"]
    if findings:
        lines += [
            "",
            f"**Top findings** ({min(len(findings), TOP_FINDINGS)} of {len(findings)}):",
            "",
        ]
        for sample, finding in findings[:TOP_FINDINGS]:
            lines.append(
                f"- [`{finding.code}` {finding.rule}]({html_name}#{sample_anchor(sample)}) "
                f"in `{sample.task_id}` on `{sample.starter}` epoch {sample.epoch}: "
                f"`{finding.path}:{finding.line}` "
                f"{finding.message}"
            )
    return "\n".join(lines) + "\n"
