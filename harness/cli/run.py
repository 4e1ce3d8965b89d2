"""`harness run`: resolve the input, run the samples, write the reports, apply the gates."""

from __future__ import annotations

import argparse
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from harness.cli.common import _agents_dir, _repo_root, parse_starters
from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.errors import InputError

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


def run(args: argparse.Namespace) -> int:
    if args.resume is not None:
        _resume_into(args)
    suite = _apply_eval(args)
    _check_numbers(args)
    console = Console(stderr=False)
    options = _options(args, console)
    planned = _announce(options, console)
    from rich.progress import Progress

    from harness.report.console import render_report, sample_line
    from harness.run.runner import run_eval

    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("samples", total=len(planned))

        def on_sample(score) -> None:  # type: ignore[no-untyped-def]
            progress.console.print(sample_line(score))
            progress.advance(bar)

        report = run_eval(options, on_sample)
    render_report(report, console)
    return _finish(args, suite, options, report, console)


def _check_numbers(args: argparse.Namespace) -> None:
    """Defaults filled in, then every number checked before anything else happens."""
    from harness.run.evals import MAX_EPOCHS

    for key, value in RUN_DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if not args.agent:
        raise InputError("--agent is required (or --resume RUN_DIR to finish an earlier run)")
    if args.epochs < 1:
        raise InputError("--epochs must be at least 1")
    if args.epochs > MAX_EPOCHS:
        raise InputError(f"--epochs {args.epochs}: at most {MAX_EPOCHS} epochs per run")
    if args.max_connections < 1:
        raise InputError("--max-connections must be at least 1")
    if args.max_cost is not None and not (math.isfinite(args.max_cost) and args.max_cost >= 0):
        raise InputError(f"--max-cost {args.max_cost}: give a non-negative amount in USD")


def _options(args: argparse.Namespace, console: Console):  # type: ignore[no-untyped-def]
    """The run's options from the command line: agents, model and provider checked, tasks,
    starters and shard resolved, the run directory prepared and the invocation recorded."""
    from harness.agents.definition import load_agent
    from harness.providers.models import resolve_model
    from harness.providers.registry import parse_options, provider_info
    from harness.run.runner import RunOptions
    from harness.run.shards import parse_shard, shard_from_env
    from harness.tasks.loader import find_tasks, tasks_root

    agents = [load_agent(spec, _agents_dir()) for spec in args.agent]
    labels = [a.label for a in agents]
    if len(set(labels)) != len(labels):
        raise InputError(f"--agent given twice for the same arm: {', '.join(labels)}")
    unknown = [arm for arm in getattr(args, "gate_arm", []) if arm not in labels]
    if unknown:
        raise InputError(
            f"--gate-arm {unknown[0]}: not an arm of this run; its arms are {', '.join(labels)}"
        )
    for agent in agents:
        for warning in agent.warnings:
            console.print(f"[yellow]warning:[/] {warning}")
    model = resolve_model(args.model, agents[0])
    provider_options = parse_options(model, args.provider_option)
    provider_info(model).check(model, provider_options)  # a key, a CLI, a recorded run
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
    return RunOptions(
        agents, model, tasks, args.epochs, out, args.sandbox, not args.no_cache, args.max_cost,
        args.max_connections, not args.no_score, args.db, invocation, starters, shard,
        provider_options,
    )  # fmt: skip


def _announce(options, console: Console) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The samples this process runs, said before it starts; bad input if there are none."""
    from harness.providers.registry import provider_info
    from harness.run.plan import full_plan, plan

    whole, planned = full_plan(options), plan(options)
    if not whole:
        model = options.model
        raise InputError(
            f"no task of {options.invocation.get('tasks') or '*'} runs on starter(s) "
            f"{', '.join(options.starters)}"
            + (f" that {model} has an answer for" if provider_info(model).offline else "")
            + "; see `harness tasks show ID`"
        )
    _say_skipped(console, options, whole)
    if options.shard is not None:
        console.print(f"shard {options.shard}: {len(planned)} of the run's {len(whole)} samples")
    labels = [a.label for a in options.agents]
    console.print(
        f"running {len(planned)} sample(s): {', '.join(labels)} x {len(options.tasks)} task(s) "
        f"on {', '.join(dict.fromkeys(s.starter for s in planned))} x {options.epochs} "
        f"epoch(s), model {options.model}"
    )
    return planned


def _finish(args, suite, options, report, console: Console) -> int:  # type: ignore[no-untyped-def]
    """The reports beside report.json, what to do next, and the eval's gates."""
    from harness.cli.report import write_run_reports

    out = options.out_dir
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
    if suite is None or args.eval is None:  # the default suite's gates bind only when named
        return EXIT_OK
    if options.shard is not None:
        console.print(
            f"gates of eval {suite.name!r}: not checked on one shard; "
            f"`harness merge ... --eval {args.eval}` checks them on the whole run"
        )
        return EXIT_OK
    from harness.run.evals import arm_gate_failures

    failures = arm_gate_failures(suite.gates, report, args.gate_arm)
    for failure in failures:
        console.print(f"[red]gate failed ({suite.name}):[/] {failure}")
    if not failures:
        console.print(f"gates of eval {suite.name!r}: passed")
    return EXIT_FAILED if failures else EXIT_OK


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


def _absolute_agent_spec(spec: str, agent) -> str:  # type: ignore[no-untyped-def]
    """The agent as a path that still resolves when resumed from another directory."""
    source = Path(agent.source.partition("@")[0])
    _, sep, revision = spec.partition("@")
    return f"{source.resolve()}{sep}{revision}" if source.is_file() else spec


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
