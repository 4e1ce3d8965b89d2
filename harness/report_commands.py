"""The bodies of `harness report` and `harness compare`: load, render, write, exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness.errors import InputError
from harness.report.io import write_atomic
from harness.report.reading import read_report
from harness.report.schema import Report

EXIT_OK, EXIT_FAILED = 0, 1


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


def report_command(args: argparse.Namespace) -> int:
    run_dir, report = load_report(args.run_dir)
    _emit(render(report, run_dir, args.format), args.out)
    return EXIT_OK


def write_run_reports(run_dir: Path, report: Report) -> list[str]:
    """What `harness run` writes beside report.json; a writer's failure is a warning."""
    problems = []
    for name, fmt in (("report.html", "html"), ("summary.md", "markdown")):
        try:
            write_atomic(run_dir / name, render(report, run_dir, fmt))
        except Exception as exc:  # the run's results are safe in report.json already
            problems.append(f"{name} not written: {type(exc).__name__}: {exc}")
    return problems


def run_mismatches(base: Report, head: Report) -> list[str]:
    """What differs between two runs besides the prompt: model, tasks, starters, epochs,
    scoring version. A comparison across them measures more than the prompt."""
    fields = {
        "model": (base.run.model, head.run.model),
        "tasks": (sorted(base.run.tasks), sorted(head.run.tasks)),
        "starters": (base.run.starters, head.run.starters),
        "epochs": (base.run.epochs, head.run.epochs),
        "scoring version": (base.run.scoring_version, head.run.scoring_version),
    }
    return [f"{name} ({b} -> {h})" for name, (b, h) in fields.items() if b != h]


def compare_command(args: argparse.Namespace) -> int:
    from rich.console import Console

    from harness.report.compare import compare_samples, regressions
    from harness.report.compare_output import render_json, render_markdown, render_table
    from harness.report.reading import load_side

    if args.head is None:
        base_report = load_report(args.base)[1]
        arms = list(base_report.run.arms) or sorted({s.arm for s in base_report.samples})
        if len(arms) != 2 and not (args.base_arm and args.head_arm):
            raise InputError(
                f"{args.base}: one run compares its arms only when it has two (it has: "
                f"{', '.join(arms)}); give two runs, or --base-arm and --head-arm"
            )
        base_arm, head_arm = args.base_arm or arms[0], args.head_arm or arms[1]
        base_label, base, _ = load_side(args.base, base_arm)
        head_label, head, _ = load_side(args.base, head_arm)
    else:
        base_label, base, _ = load_side(args.base, args.base_arm)
        head_label, head, _ = load_side(args.head, args.head_arm)
        if base_label == head_label:  # two runs of the same name: tell them apart by path
            base_label, head_label = str(args.base), str(args.head)
        differ = run_mismatches(load_report(args.base)[1], load_report(args.head)[1])
        for difference in differ:
            sys.stderr.write(f"warning: the runs differ in {difference}\n")
        if differ and args.fail_on_regression and not args.allow_mismatch:
            raise InputError(
                f"--fail-on-regression: the runs differ in {'; '.join(differ)}; compare runs "
                "of the same setup, or pass --allow-mismatch"
            )
    try:
        comparison = compare_samples(base, head, base_label=base_label, head_label=head_label)
    except InputError as exc:
        sides = f"{args.base} and {args.head}" if args.head is not None else str(args.base)
        raise InputError(f"{sides}: {exc}") from exc
    if args.format == "table":
        render_table(comparison, Console())
    else:
        sys.stdout.write(
            render_markdown(comparison) if args.format == "markdown" else render_json(comparison)
        )
    if args.out is not None:
        text = (
            render_json(comparison) if args.out.suffix == ".json" else render_markdown(comparison)
        )
        write_atomic(args.out, text)
    if not args.fail_on_regression:
        return EXIT_OK
    for side in (comparison.base, comparison.head):
        if side.scored == 0:
            raise InputError(
                f"--fail-on-regression: {side.label} has no scored sample ({side.samples} "
                "errored or skipped), so there is nothing to gate; rerun or resume it first"
            )
    threshold = None
    if args.eval:
        from harness.commands import _repo_root
        from harness.evals import eval_path, load_eval

        threshold = load_eval(eval_path(args.eval, _repo_root())).gates.max_compliance_drop
    found = regressions(comparison, max_compliance_drop=threshold)
    for sentence in found:
        sys.stderr.write(f"regression: {sentence}\n")
    return EXIT_FAILED if found else EXIT_OK
