"""The bodies of `harness run`, `harness score` and `harness tasks`: resolve the input,
call the library, hand the result to a writer, return an exit code."""

from __future__ import annotations

import argparse
import math
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from harness.core.errors import InputError

EXIT_OK, EXIT_FAILED = 0, 1


def _agents_dir() -> Path:
    from harness.tasks.loader import tasks_root

    local = Path.cwd() / "agents"
    return local if local.is_dir() else tasks_root().parent / "agents"


INVOCATION_KEYS = (
    "shard",
    "provider_option",
    "agent",
    "model",
    "tasks",
    "starter",
    "epochs",
    "sandbox",
    "max_cost",
    "max_connections",
    "no_score",
    "no_cache",
    "db",
)
INVOCATION_TYPES: dict[str, tuple[type, ...]] = {
    "agent": (list,), "model": (str,), "tasks": (str,), "starter": (str,), "epochs": (int,),
    "sandbox": (str,),
    "max_cost": (int, float), "max_connections": (int,), "no_score": (bool,),
    "no_cache": (bool,), "db": (str,), "tasks_dir": (str,), "eval": (str,), "shard": (str,),
    "provider_option": (list,),
}  # fmt: skip
RUN_DEFAULTS: dict[str, object] = {
    "epochs": 1,
    "sandbox": "auto",
    "max_connections": 8,
    "db": "sqlite",
}


def _resume_into(args: argparse.Namespace) -> None:
    """Fill what the command line left out from the run's recorded invocation."""
    import os

    from harness.tasks.loader import TASKS_ENV

    identity = args.resume / "run.json"
    if not identity.is_file():
        raise InputError(f"--resume {args.resume}: no run.json there; give the directory of a run")
    recorded = _read_identity(identity)
    invocation = recorded.get("invocation") or {}
    if not isinstance(invocation, dict):
        raise InputError(f"{identity}: invocation is not a mapping; start a new run instead")
    for key, value in invocation.items():
        kinds = INVOCATION_TYPES.get(key)
        bad_type = kinds is not None and value is not None and not isinstance(value, kinds)
        if bad_type or (key == "agent" and not all(isinstance(a, str) for a in value or [])):
            raise InputError(
                f"{identity}: invocation.{key} is {value!r}, not a {kinds[0].__name__ if kinds else 'value'}; "
                f"resume with the original arguments and --out {args.resume}"
            )
    if not invocation:
        raise InputError(
            f"{identity}: records no invocation; resume with the original arguments and --out {args.resume}"
        )
    if args.out is not None and args.out.resolve() != args.resume.resolve():
        raise InputError("--resume and --out name different directories; give one")
    args.out = args.resume
    for key in INVOCATION_KEYS:
        if getattr(args, key, None) in (None, False, []) and invocation.get(key) is not None:
            setattr(args, key, invocation[key])
    if invocation.get("tasks_dir") and not os.environ.get(TASKS_ENV):
        os.environ[TASKS_ENV] = str(invocation["tasks_dir"])


def _read_identity(path: Path) -> dict:  # type: ignore[type-arg]
    """A run directory's run.json, which must be a JSON object."""
    import json

    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable ({exc}); start a new run instead") from exc
    if not isinstance(recorded, dict):
        raise InputError(
            f"{path}: not a run's identity (a JSON object); give a new --out or the right run"
        )
    return recorded


def _prepare_out(out: Path) -> None:
    """The run directory: created if new; an existing one must hold a readable run.json."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: a file, not a directory; give a run directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"--out {out}: cannot create ({exc.strerror}); give a directory that can be written"
        ) from exc
    if (out / "run.json").is_file():
        _read_identity(out / "run.json")


def _repo_root() -> Path:
    from harness.tasks.loader import tasks_root

    return Path.cwd() if (Path.cwd() / "evals").is_dir() else tasks_root().parent


def _apply_eval(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Fill what the command line left out from the eval suite (--eval, else evals/default)."""
    from harness.run.evals import DEFAULT_EVAL, eval_path, load_eval

    path = eval_path(args.eval or DEFAULT_EVAL, _repo_root())
    if args.eval is None and not path.is_file():
        return None
    suite = load_eval(path)
    args.agent = args.agent or list(suite.agents)
    args.model = args.model or suite.model
    if args.tasks is None:
        args.tasks = suite.task_pattern
    if args.starter is None and suite.starters:
        args.starter = ",".join(suite.starters)
    if args.epochs is None:
        args.epochs = suite.epochs
    return suite


