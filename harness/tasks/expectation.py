"""A flawed solution's `expect.yaml`: what `harness tasks validate` holds it to."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

FROZEN = ConfigDict(extra="forbid", frozen=True)


class FlawExpectation(BaseModel):
    """`solutions/<flaw>/expect.yaml`: what a flawed solution must trip, exactly."""

    model_config = FROZEN

    description: str = ""
    rules: list[str] = Field(default_factory=list)
    failing_cases: list[str] = Field(default_factory=list)
    missing_entry_point: bool = Field(
        False, description="the flaw never builds the service entry point the statement names"
    )
