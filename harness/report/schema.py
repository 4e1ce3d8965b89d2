"""report.json and SampleScore: the fixed keys of DESIGN.md, versioned.

Other fields may be added freely; the fixed keys keep their names and meaning. Bump
SCHEMA_VERSION on an incompatible change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.providers.base import Usage

SCHEMA_VERSION = 1
SCORING_VERSION = 1


class FindingOut(BaseModel):
    """One finding, with the keys of `harness check --format json`."""

    model_config = ConfigDict(extra="forbid")

    code: str
    rule: str
    severity: Literal["error", "warning"]
    path: str
    line: int
    column: int
    message: str


class CaseOutcome(BaseModel):
    id: str
    outcome: Literal["passed", "failed", "error"]
    message: str = ""


class TestsSummary(BaseModel):
    __test__ = False  # not a pytest test class, despite its name
    passed: int = 0
    failed: int = 0
    errored: int = 0
    expected: int = 0
    cases: list[CaseOutcome] = Field(default_factory=list)


class SampleError(BaseModel):
    kind: str
    message: str


class SampleScore(BaseModel):
    """The score of one sample (task x epoch x arm)."""

    task_id: str
    epoch: int
    arm: str
    status: Literal["scored", "errored", "skipped"]
    resolved: bool
    tests: TestsSummary = Field(default_factory=TestsSummary)
    findings: list[FindingOut] = Field(default_factory=list)
    error: SampleError | None = None
    usage: Usage = Field(default_factory=Usage)
    changed_files: dict[str, str] = Field(default_factory=dict)
    stop_reason: str = ""
    turns: int = 0
    duration_s: float = 0.0
    score_s: float = 0.0

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.arm, self.task_id, self.epoch)


class AgentInfo(BaseModel):
    name: str
    sha256: str
    revision: str | None = None
    source: str = ""


class RunInfo(BaseModel):
    id: str
    agent: AgentInfo
    model: str
    harness_version: str
    scoring_version: int = SCORING_VERSION
    started_at: str
    finished_at: str | None = None
    tasks: list[str] = Field(default_factory=list)
    epochs: int = 1
    sandbox: str = ""
    arms: dict[str, AgentInfo] = Field(default_factory=dict)


class Aggregates(BaseModel):
    samples: int = 0
    resolved: int = 0
    resolved_rate: float = 0.0
    test_pass_rate: float = 0.0
    rule_compliance: dict[str, float] = Field(default_factory=dict)
    tokens: dict[str, int] = Field(default_factory=dict)
    cost_usd: float = 0.0
    errored: int = 0
    skipped: int = 0


class Report(BaseModel):
    """report.json."""

    schema_version: int = SCHEMA_VERSION
    run: RunInfo
    aggregates: Aggregates
    by_task: dict[str, Aggregates] = Field(
        default_factory=dict, description="the same figures per task (tokens and cost too)"
    )
    samples: list[SampleScore]