def parse_starters(text: str | None, option: str = "--starter") -> tuple[str, ...]:
    """Starter names, comma-separated, each one the tasks folder has; None: all of them."""
    from harness.tasks.loader import known_starters, tasks_root

    known = known_starters(tasks_root())
    if text is None:
        return tuple(known)
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise InputError(
            f"{option} {text!r}: unknown starter {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(known)}"
        )
    return names


def _absolute_agent_spec(spec: str, agent) -> str:  # type: ignore[no-untyped-def]
    """The agent as a path that still resolves when resumed from another directory."""
    source = Path(agent.source.partition("@")[0])
    _, sep, revision = spec.partition("@")
    return f"{source.resolve()}{sep}{revision}" if source.is_file() else spec


def run_command(args: argparse.Namespace) -> int:
    from harness.agents.definition import load_agent
    from harness.providers.models import resolve_model
    from harness.providers.registry import parse_options, provider_info
    from harness.report.console import render_report, sample_line
    from harness.run.runner import RunOptions, run_eval
    from harness.run.shards import parse_shard, shard_from_env
    from harness.tasks.loader import find_tasks, tasks_root

    if args.resume is not None:
        _resume_into(args)
    suite = _apply_eval(args)
    for key, value in RUN_DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if not args.agent:
        raise InputError("--agent is required (or --resume RUN_DIR to finish an earlier run)")
    if args.epochs < 1:
        raise InputError("--epochs must be at least 1")
    from harness.run.evals import MAX_EPOCHS

    if args.epochs > MAX_EPOCHS:
        raise InputError(f"--epochs {args.epochs}: at most {MAX_EPOCHS} epochs per run")
    if args.max_connections < 1:
        raise InputError("--max-connections must be at least 1")
    if args.max_cost is not None and not (math.isfinite(args.max_cost) and args.max_cost >= 0):
        raise InputError(f"--max-cost {args.max_cost}: give a non-negative amount in USD")
    agents = [load_agent(spec, _agents_dir()) for spec in args.agent]
    labels = [a.label for a in agents]
    if len(set(labels)) != len(labels):
        raise InputError(f"--agent given twice for the same arm: {', '.join(labels)}")
    unknown = [arm for arm in getattr(args, "gate_arm", []) if arm not in labels]
    if unknown:
        raise InputError(
            f"--gate-arm {unknown[0]}: not an arm of this run; its arms are {', '.join(labels)}"
        )
    console = Console(stderr=False)
    for agent in agents:
        for warning in agent.warnings:
            console.print(f"[yellow]warning:[/] {warning}")
    model = resolve_model(args.model, agents[0])
    provider = provider_info(model)
    provider_options = parse_options(model, args.provider_option)
    provider.check(model, provider_options)  # a key, a CLI, a recorded run: before any work
    tasks = find_tasks(args.tasks)
    starters = parse_starters(args.starter)
    shard = parse_shard(args.shard) if args.shard else shard_from_env(os.environ)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = (
        args.out
        or Path("runs") / f"{stamp}-{agents[0].name}-{model.replace(':', '-').replace('/', '_')}"
    )
    _prepare_out(out)
    invocation = {
        "eval": args.eval,
        "agent": [_absolute_agent_spec(spec, a) for spec, a in zip(args.agent, agents, strict=True)],
        "model": model, "tasks": args.tasks, "starter": args.starter, "epochs": args.epochs,
        "sandbox": args.sandbox,
        "max_cost": args.max_cost, "max_connections": args.max_connections, "db": args.db,
        "no_score": args.no_score, "no_cache": args.no_cache, "tasks_dir": str(tasks_root().resolve()),
        "shard": None if shard is None else str(shard),
        "provider_option": args.provider_option or None,
    }  # fmt: skip
    options = RunOptions(
        agents, model, tasks, args.epochs, out, args.sandbox, not args.no_cache, args.max_cost,
        args.max_connections, not args.no_score, args.db, invocation, starters, shard,
        provider_options,
    )  # fmt: skip
    from harness.run.plan import full_plan, plan

    planned = plan(options)
    total = len(planned)
    if not full_plan(options):
        raise InputError(
            f"no task of {args.tasks or '*'} runs on starter(s) {', '.join(starters)}"
            + (f" that {model} has an answer for" if provider.offline else "")
            + "; see `harness tasks show ID`"
        )
    _say_skipped(console, options, full_plan(options))
    if shard is not None:
        console.print(f"shard {shard}: {total} of the run's {len(full_plan(options))} samples")
    console.print(
        f"running {total} sample(s): {', '.join(labels)} x {len(tasks)} task(s) on "
        f"{', '.join(dict.fromkeys(s.starter for s in planned))} x {args.epochs} epoch(s), "
        f"model {model}"
    )
    from rich.progress import Progress

    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("samples", total=total)

        def on_sample(score) -> None:  # type: ignore[no-untyped-def]
            progress.console.print(sample_line(score))
            progress.advance(bar)

        report = run_eval(options, on_sample)
    render_report(report, console)
    from harness.cli.reports import write_run_reports

    for problem in write_run_reports(out, report):
        console.print(f"[yellow]warning:[/] {problem}")
    console.print(
        f"report: {out / 'report.json'} (and {out / 'report.html'}, {out / 'summary.md'})"
    )
    if report.aggregates.skipped:
        console.print(f"resume with: harness run --resume {out}")
    if report.aggregates.resolved_rate is None and report.aggregates.errored:
        console.print(
            f"[red]nothing was scored[/]: all {report.aggregates.errored} sample(s) errored "
            f"(see their error in {out / 'report.json'}); resume with: harness run --resume {out}"
        )
        return EXIT_FAILED
    if suite is not None and args.eval is not None and shard is not None:
        console.print(
            f"gates of eval {suite.name!r}: not checked on one shard; "
            f"`harness merge ... --eval {args.eval}` checks them on the whole run"
        )
    elif (
        suite is not None and args.eval is not None
    ):  # the default suite's gates bind only when named
        from harness.run.evals import arm_gate_failures

        failures = arm_gate_failures(suite.gates, report, args.gate_arm)
        for failure in failures:
            console.print(f"[red]gate failed ({suite.name}):[/] {failure}")
        if failures:
            return EXIT_FAILED
        console.print(f"gates of eval {suite.name!r}: passed")
    return EXIT_OK


