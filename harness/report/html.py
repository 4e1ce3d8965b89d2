"""The HTML report of a run: one self-contained file (inline CSS, SVG and a few lines of JS)
that opens from disk, for a person reviewing what a prompt made the model do.

Transcripts, workspaces and messages are hostile text: jinja2 autoescapes everything, and
the only markup passed through unescaped is what pygments and charts.py build (both escape
their input). Everything is bounded so a runaway sample cannot produce a huge page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from harness.core.files import write_atomic_chunks
from harness.core.layout import sample_directory
from harness.core.schema import Aggregates, Report, SampleScore
from harness.report.anchors import sample_anchor
from harness.report.charts import (
    Bar,
    HeatCell,
    bar_chart_svg,
    grouped_bar_chart_svg,
    heatmap_svg,
    percent,
)
from harness.report.diff import (
    FileDiff,
    FindingView,
    find_task,
    finding_views,
    plain_id,
    recorded_tasks_dir,
    stored_diff,
    workspace_diff,
)
from harness.report.transcript import (
    TranscriptView,
    clip,
    load_transcript,
)
from harness.rules.catalog import CATALOG
from harness.rules.out_of_scope import OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG
from harness.scoring.score import aggregate
from harness.tasks.loader import Task, tasks_root
from harness.tasks.workspace import CHANGES_FILE

TEMPLATES = Path(__file__).parent / "templates"
COMPARISON_PAGE = "comparison.html"  # a two-arm run's arms compared, beside report.html
CODES = {info.slug: info.code for info in CATALOG} | {OUT_OF_SCOPE_SLUG: OUT_OF_SCOPE_CODE}


@dataclass(frozen=True)
class SampleView:
    score: SampleScore
    anchor: str
    statement: str
    transcript: TranscriptView
    diffs: list[FileDiff]
    diff_note: str
    findings: list[FindingView]
    task_note: str = ""


@dataclass(frozen=True)
class SampleRow:
    """A sample's line in the summary table: its score and its section's anchor."""

    score: SampleScore
    anchor: str


class SampleViews:
    """The samples' detail views, built one at a time as the template iterates over them."""

    def __init__(self, run_dir: Path, rows: list[SampleRow], tasks: dict[str, Task | None]):
        self.run_dir, self.rows, self.tasks = run_dir, rows, tasks

    def __iter__(self) -> Iterator[SampleView]:
        for row in self.rows:
            yield sample_view(self.run_dir, row.score, row.anchor, self.tasks[row.score.task_id])

    def __len__(self) -> int:
        return len(self.rows)


def finding_counts(score: SampleScore) -> str:
    """`ARCH101x4, ARCH501` (as on the console): the codes of a sample's findings, counted."""
    counts = Counter(f.code for f in score.findings)
    return ", ".join(f"{code}x{n}" if n > 1 else code for code, n in sorted(counts.items())) or "-"


def sample_dir(run_dir: Path, score: SampleScore) -> Path | None:
    return run_dir / sample_directory(score) if plain_id(score.task_id) else None


def sample_view(
    run_dir: Path, score: SampleScore, anchor: str, found: tuple[Task | None, str]
) -> SampleView:
    """Everything the report shows of one sample, read from its folder in the run.

    Args:
        found: the sample's task (None when its folder is gone) and a note about it.
    """
    directory = sample_dir(run_dir, score)
    workspace = directory / "workspace" if directory else None
    task, task_note = found
    transcript = load_transcript(directory)
    diffs, diff_note = [], ""
    if directory is not None and workspace is not None and (directory / CHANGES_FILE).is_file():
        diffs, diff_note = stored_diff(directory, workspace)  # the run's own record
        task_note = ""
    elif task is not None and workspace is not None and workspace.is_dir():
        diffs, diff_note = workspace_diff(task, score.starter, workspace)
        task_note = " ".join(
            n for n in (task_note, "this run predates stored diffs: the starter was read "
                        "from the tasks folder") if n
        )  # fmt: skip
    elif task is not None:
        diff_note = "no workspace recorded for this sample"
    statement = ""
    if transcript.turns and transcript.turns[0].role == "user":
        statement = transcript.turns[0].blocks[0].text  # what the model was given
    if not statement and task is not None:
        statement = task.spec.statement
    return SampleView(
        score=score,
        anchor=anchor,
        statement=clip(statement),
        transcript=transcript,
        diffs=diffs,
        diff_note=diff_note,
        findings=finding_views(score.findings, workspace),
        task_note=task_note,
    )


def _row_label(score: SampleScore, starters: int, arms: int) -> str:
    parts = [score.task_id]
    if starters > 1:
        parts.append(score.starter)
    if arms > 1:
        parts.append(score.arm)
    return " · ".join(parts)


