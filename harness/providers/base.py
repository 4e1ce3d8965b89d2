"""The provider interface: one async call from a request to an assistant message.

Messages and content blocks use the Anthropic Messages wire format (plain dicts), so the
Anthropic provider passes them through unchanged and offline providers speak the same.

Examples:
    class Echo(Provider):
        name = "echo"
        async def generate(self, request: ModelRequest) -> ModelResponse:
            return ModelResponse(content=[{"type": "text", "text": "hi"}], stop_reason="end_turn")
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from harness.core.usage import Usage


class ModelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str
    system: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] = Field(default_factory=list)
    max_tokens: int = 16000
    # Never sent to the model: it keys the response cache, so each epoch is its own draw
    # (a rerun of epoch 2 hits epoch 2's answers, never epoch 1's; inspect_ai does the same).
    epoch: int = 1
    # Likewise: the same statement on two starters gets two draws, not one answer replayed.
    starter: str = "house-style"


class ModelResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: list[dict[str, Any]]
    stop_reason: str
    usage: Usage = Field(default_factory=Usage)
    cached: bool = Field(False, description="answered from the response cache, not the API")


class Provider:
    """Base of every provider; `generate` is the only required method."""

    name: str = "provider"

    @property
    def cache_scope(self) -> dict[str, str]:
        """What, besides the request, decides the answer (the endpoint): part of the
        response-cache key, so answers from one endpoint are never replayed for another."""
        return {"provider": self.name}

    async def generate(self, request: ModelRequest) -> ModelResponse:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections; offline providers have none."""
