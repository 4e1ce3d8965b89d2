"""What a run is made of: its options, and the samples (arm x task x epoch) they plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harness.agents import AgentDefinition
from harness.report.anchors import safe
from harness.tasks.loader import Task

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


@dataclass(frozen=True)
class SampleSpec:
    arm: str
    agent: AgentDefinition
    task: Task
    epoch: int

    @property
    def directory(self) -> str:
        return f"samples/{safe(self.arm)}/{self.task.id}/{self.epoch}"

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.arm, self.task.id, self.epoch)


def plan(options: RunOptions) -> list[SampleSpec]:
    arms = [(agent.label, agent) for agent in options.agents]
    return [
        SampleSpec(arm, agent, task, epoch)
        for arm, agent in arms
        for task in options.tasks
        for epoch in range(1, options.epochs + 1)
    ]
