"""The Anthropic Messages API provider, on the official SDK's async client.

The harness owns retries (the SDK's are off): 429, 529 and other 5xx, timeouts and dropped
connections are retried with exponential backoff and jitter that honours `retry-after`;
any other 4xx fails the sample at once with the API's message. A call that gets no byte for
`HARNESS_API_TIMEOUT` seconds (default 600; a reply that stalls half way included) is a
timeout; `HARNESS_API_ATTEMPTS` (default 10, about four minutes of backoff) is how many
tries a call gets before the sample is errored as ProviderUnavailable. Prompt caching: the tools
and the system prompt form a stable prefix with a breakpoint, and the newest message
carries a moving one, so every turn re-reads the prefix from cache.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from harness.core.errors import InputError, MissingApiKey, ProviderRefused, ProviderUnavailable
from harness.core.usage import Usage
from harness.providers.base import ModelRequest, ModelResponse, Provider
from harness.providers.limiter import AdaptiveLimiter
from harness.providers.models import load_model_table
from harness.providers.registry import Opening, ProviderInfo

API_KEY_ENV = "ANTHROPIC_API_KEY"
TIMEOUT_ENV = "HARNESS_API_TIMEOUT"
ATTEMPTS_ENV = "HARNESS_API_ATTEMPTS"
EPHEMERAL = {"type": "ephemeral"}
MAX_ATTEMPTS = 10
BASE_DELAY = 1.0
MAX_DELAY = 60.0
REQUEST_TIMEOUT = 600.0
RATE_LIMITED = 429
RETRYABLE_STATUS = frozenset({408, 409, RATE_LIMITED})
UNLIMITED = 1_000_000
PER_MILLION = 1_000_000


def require_api_key() -> str:
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MissingApiKey(
            f"{API_KEY_ENV} is not set: export it to use a real model, or pass --model oracle"
        )
    return key


def env_number(name: str, default: float) -> float:
    """A positive number from the environment, or the default when the variable is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise InputError(f"{name}={raw!r}: give a positive number, or unset it for {default:g}")
    return value


def check_settings() -> None:
    """Fail before a run starts (exit 2) on a bad HARNESS_API_TIMEOUT or HARNESS_API_ATTEMPTS."""
    env_number(TIMEOUT_ENV, REQUEST_TIMEOUT)
    env_number(ATTEMPTS_ENV, MAX_ATTEMPTS)


def build_params(request: ModelRequest) -> dict[str, Any]:
    """The create() arguments: cache breakpoints on the tools, the system prompt and the
    newest message; no sampling parameters (the 2026-10-21 API rejects them)."""
    tools = copy.deepcopy(request.tools)
    if tools:
        tools[-1]["cache_control"] = EPHEMERAL
    messages = list(request.messages)
    if messages:
        last = copy.deepcopy(messages[-1])
        content = last["content"]
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if content:
            content[-1] = {**content[-1], "cache_control": EPHEMERAL}
        last["content"] = content
        messages[-1] = last
    return {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "system": [{"type": "text", "text": request.system, "cache_control": EPHEMERAL}],
        "tools": tools,
        "messages": messages,
    }


def price(usage: Usage, rates: dict[str, float] | None) -> float:
    if not rates:
        return 0.0
    return (
        usage.input_tokens * rates["input"]
        + usage.cache_creation_input_tokens * rates["cache_write_5m"]
        + usage.cache_read_input_tokens * rates["cache_read"]
        + usage.output_tokens * rates["output"]
    ) / PER_MILLION


def retry_delay(attempt: int, headers: Any) -> float:
    """`retry-after-ms` / `retry-after` when the server says, else exponential with jitter."""
    if headers is not None:
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            if value:
                try:
                    return min(float(value) * scale, MAX_DELAY)
                except ValueError:
                    pass
    return min(BASE_DELAY * 2**attempt, MAX_DELAY) * random.uniform(0.75, 1.0)


