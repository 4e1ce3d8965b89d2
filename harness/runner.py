"""`run_eval()`: samples (arm x task x epoch) from workspace to score, into a run directory.

Run directory layout:
    events.jsonl                       one line per finished sample (append-only, fsynced)
    report.json                        the versioned report (written atomically at the end)
    samples/<arm>/<task>/<epoch>/      workspace/, transcript.json, score.json
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harness import __version__
from harness.agents import AgentDefinition
from harness.errors import InputError, MalformedFile
from harness.grader import grade_workspace
from harness.providers import is_offline
from harness.providers.base import Provider
from harness.report.io import (
    append_event,
    discard_torn_tail,
    read_events,
    write_atomic,
    write_model,
)
from harness.report.schema import (
    SCORING_VERSION,
    AgentInfo,
    Report,
    RunInfo,
    SampleError,
    SampleScore,
)
from harness.rules import all_rules
from harness.sandbox import Limits, ensure_sandbox, resolve_mode
from harness.scoring import aggregate, errored_sample
from harness.solver import solve
from harness.tasks.loader import Task
from harness.tasks.workspace import render_workspace
from harness.tools import Toolbox

EVENTS = "events.jsonl"
REPORT = "report.json"
IDENTITY = "run.json"


@dataclass(frozen=True)
class RunOptions:
    """What to run: the arms (one agent each), model, tasks, epochs, where, how isolated."""

    agents: list[AgentDefinition]
    model: str
    tasks: list[Task]
    epochs: int
    out_dir: Path
    sandbox: str = "auto"
    response_cache: bool = True
    max_cost: float | None = None


@dataclass(frozen=True)
class SampleSpec:
    arm: str
    agent: AgentDefinition
    task: Task
    epoch: int

    @property
    def directory(self) -> str:
        return f"samples/{_safe(self.arm)}/{self.task.id}/{self.epoch}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def make_provider(model: str, task: Task, response_cache: bool = True) -> Provider:
    if is_offline(model):
        from harness.providers.oracle import OracleProvider, solution_name

        return OracleProvider(task, solution_name(model))
    from harness.providers.anthropic import AnthropicProvider

    provider: Provider = AnthropicProvider(model)
    if response_cache:
        from harness.providers.cache import CachedProvider

        provider = CachedProvider(provider)
    return provider


async def _solve(spec: SampleSpec, options: RunOptions, toolbox: Toolbox):  # type: ignore[no-untyped-def]
    """One sample's conversation; the provider's connections close with it."""
    provider = make_provider(options.model, spec.task, options.response_cache)
    limits = spec.task.spec.limits
    try:
        return await solve(
            provider, options.model, spec.agent.body, spec.task.spec.statement, toolbox,
            max_turns=limits.turns, wall_seconds=limits.wall_seconds,
        )  # fmt: skip
    finally:
        await provider.aclose()


def plan(options: RunOptions) -> list[SampleSpec]:
    arms = [(agent.label, agent) for agent in options.agents]
    return [
        SampleSpec(arm, agent, task, epoch)
        for arm, agent in arms
        for task in options.tasks
        for epoch in range(1, options.epochs + 1)
    ]


def run_sample(spec: SampleSpec, options: RunOptions, mode: str) -> SampleScore:
    """Render, solve, grade one sample; a harness failure becomes an errored score."""
    directory = options.out_dir / spec.directory
    workspace = directory / "workspace"
    if directory.exists():
        shutil.rmtree(directory)
    render_workspace(spec.task, workspace)
    limits = spec.task.spec.limits
    try:
        toolbox = Toolbox(workspace, mode, Limits(wall_seconds=limits.command_seconds))
        transcript = asyncio.run(_solve(spec, options, toolbox))
    except InputError:
        raise
    except Exception as exc:  # a provider or tool failure is the harness's, not the model's
        return errored_sample(spec.task.id, spec.epoch, spec.arm, type(exc).__name__, str(exc))
    write_model(directory / "transcript.json", transcript)
    score = grade_workspace(
        spec.task, workspace, epoch=spec.epoch, arm=spec.arm, sandbox=mode, transcript=transcript
    )
    write_model(directory / "score.json", score)
    return score


def run_identity(options: RunOptions) -> dict[str, object]:
    """What a run's results depend on; a resumed run must match it field for field."""
    return {
        "agents": {a.label: a.sha256 for a in options.agents},
        "model": options.model,
        "tasks": [t.id for t in options.tasks],
        "scoring_version": SCORING_VERSION,
    }


