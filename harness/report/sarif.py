"""SARIF of a run's findings, so code scanning shows them; paths point into the run
directory's sample workspaces."""

from __future__ import annotations

from harness.checker.output import sarif_log
from harness.checker.run import CheckResult
from harness.core.layout import sample_directory
from harness.core.schema import Report
from harness.rules.finding import Finding, Severity


def run_sarif(report: Report, prefix: str = "") -> dict[str, object]:
    """`prefix`: the run directory as seen from where the SARIF is uploaded (e.g. `runs/x/`)."""
    findings = tuple(
        Finding(
            path=f"{prefix}{sample_directory(sample)}/workspace/{f.path}",
            line=f.line,
            column=f.column,
            code=f.code,
            rule=f.rule,
            severity=Severity(f.severity),
            message=f"[{sample.task_id} #{sample.epoch}] {f.message}",
        )
        for sample in report.samples
        for f in sample.findings
    )
    return sarif_log(
        CheckResult(findings=tuple(sorted(findings)), files_checked=len(report.samples))
    )