def _heatmap(report: Report, slugs: list[str]) -> str:
    """Rows by task (then starter and arm, when a run has several, so they sit together)."""
    arms = len({s.arm for s in report.samples})
    starters = len({s.starter for s in report.samples})
    order = {t: i for i, t in enumerate(report.run.tasks)}
    ranked = sorted(report.samples, key=lambda s: order.get(s.task_id, len(order)))
    rows = list(dict.fromkeys(_row_label(s, starters, arms) for s in ranked))
    cells: dict[tuple[str, str], HeatCell] = {}
    for s in report.samples:
        if s.status != "scored":
            continue
        row = _row_label(s, starters, arms)
        for slug in slugs:
            clean, scored = cells.get((row, slug), HeatCell(0, 0))
            dirty = any(f.rule == slug for f in s.findings)
            cells[(row, slug)] = HeatCell(clean + (not dirty), scored + 1)
    return heatmap_svg(rows, [(slug, CODES.get(slug, slug)) for slug in slugs], cells)


def _arm_compliance_bars(per_arm: dict[str, Aggregates]) -> str:
    """One group per rule, one bar per arm, each bar named by its arm."""
    slugs = list(next(iter(per_arm.values())).rule_compliance)
    groups = [
        (
            f"{CODES.get(slug, '')} {slug}".strip(),
            [Bar("", a.rule_compliance.get(slug), arm) for arm, a in per_arm.items()],
        )
        for slug in slugs
    ]
    return grouped_bar_chart_svg(groups)


def _compliance_bars(rates: dict[str, float | None]) -> str:
    bars = [
        Bar(f"{CODES.get(slug, '')} {slug}".strip(), rate)
        for slug, rate in rates.items()
        if rate is not None  # nothing scored: no bar, the headline says n/a
    ]
    return bar_chart_svg(bars)


def page_context(run_dir: Path, report: Report) -> dict[str, Any]:
    """The template's variables: headline figures, charts, and one view per sample."""
    slugs = list(report.aggregates.rule_compliance)
    catalog_slugs = [s for s in slugs if s != OUT_OF_SCOPE_SLUG]
    arms = sorted({s.arm for s in report.samples}, key=[s.arm for s in report.samples].index)
    per_arm = {
        arm: aggregate([s for s in report.samples if s.arm == arm], catalog_slugs) for arm in arms
    }
    recorded = recorded_tasks_dir(run_dir)
    roots = list(dict.fromkeys(r for r in (recorded, tasks_root()) if r is not None))
    anchors: Counter[str] = Counter()
    tasks = {t: find_task(t, roots) for t in dict.fromkeys(s.task_id for s in report.samples)}
    rows = []
    for score in report.samples:
        anchor = sample_anchor(score)
        anchors[anchor] += 1
        if anchors[anchor] > 1:
            anchor = f"{anchor}-{anchors[anchor]}"
        rows.append(SampleRow(score, anchor))
    return {
        "report": report,
        "run": report.run,
        "agg": report.aggregates,
        "arms": report.run.arms or {report.run.agent.name: report.run.agent},
        "per_arm": per_arm if len(arms) > 1 else {},
        "per_starter": report.by_starter if len(report.by_starter) > 1 else {},
        "codes": CODES,
        "heatmap": Markup(_heatmap(report, slugs)),
        "compliance_chart": Markup(
            _arm_compliance_bars(per_arm)
            if len(arms) > 1
            else _compliance_bars(report.aggregates.rule_compliance)
        ),
        "comparison_link": COMPARISON_PAGE
        if len(arms) == 2 and (run_dir / COMPARISON_PAGE).is_file()
        else None,
        "rows": rows,
        "samples": SampleViews(run_dir, rows, tasks),
    }


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = percent
    env.filters["num"] = lambda value: f"{value:,}"
    env.filters["clip"] = clip
    env.filters["finding_counts"] = finding_counts
    return env


def render_html(run_dir: Path, report: Report) -> str:
    """The run's report as one self-contained HTML page."""
    return "".join(stream_html(run_dir, report))


def stream_html(run_dir: Path, report: Report) -> Iterator[str]:
    """The page piece by piece: each sample's view (transcript, diffs) is built as it is
    written and then dropped, so memory does not grow with the number of samples."""
    template = environment().get_template("report.html.j2")
    for chunk in template.generate(**page_context(run_dir, report)):
        yield chunk.encode("utf-8", "backslashreplace").decode("utf-8")


def write_html(run_dir: Path, report: Report, out: Path | None = None) -> Path:
    """Render the report and write it atomically (default: `<run_dir>/report.html`)."""
    path = out or run_dir / "report.html"
    write_atomic_chunks(path, stream_html(run_dir, report))
    return path
