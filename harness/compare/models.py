"""A comparison's data: what `harness compare` computes and every rendering reads (JSON, the
terminal, Markdown, HTML), and the constants that decide its verdicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from harness.core.schema import FindingOut, SampleScore
from harness.rules.catalog import CATALOG
from harness.rules.out_of_scope import OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG

Verdict = Literal["better", "worse", "no detectable change", "too few samples"]

COMPARISON_SCHEMA_VERSION = 1
CONFIDENCE = 0.95
MIN_PAIRS = 6
EPSILON = 1e-9
RESOLVED, TEST_PASS = "resolved_rate", "test_pass_rate"
RULES: tuple[tuple[str, str, str], ...] = (
    *((rule.code, rule.slug, str(rule.severity)) for rule in CATALOG),
    (OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG, "error"),
)
USAGE_FIELDS = {
    "input": "input_tokens",
    "output": "output_tokens",
    "cache_write": "cache_creation_input_tokens",
    "cache_read": "cache_read_input_tokens",
    "cost_usd": "cost_usd",
}

Unit = tuple[SampleScore | None, SampleScore | None]
MESSAGE_CHARS = 1000
Fraction = Callable[[SampleScore], tuple[int, int]]


class MetricDelta(BaseModel):
    """One higher-is-better rate on both sides, its change, and how sure the change is."""

    metric: str = Field(description="resolved_rate, test_pass_rate or a rule slug")
    base: float | None = Field(description="None when the side has nothing to measure")
    head: float | None
    delta: float | None = Field(description="head - base")
    ci_low: float | None = Field(None, description="95% bootstrap interval of the delta")
    ci_high: float | None = None
    verdict: Verdict
    pairs: int = Field(description="(task, epoch) units scored on both sides")


class RuleDelta(MetricDelta):
    """A rule's compliance: the share of scored samples with no finding of the rule."""

    code: str
    severity: str
    base_findings: int
    head_findings: int


class Change(BaseModel):
    base: int | float
    head: int | float
    delta: int | float


class UsageDelta(BaseModel):
    """Tokens and cost summed over every sample of a side (errored ones spend too)."""

    input: Change
    output: Change
    cache_write: Change
    cache_read: Change
    cost_usd: Change


class FindingChange(BaseModel):
    task_id: str
    starter: str = "house-style"
    epoch: int
    change: Literal["new", "fixed"] = Field(description="new in head, or fixed in head")
    finding: FindingOut = Field(description="head's finding if new, base's if fixed")


class CaseChange(BaseModel):
    """A behaviour case whose outcome changed between base and head, with head's message."""

    task_id: str
    starter: str
    epoch: int
    case: str
    change: Literal["newly-failing", "newly-passing"]
    message: str = ""


class TaskDelta(BaseModel):
    task_id: str
    pairs: int = Field(description="epochs of the task scored on both sides")
    note: str = Field("", description="why the verdicts are 'too few samples', if they are")
    resolved_rate: MetricDelta
    test_pass_rate: MetricDelta
    rules: list[RuleDelta]
    usage: UsageDelta
    new_findings: int
    fixed_findings: int


class StarterDelta(BaseModel):
    """The same figures over the samples of one starter codebase."""

    starter: str
    pairs: int
    note: str = ""
    resolved_rate: MetricDelta
    test_pass_rate: MetricDelta
    rules: list[RuleDelta]


class Side(BaseModel):
    label: str
    samples: int
    scored: int
    epochs: int


class Comparison(BaseModel):
    """The comparison of base (before) and head (after); JSON-serialisable."""

    schema_version: int = COMPARISON_SCHEMA_VERSION
    base: Side
    head: Side
    confidence: float = CONFIDENCE
    resamples: int
    seed: int
    pairs: int = Field(description="(task, epoch) units scored on both sides")
    note: str = Field("", description="why the verdicts are 'too few samples', if they are")
    resolved_rate: MetricDelta
    test_pass_rate: MetricDelta
    rules: list[RuleDelta]
    usage: UsageDelta
    tasks: list[TaskDelta]
    starters: list[StarterDelta] = Field(default_factory=list)
    new_findings: list[FindingChange]
    fixed_findings: list[FindingChange]
    case_changes: list[CaseChange] = Field(default_factory=list)