def _say_skipped(console: Console, options, planned) -> None:  # type: ignore[no-untyped-def]
    """A provider that answers only some tasks (`oracle:<flaw>` runs where the flaw exists):
    name the task x starter pairs left out."""
    ran = {(s.task.id, s.starter) for s in planned}
    left = [
        f"{t.id}@{s}"
        for t in options.tasks
        for s in options.starters
        if s in t.starters and (t.id, s) not in ran
    ]
    if left:
        console.print(
            f"skipped ({options.model} has no answer there): {', '.join(left)}",
            markup=False,
            highlight=False,
        )


def score_command(args: argparse.Namespace) -> int:
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


def task_starter(task, given: str) -> str:  # type: ignore[no-untyped-def]
    """One starter name, known and one that the task runs on."""
    names = parse_starters(given)
    if len(names) != 1:
        raise InputError(f"--starter {given}: name one starter here")
    if names[0] not in task.starters:
        raise InputError(
            f"--starter {names[0]}: task {task.id} runs on {', '.join(task.starters)} only"
        )
    return names[0]


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


def tasks_command(args: argparse.Namespace) -> int:
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


def _one(task_id: str):  # type: ignore[no-untyped-def]
    from harness.tasks.loader import find_tasks

    tasks = [t for t in find_tasks(task_id) if t.id == task_id]
    if not tasks:
        raise InputError(f"unknown task {task_id!r}; see `harness tasks list`")
    return tasks


__all__ = ["run_command", "score_command", "tasks_command"]
