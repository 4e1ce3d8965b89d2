"""`harness compare`: two runs, or two arms of one, compared; a gate on regressions."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.cli.report import load_report
from harness.core.errors import InputError
from harness.core.files import write_atomic
from harness.core.schema import Report, SampleScore

if TYPE_CHECKING:
    from harness.compare.metrics import Comparison


def run(args: argparse.Namespace) -> int:

    from harness.compare.metrics import compare_samples, regressions
    from harness.compare.output import render_json, render_markdown, render_table

    base, head = _sides(args)
    try:
        comparison = compare_samples(
            base.samples, head.samples, base_label=base.label, head_label=head.label
        )
    except InputError as exc:
        sides = f"{args.base} and {args.head}" if args.head is not None else str(args.base)
        raise InputError(f"{sides}: {exc}") from exc
    found = regressions(comparison, **_drop_gates(args.eval))
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: render_json(comparison),
        "markdown": lambda: render_markdown(comparison),
        "html": lambda: comparison_html(comparison, found, (base, head), args.out),
    }
    if args.format == "table":
        render_table(comparison, Console())
    else:
        sys.stdout.write(renderers[args.format]())
    if args.out is not None:
        kind = {".json": "json", ".html": "html", ".htm": "html"}.get(args.out.suffix, "markdown")
        write_atomic(args.out, renderers[kind]())
    if not args.fail_on_regression:
        return EXIT_OK
    for side in (comparison.base, comparison.head):
        if side.scored == 0:
            raise InputError(
                f"--fail-on-regression: {side.label} has no scored sample ({side.samples} "
                "errored or skipped), so there is nothing to gate; rerun or resume it first"
            )
    for sentence in found:
        sys.stderr.write(f"regression: {sentence}\n")
    return EXIT_FAILED if found else EXIT_OK


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


@dataclass(frozen=True)
class CompareSide:
    """One side of a comparison as read from disk."""

    label: str
    samples: list[SampleScore]
    run_dir: Path
    report: Report
    arm: str


def _sides(args: argparse.Namespace) -> tuple[CompareSide, CompareSide]:
    """Base and head: the two arms of one run, or one arm of each of two runs (whose setups
    are checked for differences)."""
    from harness.report.reading import load_side

    if args.head is None:
        run_dir, report = load_report(args.base)
        arms = list(report.run.arms) or sorted({s.arm for s in report.samples})
        if len(arms) != 2 and not (args.base_arm and args.head_arm):
            raise InputError(
                f"{args.base}: one run compares its arms only when it has two (it has: "
                f"{', '.join(arms)}); give two runs, or --base-arm and --head-arm"
            )
        chosen = (args.base_arm or arms[0], args.head_arm or arms[1])
        labelled = [(arm, *load_side(args.base, arm)[:2]) for arm in chosen]
        base, head = (CompareSide(lb, ss, run_dir, report, arm) for arm, lb, ss in labelled)
        return base, head
    sides = []
    for path, arm in ((args.base, args.base_arm), (args.head, args.head_arm)):
        label, samples, report = load_side(path, arm)
        run_dir = load_report(path)[0]
        sides.append(CompareSide(label, samples, run_dir, report, _only_arm(samples)))
    base, head = sides
    if base.label == head.label:  # two runs of the same name: tell them apart by path
        base = replace(base, label=str(args.base))
        head = replace(head, label=str(args.head))
    differ = run_mismatches(base.report, head.report)
    for difference in differ:
        sys.stderr.write(f"warning: the runs differ in {difference}\n")
    if differ and args.fail_on_regression and not args.allow_mismatch:
        raise InputError(
            f"--fail-on-regression: the runs differ in {'; '.join(differ)}; compare runs "
            "of the same setup, or pass --allow-mismatch"
        )
    return base, head


def _only_arm(samples: list[SampleScore]) -> str:
    return samples[0].arm if samples else ""


def _drop_gates(eval_name: str | None) -> dict[str, float | None]:
    """The eval's point-estimate gates for comparisons (none without --eval)."""
    if not eval_name:
        return {"max_compliance_drop": None}
    from harness.cli.common import _repo_root
    from harness.run.evals import eval_path, load_eval

    gates = load_eval(eval_path(eval_name, _repo_root())).gates
    return {
        "max_compliance_drop": gates.max_compliance_drop,
        "max_resolved_drop": gates.max_resolved_drop,
        "max_test_pass_drop": gates.max_test_pass_drop,
    }


def comparison_html(
    comparison: Comparison,
    found: list[str],
    sides: tuple[CompareSide, CompareSide],
    out: Path | None,
) -> str:
    """The HTML page, with both prompts and links to both runs' reports (relative to `out`)."""
    from harness.compare.html import render_compare_html
    from harness.report.reading import load_prompt

    base, head = (load_prompt(s.run_dir, s.report, s.arm) for s in sides)
    links = tuple(_report_link(s.run_dir, out) for s in sides)
    return render_compare_html(
        comparison, regressions=found, prompts=(base, head), report_links=(links[0], links[1])
    )


def _report_link(run_dir: Path, out: Path | None) -> str | None:
    """A relative link from the comparison page to a run's report.html, when it exists."""
    page = run_dir / "report.html"
    if not page.is_file():
        return None
    start = (out.parent if out is not None else Path.cwd()).resolve()
    return Path(os.path.relpath(page.resolve(), start)).as_posix()
