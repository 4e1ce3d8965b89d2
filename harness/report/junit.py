"""JUnit XML of a run: one test case per sample, failed when not resolved, so any CI shows
the eval natively."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.core.schema import Report, SampleScore


def _failure_text(score: SampleScore) -> str:
    lines = [
        f"{c.id}: {c.outcome}: {c.message.strip()[:500]}"
        for c in score.tests.cases
        if c.outcome != "passed"
    ]
    lines += [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in score.findings]
    return "\n".join(lines) or "not resolved"


def render_junit(report: Report) -> str:
    suites = ET.Element("testsuites", name=f"harness run {report.run.id}")
    by_arm: dict[str, list[SampleScore]] = {}
    for sample in report.samples:
        by_arm.setdefault(sample.arm, []).append(sample)
    for arm, samples in by_arm.items():
        suite = ET.SubElement(
            suites, "testsuite", name=arm, tests=str(len(samples)),
            failures=str(sum(s.status == "scored" and not s.resolved for s in samples)),
            errors=str(sum(s.status == "errored" for s in samples)),
            skipped=str(sum(s.status == "skipped" for s in samples)),
        )  # fmt: skip
        for sample in samples:
            case = ET.SubElement(
                suite, "testcase", classname=f"{arm}.{sample.task_id}.{sample.starter}",
                name=f"{sample.task_id} on {sample.starter} epoch {sample.epoch}", time=f"{sample.duration_s + sample.score_s:.3f}",
            )  # fmt: skip
            if sample.status == "errored":
                error = ET.SubElement(
                    case, "error", message=sample.error.kind if sample.error else "errored"
                )
                error.text = sample.error.message if sample.error else ""
            elif sample.status == "skipped":
                ET.SubElement(
                    case, "skipped", message=sample.error.message if sample.error else "skipped"
                )
            elif not sample.resolved:
                failed = [c.id for c in sample.tests.cases if c.outcome != "passed"]
                codes = sorted({f.code for f in sample.findings})
                message = f"{sample.tests.passed}/{sample.tests.expected} tests; failing: {', '.join(failed) or '-'}; findings: {', '.join(codes) or '-'}"
                failure = ET.SubElement(case, "failure", message=message)
                failure.text = _failure_text(sample)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
