"""What a run is made of: its options, and the samples (arm x task x starter x epoch) they
plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from harness.agents.definition import AgentDefinition
from harness.core.layout import safe
from harness.providers.registry import NoOptions
from harness.run.shards import Shard, assign
from harness.tasks.loader import STARTERS, Task

DEFAULT_CONNECTIONS = 8


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
    max_connections: int = DEFAULT_CONNECTIONS
    score: bool = True
    db: str = "sqlite"
    invocation: dict[str, object] = field(default_factory=dict)
    starters: tuple[str, ...] = STARTERS
    shard: Shard | None = None
    provider_options: BaseModel = field(default_factory=NoOptions)


@dataclass(frozen=True)
class SampleSpec:
    arm: str
    agent: AgentDefinition
    task: Task
    starter: str
    epoch: int

    @property
    def directory(self) -> str:
        return f"samples/{safe(self.arm)}/{self.task.id}/{safe(self.starter)}/{self.epoch}"

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.arm, self.task.id, self.starter, self.epoch)


def plan(options: RunOptions) -> list[SampleSpec]:
    """The samples this run (or this shard of it) runs, in the whole run's order."""
    specs, shard = full_plan(options), options.shard
    if shard is None:
        return specs
    shards = assign((spec.key for spec in specs), shard.count)
    return [spec for spec in specs if shards[spec.key] == shard.index]


def covers(model: str, task: Task, starter: str) -> bool:
    from harness.providers.registry import provider_info

    return provider_info(model).covers(model, task, starter)


def full_plan(options: RunOptions) -> list[SampleSpec]:
    """Every arm x task x starter (the ones the task runs on) x epoch, in that order; with
    `oracle:<solution>`, only the tasks and starters that have that solution. A shard runs
    its share of this; the shards' plans together are exactly this."""
    arms = [(agent.label, agent) for agent in options.agents]
    return [
        SampleSpec(arm, agent, task, starter, epoch)
        for arm, agent in arms
        for task in options.tasks
        for starter in options.starters
        if starter in task.starters and covers(options.model, task, starter)
        for epoch in range(1, options.epochs + 1)
    ]
