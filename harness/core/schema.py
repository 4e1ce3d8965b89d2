"""report.json and SampleScore: fixed keys (a public contract), versioned.

Other fields may be added freely; the fixed keys keep their names and meaning. Bump
SCHEMA_VERSION on an incompatible change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.core.usage import Usage

SCHEMA_VERSION = 2
# 2: samples run on starters; only findings the agent introduced count; service cases and
# the architecture probe are rule evidence, not tests.
SCORING_VERSION = 2
DEFAULT_STARTER = "house-style"  # what every sample of a version-1 report ran on


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
    source: Literal["static", "runtime"] = Field(
        "static", description="runtime: seen when a service entry point or the probe ran"
    )
    case: str | None = Field(None, description="the contract case that produced runtime evidence")


class RuleEvidence(BaseModel):
    """What a call of the task's service entry point (or the import probe) showed about the
    rules: a failure returned as a value complies; a raise counts against a rule."""

    case: str
    expected: Literal["success", "failure", "import"]
    outcome: Literal[
        "failure-value", "success-value", "no-error-value", "raised-http-exception",
        "raised-error", "crashed", "missing-entry-point", "imports-framework",
        "imports-cleanly", "not-run",
    ]  # fmt: skip
    code: str | None = Field(None, description="the rule this evidence counts against")
    message: str = ""


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
    """Why a sample has no score: `kind` from harness/core/error_kinds.py (kebab-case; reports
    written before it was, with class names, are read in it)."""

    kind: str
    message: str

    @field_validator("kind")
    @classmethod
    def _kebab(cls, kind: str) -> str:
        from harness.core.error_kinds import kebab

        if kind.startswith("grading-failed: "):  # the old form, with the class in the kind
            return "grading-failed"
        return kebab(kind)


class SampleScore(BaseModel):
    """The score of one sample (task x starter x epoch x arm).

    `findings` are the ones that count: introduced by the agent (or left in code a
    refactoring task names); `pre_existing` were in the starter and are still there; `fixed`
    were in the starter and are gone.
    """

    task_id: str
    epoch: int
    arm: str
    starter: str = DEFAULT_STARTER
    status: Literal["scored", "errored", "skipped"]
    resolved: bool
    tests: TestsSummary = Field(default_factory=TestsSummary)
    findings: list[FindingOut] = Field(default_factory=list)
    pre_existing: list[FindingOut] = Field(default_factory=list)
    fixed: list[FindingOut] = Field(default_factory=list)
    evidence: list[RuleEvidence] = Field(default_factory=list)
    error: SampleError | None = None
    usage: Usage = Field(default_factory=Usage)
    changed_files: dict[str, str] = Field(default_factory=dict)
    stop_reason: str = ""
    turns: int = 0
    cached_turns: int = Field(0, description="model answers that came from the response cache")
    duration_s: float = 0.0
    score_s: float = 0.0

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.arm, self.task_id, self.starter, self.epoch)


class AgentInfo(BaseModel):
    name: str
    sha256: str
    revision: str | None = None
    source: str = ""


class RunInfo(BaseModel):
    id: str
    agent: AgentInfo = Field(
        description="the first arm, kept for readers of schema 1; `arms` names every arm"
    )
    model: str
    harness_version: str
    scoring_version: int = SCORING_VERSION
    started_at: str
    finished_at: str | None = None
    tasks: list[str] = Field(default_factory=list)
    starters: list[str] = Field(default_factory=lambda: [DEFAULT_STARTER])
    epochs: int = 1
    sandbox: str = ""
    arms: dict[str, AgentInfo] = Field(default_factory=dict)
    shard: str | None = Field(None, description="K/N when this run is one shard of a run")


class Aggregates(BaseModel):
    samples: int = 0
    resolved: int = 0
    resolved_rate: float | None = Field(0.0, description="None (n/a) when nothing was scored")
    test_pass_rate: float | None = Field(0.0, description="None (n/a) when no test ran")
    rule_compliance: dict[str, float | None] = Field(default_factory=dict)
    tokens: dict[str, int] = Field(default_factory=dict)
    cost_usd: float = 0.0
    errored: int = 0
    skipped: int = 0
    turns: int = Field(0, description="model answers in all")
    cached_turns: int = Field(0, description="of those, answered from the response cache")


class Report(BaseModel):
    """report.json."""

    schema_version: int = SCHEMA_VERSION
    run: RunInfo
    aggregates: Aggregates
    by_task: dict[str, Aggregates] = Field(
        default_factory=dict, description="the same figures per task (tokens and cost too)"
    )
    by_starter: dict[str, Aggregates] = Field(
        default_factory=dict, description="the same figures per starter"
    )
    samples: list[SampleScore]
