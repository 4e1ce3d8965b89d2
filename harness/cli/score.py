"""`harness score`: one workspace scored against a task."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from harness.cli.common import _one, task_starter
from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.errors import InputError


def run(args: argparse.Namespace) -> int:
    from harness.grading.grader import grade_workspace
    from harness.report.console import render_score

    if not args.workspace.is_dir():
        raise InputError(f"{args.workspace}: not a directory; pass the workspace to score")
    [task] = _one(args.task)
    starter = _workspace_starter(task, args.workspace, args.starter)
    score = grade_workspace(task, starter, args.workspace, sandbox=args.sandbox, db=args.db)
    if args.format == "json":
        sys.stdout.write(score.model_dump_json(indent=2) + "\n")
    else:
        render_score(score, Console())
    return EXIT_OK if score.resolved else EXIT_FAILED


def _workspace_starter(task, workspace: Path, given: str | None) -> str:  # type: ignore[no-untyped-def]
    """The starter named, else the one whose files the workspace shares most of."""
    from harness.grading.grader import starter_snapshot
    from harness.tasks.workspace import snapshot

    if given is not None:
        return task_starter(task, given)
    files = snapshot(workspace)

    def shared(starter: str) -> int:
        before = starter_snapshot(task, starter)
        return sum(files.get(path) == digest for path, digest in before.items()) - len(
            before.keys() - files.keys()
        )

    return max(task.starters, key=shared)
