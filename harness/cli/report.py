"""`harness report`, and the reports every run writes beside report.json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness.cli.exit_codes import EXIT_OK
from harness.core.errors import InputError
from harness.core.files import write_atomic
from harness.core.schema import Report
from harness.report.reading import read_report


def run(args: argparse.Namespace) -> int:
    run_dir, report = load_report(args.run_dir)
    if args.format == "html" and args.out is not None and run_dir is not None:
        from harness.report.html import write_html

        write_html(run_dir, report, args.out)  # streamed: a large run's page is never whole
        return EXIT_OK
    _emit(render(report, run_dir, args.format), args.out)
    return EXIT_OK


def load_report(path: Path) -> tuple[Path | None, Report]:
    """A run directory or a report.json: (the run directory, the report)."""
    file, report = read_report(path)
    return file.parent, report


def render(report: Report, run_dir: Path | None, fmt: str) -> str:
    """The report in `fmt`; file names that are not UTF-8 show as escapes, never fail."""
    text = _render(report, run_dir, fmt)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _render(report: Report, run_dir: Path | None, fmt: str) -> str:
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        from harness.report.markdown import render_summary

        return render_summary(report)
    if fmt == "junit":
        from harness.report.junit import render_junit

        return render_junit(report)
    if fmt == "sarif":
        from harness.report.sarif import run_sarif

        return json.dumps(run_sarif(report), indent=2) + "\n"
    from harness.report.html import render_html

    if run_dir is None:
        raise InputError("--format html needs the run directory (transcripts and workspaces)")
    return render_html(run_dir, report)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


def write_run_reports(run_dir: Path, report: Report) -> list[str]:
    """What `harness run` writes beside report.json; a writer's failure is a warning."""
    problems = []
    try:
        write_arm_comparison(run_dir, report)
    except Exception as exc:  # as below: report.json is safe; say what is missing
        problems.append(f"comparison.html not written: {type(exc).__name__}: {exc}")
    for name, fmt in (("report.html", "html"), ("summary.md", "markdown")):
        try:
            if fmt == "html":
                from harness.report.html import write_html

                write_html(run_dir, report)
                continue
            write_atomic(run_dir / name, render(report, run_dir, fmt))
        except Exception as exc:  # the run's results are safe in report.json already
            problems.append(f"{name} not written: {type(exc).__name__}: {exc}")
    return problems


def write_arm_comparison(run_dir: Path, report: Report) -> Path | None:
    """A two-arm run's arms compared (first arm as base), as comparison.html beside its
    report.html, which links it; None for other runs."""
    from harness.compare.html import write_compare_html
    from harness.compare.metrics import compare_samples, regressions
    from harness.report.html import COMPARISON_PAGE
    from harness.report.reading import load_prompt

    arms = list(dict.fromkeys([*report.run.arms, *(s.arm for s in report.samples)]))
    if len(arms) != 2:
        return None
    sides = [[s for s in report.samples if s.arm == arm] for arm in arms]
    if not all(sides):
        return None
    comparison = compare_samples(
        sides[0],
        sides[1],
        base_label=f"{report.run.id}/{arms[0]}",
        head_label=f"{report.run.id}/{arms[1]}",
    )
    base, head = (load_prompt(run_dir, report, arm) for arm in arms)
    return write_compare_html(
        run_dir / COMPARISON_PAGE,
        comparison,
        regressions=regressions(comparison, max_compliance_drop=None),
        prompts=(base, head),
        report_links=("report.html", "report.html"),
    )