class AnthropicProvider(Provider):
    name = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        max_attempts: int | None = None,
        timeout: float | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        limiter: AdaptiveLimiter | None = None,
    ) -> None:
        import anthropic

        self.model = model
        self.client = anthropic.AsyncAnthropic(
            api_key=require_api_key(),
            base_url=base_url or os.environ.get("ANTHROPIC_BASE_URL") or None,
            max_retries=0,
            timeout=timeout or env_number(TIMEOUT_ENV, REQUEST_TIMEOUT),
        )
        self.max_attempts = max_attempts or max(1, int(env_number(ATTEMPTS_ENV, MAX_ATTEMPTS)))
        self.sleep = sleep
        self.limiter = limiter or AdaptiveLimiter(UNLIMITED)
        self.rates = load_model_table().get("prices", {}).get(model)

    @property
    def cache_scope(self) -> dict[str, str]:
        return {"provider": self.name, "endpoint": str(self.client.base_url)}

    async def generate(self, request: ModelRequest) -> ModelResponse:
        import anthropic

        params = build_params(request)
        last_error = ""
        for attempt in range(self.max_attempts):
            delay: float | None = None
            async with self.limiter.slot() as ticket:
                try:
                    message = await self.client.messages.create(**params)
                except anthropic.APIStatusError as exc:
                    status = exc.status_code
                    detail = getattr(exc, "api_message", None) or exc.message
                    if status < 500 and status not in RETRYABLE_STATUS:
                        raise ProviderRefused(f"HTTP {status}: {detail}") from exc
                    if status == RATE_LIMITED:
                        self.limiter.on_rate_limited(ticket)
                    last_error = f"HTTP {status}: {detail}"
                    delay = retry_delay(attempt, exc.response.headers)
                except anthropic.APIConnectionError as exc:  # timeouts, dropped connections
                    last_error = f"{type(exc).__name__}: {exc}"
                    delay = retry_delay(attempt, None)
                except (json.JSONDecodeError, anthropic.APIResponseValidationError) as exc:
                    last_error = f"malformed response: {exc}"
                    delay = retry_delay(attempt, None)
                else:
                    self.limiter.on_success()
                    return self._response(message)
            if attempt + 1 < self.max_attempts:  # no wait after the last: give up at once
                await self.sleep(delay)  # outside the slot: a waiting retry holds no connection
        raise ProviderUnavailable(
            f"gave up after {self.max_attempts} attempts; last error: {last_error}"
        )

    def _response(self, message: Any) -> ModelResponse:
        raw = message.usage
        usage = Usage(
            input_tokens=raw.input_tokens or 0,
            output_tokens=raw.output_tokens or 0,
            cache_creation_input_tokens=getattr(raw, "cache_creation_input_tokens", None) or 0,
            cache_read_input_tokens=getattr(raw, "cache_read_input_tokens", None) or 0,
        )
        usage.cost_usd = price(usage, self.rates)
        content = [block.model_dump(mode="json", exclude_none=True) for block in message.content]
        return ModelResponse(
            content=content, stop_reason=message.stop_reason or "end_turn", usage=usage
        )

    async def aclose(self) -> None:
        await self.client.close()


class AnthropicOptions(BaseModel):
    """`--provider-option` keys of the Messages API provider; unset: the environment's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = Field(None, description="API endpoint (default ANTHROPIC_BASE_URL)")
    timeout: float | None = Field(None, gt=0, description=f"seconds (default {TIMEOUT_ENV})")
    attempts: int | None = Field(None, ge=1, description=f"tries per call ({ATTEMPTS_ENV})")


def _open(opening: Opening) -> Provider:
    options = opening.options
    assert isinstance(options, AnthropicOptions)
    return AnthropicProvider(
        opening.model, base_url=options.base_url, max_attempts=options.attempts,
        timeout=options.timeout, limiter=opening.limiter,
    )  # fmt: skip


def _check(model: str, options: BaseModel) -> None:
    require_api_key()
    check_settings()


PROVIDER = ProviderInfo(
    name="anthropic",
    summary="the Anthropic Messages API (any claude-* model id or alias)",
    needs_key=True,
    cacheable=True,
    shared=True,
    # a harness-loop sample waits on tools between calls, so several share a connection
    samples_per_connection=4,
    options=AnthropicOptions,
    open=_open,
    check=_check,
)
