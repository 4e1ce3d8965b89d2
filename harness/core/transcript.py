"""A sample's conversation as transcript.json stores it: what every solver returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from harness.core.usage import Usage


class Transcript(BaseModel):
    """Everything a sample's conversation produced, as stored in transcript.json."""

    model: str
    system: str
    messages: list[dict[str, Any]] = Field(default_factory=list)
    stop_reason: str = ""
    turns: int = 0
    cached_turns: int = Field(0, description="model answers that came from the response cache")
    tool_calls: int = 0
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
