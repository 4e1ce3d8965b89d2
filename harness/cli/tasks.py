"""`harness tasks list|show|init|validate|coverage`."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from harness.cli.common import _one, parse_starters, task_starter
from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.errors import InputError


def run(args: argparse.Namespace) -> int:
    from harness.tasks.loader import find_tasks

    console = Console()
    if args.tasks_command == "list":
        for task in find_tasks():
            console.print(
                f"{task.id:<24} {task.spec.category:<10} {len(task.contract.cases):>2} cases  {task.spec.title}"
            )
        return EXIT_OK
    if args.tasks_command == "show":
        [task] = _one(args.id)
        spec = task.spec
        console.print(f"[bold]{spec.id}[/]: {spec.title} ({spec.category})\n")
        console.print(spec.statement, markup=False, highlight=False)
        console.print("[bold]Exercises:[/] ", end="")
        console.print(spec.exercises, markup=False)
        console.print("[bold]Starters and the rules they tempt[/] (proven by the flaws named):")
        for starter in task.starters:
            for line in tempting_lines(task, starter):
                console.print(f"  {line}", markup=False, highlight=False)
        limits = spec.limits
        console.print(
            f"[bold]Limits:[/] {limits.turns} turns, {limits.wall_seconds:.0f} s, tests {limits.test_seconds:.0f} s"
        )
        console.print("[bold]Cases:[/]")
        for case in task.contract.cases:
            console.print(f"  {case.id}: {case.description}", markup=False)
        for starter in task.solutions:
            console.print(f"[bold]Solutions on {starter}:[/]")
            for line in solution_lines(task, starter):
                console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK
    if args.tasks_command == "coverage":
        from harness.core.files import write_atomic
        from harness.tasks.coverage import render_markdown, shortfalls

        tasks = find_tasks()
        text = render_markdown(tasks)
        if args.out is not None:
            write_atomic(args.out, text)
        else:
            sys.stdout.write(text)
        for problem in shortfalls(tasks):
            Console(stderr=True).print(f"[yellow]short:[/] {problem}", markup=True)
        return EXIT_FAILED if shortfalls(tasks) else EXIT_OK
    if args.tasks_command == "init":
        from harness.tasks.workspace import render_workspace

        [task] = _one(args.id)
        starter = task_starter(task, args.starter)
        if args.dir.exists() and any(args.dir.iterdir()):
            raise InputError(f"{args.dir}: not empty; give a new or empty directory")
        render_workspace(task, starter, args.dir, with_statement=True)
        console.print(
            f"wrote {task.id} on the {starter} starter to {args.dir} (statement in TASK.md)"
        )
        console.print(
            f"score it with: harness score --task {task.id} --starter {starter} {args.dir}"
        )
        return EXIT_OK
    from harness.run.validate import validate_task

    tasks = find_tasks(",".join(args.ids) if args.ids else None)
    starters = parse_starters(args.starter)
    failed = 0
    for task in tasks:
        for check in validate_task(task, args.sandbox, args.db, starters):
            mark = "[green]ok[/]" if check.ok else "[red]FAIL[/]"
            console.print(
                f"{mark} {check.task_id} {check.starter} {check.solution}"
                + "".join(f"\n     {p}" for p in check.problems)
            )
            failed += not check.ok
    console.print(f"{len(tasks)} task(s) validated, {failed} problem(s)")
    return EXIT_FAILED if failed else EXIT_OK


def solution_lines(task, starter: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The reference, the alternatives and the flaws of a starter, a line each; a flaw says
    what it trips and, in its own words, what it does."""
    from harness.tasks.loader import REFERENCE

    named = task.solutions.get(starter, {})
    alts = sorted(n for n in named if n.startswith("alt-"))
    lines = [f"reference: {'yes' if REFERENCE in named else 'MISSING'}"]
    lines.append(f"alternatives: {', '.join(alts) or '-'}")
    for name, flaw in sorted(task.flaws.get(starter, {}).items()):
        trips = [*flaw.rules, *flaw.failing_cases]
        if flaw.missing_entry_point:
            trips.append("missing entry point")
        about = " ".join(flaw.description.split())
        lines.append(f"flaw {name} [{', '.join(trips)}]" + (f": {about}" if about else ""))
    return lines


def tempting_lines(task, starter: str) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per rule the task tempts on a starter, with the flaws that prove it caught."""
    flaws = task.flaws.get(starter, {})
    tempted = task.spec.tempted_on(starter)
    codes = sorted({*tempted, *(c for f in flaws.values() for c in f.rules)})
    lines = [f"{starter}:"]
    for code in codes:
        proving = sorted(name for name, f in flaws.items() if code in f.rules)
        how = tempted.get(code) or "(not described)"
        caught = f"caught by {', '.join(proving)}" if proving else "no flaw proves it yet"
        lines.append(f"  {code}: {how}; {caught}")
    return lines if codes else [f"{starter}: no rule tempted"]