def check_identity(options: RunOptions) -> str:
    """Record the run's identity, or compare it with the recorded one; returns started_at."""
    path = options.out_dir / IDENTITY
    identity = run_identity(options)
    if not path.is_file():
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        write_atomic(path, json.dumps({**identity, "started_at": started_at}, indent=2) + "\n")
        return started_at
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MalformedFile(f"{path}: unreadable run identity ({exc}); use a new --out") from exc
    changed = [
        f"{key} ({recorded.get(key)!r} -> {value!r})"
        for key, value in identity.items()
        if recorded.get(key) != value
    ]
    if changed:
        raise InputError(
            f"cannot resume {options.out_dir}: changed since the run began: {'; '.join(changed)}; use a new --out"
        )
    return str(recorded.get("started_at", ""))


def _over_budget(options: RunOptions, spent: float, finished: int) -> bool:
    """No new sample starts once the spend so far plus a typical sample would pass the cap."""
    if options.max_cost is None:
        return False
    typical = spent / finished if finished else 0.0
    return spent + typical > options.max_cost


def run_eval(
    options: RunOptions,
    on_sample: Callable[[SampleScore], None] | None = None,
) -> Report:
    """Run every sample not already in the run's events, then write report.json."""
    if not is_offline(options.model):
        from harness.providers.anthropic import require_api_key

        require_api_key()
    mode = resolve_mode(options.sandbox)
    ensure_sandbox(mode)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    events_path = options.out_dir / EVENTS
    discard_torn_tail(events_path)
    done = {
        (e["score"]["arm"], e["score"]["task_id"], e["score"]["epoch"]): SampleScore.model_validate(
            e["score"]
        )
        for e in read_events(events_path)
        if e.get("type") == "sample"
    }
    started_at = check_identity(options)
    skipped: dict[tuple[str, str, int], SampleScore] = {}
    for spec in plan(options):
        key = (spec.arm, spec.task.id, spec.epoch)
        if key in done:
            continue
        spent = sum(s.usage.cost_usd for s in done.values())
        if _over_budget(options, spent, len(done)):
            message = f"--max-cost {options.max_cost}: ${spent:.4f} spent before this sample"
            skipped[key] = SampleScore(
                task_id=spec.task.id, epoch=spec.epoch, arm=spec.arm, status="skipped", resolved=False,
                error=SampleError(kind="max-cost", message=message),
            )  # fmt: skip
            continue
        score = run_sample(spec, options, mode)
        append_event(events_path, {"type": "sample", "score": score.model_dump(mode="json")})
        done[key] = score
        if on_sample is not None:
            on_sample(score)
    order = {(s.arm, s.task.id, s.epoch): i for i, s in enumerate(plan(options))}
    chosen = {**done, **skipped}
    samples = sorted((s for k, s in chosen.items() if k in order), key=lambda s: order[s.key])
    first = options.agents[0]
    report = Report(
        run=RunInfo(
            id=options.out_dir.name,
            agent=AgentInfo(
                name=first.name, sha256=first.sha256, revision=first.revision, source=first.source
            ),
            model=options.model,
            harness_version=__version__,
            started_at=started_at,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            tasks=[t.id for t in options.tasks],
            epochs=options.epochs,
            sandbox=mode,
            arms={
                a.label: AgentInfo(
                    name=a.name, sha256=a.sha256, revision=a.revision, source=a.source
                )
                for a in options.agents
            },
        ),
        aggregates=aggregate(samples, [r.SLUG for r in all_rules()]),
        samples=samples,
    )
    write_model(options.out_dir / REPORT, report)
    return report
