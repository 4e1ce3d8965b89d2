"""The console view of a run: a rich table of task x arm with tests and findings."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from harness.core.schema import Report, SampleScore
from harness.report.charts import percent


def _findings(score: SampleScore) -> str:
    counts = Counter(f.code for f in score.findings)
    return ", ".join(f"{code}x{n}" if n > 1 else code for code, n in sorted(counts.items())) or "-"


def sample_line(score: SampleScore) -> str:
    mark = "[green]resolved[/]" if score.resolved else "[red]unresolved[/]"
    if score.status == "errored":
        mark = f"[yellow]errored[/] ({score.error.kind if score.error else ''})"
    tests = f"{score.tests.passed}/{score.tests.expected} tests"
    return (
        f"{score.arm} {score.task_id}@{score.starter}#{score.epoch}: {mark}, {tests}, "
        f"findings: {_findings(score)}"
        + (f" ({len(score.pre_existing)} pre-existing not counted)" if score.pre_existing else "")
    )


def cache_line(turns: int, cached: int) -> str:
    """How many model answers came from the response cache, said on every run."""
    return f"{cached} of {turns} model answers came from the response cache"


def render_report(report: Report, console: Console) -> None:
    table = Table(title=f"run {report.run.id} · model {report.run.model}", show_lines=False)
    for column in ("arm", "task", "starter", "epoch", "resolved", "tests", "findings"):
        table.add_column(column, justify="right" if column in ("epoch", "tests") else "left")
    for s in report.samples:
        resolved = (
            "[green]yes[/]"
            if s.resolved
            else ("[yellow]errored[/]" if s.status == "errored" else "[red]no[/]")
        )
        table.add_row(
            s.arm,
            s.task_id,
            s.starter,
            str(s.epoch),
            resolved,
            f"{s.tests.passed}/{s.tests.expected}",
            _findings(s),
        )
    console.print(table)
    a = report.aggregates
    console.print(
        f"resolved {a.resolved}/{a.samples} ({percent(a.resolved_rate)}) · test pass rate "
        f"{percent(a.test_pass_rate)}" + (f" · errored {a.errored}" if a.errored else "")
    )
    console.print(cache_line(a.turns, a.cached_turns))
    if a.resolved_rate is None:
        console.print("nothing was scored: no rate can be given (n/a)")
        return
    weak = {slug: rate for slug, rate in a.rule_compliance.items() if rate is not None and rate < 1}
    if weak:
        console.print(
            "compliance below 100%: "
            + ", ".join(f"{k} {percent(v)}" for k, v in sorted(weak.items()))
        )


def render_score(score: SampleScore, console: Console) -> None:
    console.print(sample_line(score))
    for case in score.tests.cases:
        if case.outcome != "passed":
            console.print(
                f"  [red]{case.outcome}[/] {case.id}: {case.message.splitlines()[-1] if case.message else ''}"
            )
    for f in score.findings:
        console.print(f"  {f.path}:{f.line}:{f.column}: {f.code} {f.message}", markup=False)
    if score.pre_existing or score.fixed:
        console.print(
            f"  [dim]{len(score.pre_existing)} pre-existing finding(s) in the starter, not "
            f"counted; {len(score.fixed)} of the starter's fixed[/]"
        )
    if score.error:
        console.print(f"  [yellow]{score.error.kind}[/]: {score.error.message}")
