"""Source views for the HTML report: a sample's workspace against its task's starter, and
the lines around a finding, highlighted by pygments with inline styles.

A workspace is what a model wrote: file names and contents are hostile text. pygments escapes
what it highlights; symlinks are never followed (one could point at any file of the machine
that renders the report) and paths that leave the workspace are refused.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_for_filename
from pygments.util import ClassNotFound

from harness.core.errors import HarnessError
from harness.core.schema import FindingOut
from harness.tasks.loader import Task, load_task
from harness.tasks.workspace import (
    CHANGES_FILE,
    STARTER_COPY,
    changed_files,
    snapshot,
    starter_snapshot,
)

MAX_FILE_BYTES = 400_000
MAX_DIFF_ROWS = 1_500
MAX_FILES = 80
CONTEXT_LINES = 3
FORMATTER = HtmlFormatter(noclasses=True, nowrap=True, style="default")

RowKind = Literal["hunk", "context", "added", "deleted"]


@dataclass(frozen=True)
class DiffRow:
    """One line of a unified diff: its kind, old and new line numbers, highlighted HTML."""

    kind: RowKind
    old: int | None
    new: int | None
    html: str


@dataclass(frozen=True)
class FileDiff:
    """A changed file: `change` is added/modified/deleted; `note` says why rows are missing."""

    path: str
    change: str
    rows: list[DiffRow] = field(default_factory=list)
    note: str = ""
    added: int = 0
    deleted: int = 0


@dataclass(frozen=True)
class SourceLine:
    number: int
    html: str
    marked: bool


@dataclass(frozen=True)
class FindingView:
    """A finding with the lines around it, or a note saying why they are missing."""

    finding: FindingOut
    lines: list[SourceLine]
    note: str = ""


@dataclass(frozen=True)
class SourceText:
    """A file read for display: its lines (highlighted) or a note saying why there are none."""

    lines: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    note: str = ""


def highlight_lines(text: str, path: str) -> list[str]:
    """The HTML of each line of `text`, highlighted as the language its name suggests."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        lexer = get_lexer_for_filename(path, stripnl=False, stripall=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    count = len(text.split("\n"))
    lines = highlight(text, lexer, FORMATTER).split("\n")
    return (lines + [""] * count)[:count]


def read_source(root: Path, relative: str) -> SourceText:
    """A file under `root`, highlighted; a note instead for links, binaries and huge files."""
    path = root / relative
    try:
        if path.is_symlink():
            return SourceText(note=f"a symbolic link to {os.readlink(path)}; not followed")
        if not path.resolve().is_relative_to(root.resolve()):
            return SourceText(note="outside the workspace; not shown")
        if not path.is_file():
            return SourceText(note="not in the workspace")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return SourceText(note=f"{size:,} bytes: too large to show")
        data = path.read_bytes()
    except OSError as exc:
        return SourceText(note=f"unreadable ({exc.strerror or exc})")
    if b"\0" in data:
        return SourceText(note="binary file")
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return SourceText()
    if text.endswith("\n"):
        text = text[:-1]
    return SourceText(lines=highlight_lines(text, relative), raw=text.split("\n"))


def excerpt(source: SourceText, line: int, context: int = CONTEXT_LINES) -> list[SourceLine]:
    """The lines around 1-based `line`, with that line marked."""
    start = max(1, line - context)
    stop = min(len(source.lines), line + context)
    return [SourceLine(n, source.lines[n - 1], n == line) for n in range(start, stop + 1)]


def _rows(
    old: list[str], new: list[str], old_html: list[str], new_html: list[str]
) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old, new)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first, last = group[0], group[-1]
        old_span, new_span = last[2] - first[1], last[4] - first[3]
        header = f"@@ -{first[1] + 1},{old_span} +{first[3] + 1},{new_span} @@"
        rows.append(DiffRow("hunk", None, None, header))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [
                    DiffRow("context", i + 1, j1 + i - i1 + 1, old_html[i]) for i in range(i1, i2)
                ]
                continue
            rows += [DiffRow("deleted", i + 1, None, old_html[i]) for i in range(i1, i2)]
            rows += [DiffRow("added", None, j + 1, new_html[j]) for j in range(j1, j2)]
    return rows


