"""The HTML report of a run: one self-contained file (inline CSS, SVG and a few lines of JS)
that opens from disk, for a person reviewing what a prompt made the model do.

Transcripts, workspaces and messages are hostile text: jinja2 autoescapes everything, and
the only markup passed through unescaped is what pygments and charts.py build (both escape
their input). Everything is bounded so a runaway sample cannot produce a huge page.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    highlight_lines,
    plain_id,
    recorded_tasks_dir,
    stored_diff,
    workspace_diff,
)
from harness.rules.catalog import CATALOG
from harness.scoring.score import OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG, aggregate
from harness.tasks.loader import Task, tasks_root
from harness.tasks.workspace import CHANGES_FILE

TEMPLATES = Path(__file__).parent / "templates"
MAX_TEXT_CHARS = 20_000
MAX_BLOCKS = 400
MAX_TRANSCRIPT_CHARS = 1_500_000  # per sample, over all its blocks
MAX_TRANSCRIPT_BYTES = 50_000_000
LONG_FIELD_CHARS = 100
CODE_FIELDS = ("file_text", "old_str", "new_str", "content")
COMPARISON_PAGE = "comparison.html"  # a two-arm run's arms compared, beside report.html
CODES = {info.slug: info.code for info in CATALOG} | {OUT_OF_SCOPE_SLUG: OUT_OF_SCOPE_CODE}


@dataclass(frozen=True)
class ToolField:
    """One input field of a tool call: short values inline, long ones as a code block."""

    name: str
    text: str
    html: Markup | None = None


@dataclass(frozen=True)
class Block:
    """A content block of a message. `kind`: text, thinking, tool_use, tool_result, other."""

    kind: str
    title: str = ""
    text: str = ""
    fields: list[ToolField] = field(default_factory=list)
    is_error: bool = False
    result: Block | None = None


@dataclass(frozen=True)
class Turn:
    role: str
    blocks: list[Block]


@dataclass(frozen=True)
class TranscriptView:
    system: str = ""
    turns: list[Turn] = field(default_factory=list)
    stop_reason: str = ""
    tool_calls: int = 0
    notes: list[str] = field(default_factory=list)


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


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """`text`, cut to `limit` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [truncated: {len(text) - limit:,} more characters]"


def finding_counts(score: SampleScore) -> str:
    """`ARCH101x4, ARCH501` (as on the console): the codes of a sample's findings, counted."""
    counts = Counter(f.code for f in score.findings)
    return ", ".join(f"{code}x{n}" if n > 1 else code for code, n in sorted(counts.items())) or "-"


def sample_dir(run_dir: Path, score: SampleScore) -> Path | None:
    return run_dir / sample_directory(score) if plain_id(score.task_id) else None


def _result_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return json.dumps(content, indent=2, default=str)
    parts = []
    for block in content:
        if not isinstance(block, dict):
            parts.append(str(block))
        elif block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        else:
            parts.append(f"[{block.get('type', '?')} block]")
    return "\n".join(parts)


def _tool_fields(value: Any) -> list[ToolField]:
    if not isinstance(value, dict):
        return [ToolField("input", clip(json.dumps(value, indent=2, default=str)))]
    path = str(value.get("path", "")) or "input.txt"
    fields = []
    for name, item in value.items():
        text = item if isinstance(item, str) else json.dumps(item, indent=2, default=str)
        if "\n" not in text and len(text) <= LONG_FIELD_CHARS:
            fields.append(ToolField(str(name), text))
            continue
        text = clip(text)
        lines = highlight_lines(text, path if name in CODE_FIELDS else "field.txt")
        fields.append(ToolField(str(name), text, Markup("\n".join(lines))))
    return fields


def _block(raw: Any, results: dict[str, dict]) -> Block:
    if not isinstance(raw, dict):
        return Block("text", text=clip(str(raw)))
    kind = raw.get("type")
    if kind == "text":
        return Block("text", text=clip(str(raw.get("text", ""))))
    if kind in ("thinking", "redacted_thinking"):
        return Block("thinking", title=str(kind), text=clip(str(raw.get("thinking", ""))))
    if kind == "tool_use":
        data = raw.get("input")
        summary = " ".join(
            str(data[k]) for k in ("command", "path") if isinstance(data, dict) and k in data
        )
        result = results.pop(str(raw.get("id")), None)
        return Block(
            "tool_use",
            title=clip(f"{raw.get('name', '?')} {summary}".strip(), 200),
            fields=_tool_fields(data),
            result=_block(result, {}) if result is not None else None,
        )
    if kind == "tool_result":
        text = clip(_result_text(raw.get("content", "")))
        first = text.strip().splitlines()[0] if text.strip() else "(empty)"
        return Block("tool_result", clip(first, 160), text, is_error=bool(raw.get("is_error")))
    return Block("other", title=str(kind), text=clip(json.dumps(raw, indent=2, default=str)))


def _size(block: Block | None) -> int:
    if block is None:
        return 0
    return len(block.text) + sum(len(f.text) for f in block.fields) + _size(block.result)


def _blocks_of(messages: list[dict], kind: str) -> list[dict]:
    return [
        block
        for message in messages
        if isinstance(message.get("content"), list)
        for block in message["content"]
        if isinstance(block, dict) and block.get("type") == kind
    ]


def transcript_view(data: Any) -> TranscriptView:
    """The turns of a transcript.json, each tool call paired with its result."""
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return TranscriptView(notes=["transcript.json is not a transcript; not shown"])
    messages = [m for m in data["messages"] if isinstance(m, dict)]
    results = {str(b.get("tool_use_id")): b for b in _blocks_of(messages, "tool_result")}
    paired = {str(b.get("id")) for b in _blocks_of(messages, "tool_use")}
    turns, count, size, notes = [], 0, 0, []
    for message in messages:
        content = message.get("content", "")
        raw_blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        blocks = []
        for raw in raw_blocks:
            is_result = isinstance(raw, dict) and raw.get("type") == "tool_result"
            if is_result and str(raw.get("tool_use_id")) in paired:
                continue  # shown with its call
            if count >= MAX_BLOCKS or size >= MAX_TRANSCRIPT_CHARS:
                notes.append(f"transcript truncated after {count} blocks ({size:,} characters)")
                break
            block = _block(raw, results)
            blocks.append(block)
            count, size = count + 1, size + _size(block)
        if blocks:
            turns.append(Turn(str(message.get("role", "?")), blocks))
        if notes:
            break
    return TranscriptView(
        system=clip(str(data.get("system", ""))),
        turns=turns,
        stop_reason=str(data.get("stop_reason", "")),
        tool_calls=int(data.get("tool_calls", 0) or 0),
        notes=notes,
    )


def load_transcript(directory: Path | None) -> TranscriptView:
    path = directory / "transcript.json" if directory else None
    if path is None or not path.is_file():
        return TranscriptView(notes=["no transcript recorded"])
    if path.stat().st_size > MAX_TRANSCRIPT_BYTES:
        return TranscriptView(
            notes=[f"transcript.json is {path.stat().st_size:,} bytes; not shown"]
        )
    try:
        return transcript_view(json.loads(path.read_text(encoding="utf-8", errors="replace")))
    except ValueError as exc:
        return TranscriptView(notes=[f"transcript.json is unreadable ({exc})"])


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