def file_diff(
    path: str, change: str, before: SourceText | None, after: SourceText | None
) -> FileDiff:
    """The unified diff (difflib's hunks) of one file between two highlighted versions."""
    note = (before.note if before else "") or (after.note if after else "")
    if note:
        return FileDiff(path, change, note=note)
    before, after = before or SourceText(), after or SourceText()
    rows = _rows(before.raw, after.raw, before.lines, after.lines)
    if not rows:
        return FileDiff(path, change, note="empty file" if not after.raw else "no textual change")
    added = sum(r.kind == "added" for r in rows)
    deleted = sum(r.kind == "deleted" for r in rows)
    if len(rows) > MAX_DIFF_ROWS:
        shown = MAX_DIFF_ROWS
        return FileDiff(
            path,
            change,
            rows[:shown],
            f"diff truncated: {len(rows) - shown:,} more lines",
            added,
            deleted,
        )
    return FileDiff(path, change, rows, "", added, deleted)


def workspace_diff(task: Task, starter: str, workspace: Path) -> tuple[list[FileDiff], str]:
    """Every file the sample added, changed or deleted against the task's starter, and a note
    when the list is cut short."""
    before, origin = starter_snapshot(task, starter)
    changes = changed_files(before, snapshot(workspace))
    diffs = []
    for path, change in list(changes.items())[:MAX_FILES]:
        old = read_source(origin[path], path) if change != "added" else None
        new = read_source(workspace, path) if change != "deleted" else None
        diffs.append(file_diff(path, change, old, new))
    note = (
        f"{len(changes) - MAX_FILES} more changed files not shown"
        if len(changes) > MAX_FILES
        else ""
    )
    return diffs, note


def stored_diff(directory: Path, workspace: Path) -> tuple[list[FileDiff], str]:
    """The sample's changes from its own folder alone: the list the runner stored at scoring
    time, the starter's versions it kept, and the workspace as the model left it."""
    try:
        changes = json.loads((directory / CHANGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [], f"{CHANGES_FILE} unreadable ({exc}); no diff shown"
    if not isinstance(changes, dict):
        return [], f"{CHANGES_FILE} is not a mapping; no diff shown"
    diffs = []
    for path, change in list(changes.items())[:MAX_FILES]:
        old = read_source(directory / STARTER_COPY, path) if change != "added" else None
        new = read_source(workspace, path) if change != "deleted" else None
        diffs.append(file_diff(str(path), str(change), old, new))
    more = len(changes) - MAX_FILES
    return diffs, f"{more} more changed files not shown" if more > 0 else ""


def plain_id(name: str) -> bool:
    """Whether a task id from a report can name a folder without leaving its parent."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def recorded_tasks_dir(run_dir: Path) -> Path | None:
    """The tasks folder the run used, from run.json's invocation."""
    try:
        run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        return Path(run["invocation"]["tasks_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_task(task_id: str, roots: list[Path]) -> tuple[Task | None, str]:
    """The task from the first root that has it (the run's own tasks folder first), and a
    note whenever that is not the run's own folder or no folder has it."""
    if not plain_id(task_id):
        return None, f"task id {task_id!r} is not a folder name; the workspace diff is skipped"
    problems = []
    for index, root in enumerate(roots):
        if not (root / task_id / "task.yaml").is_file():
            continue
        try:
            task = load_task(root / task_id)
        except (HarnessError, OSError) as exc:
            problems.append(str(exc))
            continue
        if index == 0:
            return task, ""
        return task, f"starter read from {root}: the run's tasks folder no longer has {task_id!r}"
    if problems:
        return None, f"task {task_id!r} unreadable ({problems[0]}); the workspace diff is skipped"
    where = ", ".join(str(r) for r in roots) or "no tasks folder"
    return None, f"task folder {task_id!r} not found in {where}; the workspace diff is skipped"


def finding_views(findings: list[FindingOut], workspace: Path | None) -> list[FindingView]:
    """Each finding with the lines around it, each file read once."""
    sources: dict[str, SourceText] = {}
    views = []
    for finding in findings:
        if workspace is None or not workspace.is_dir():
            views.append(FindingView(finding, [], "workspace not available"))
            continue
        if finding.path not in sources:
            sources[finding.path] = read_source(workspace, finding.path)
        source = sources[finding.path]
        views.append(FindingView(finding, excerpt(source, finding.line), source.note))
    return views
