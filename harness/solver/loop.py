"""The tool-use loop: ask the model, run its tool calls, answer with the results, repeat.

Stops when the model ends its turn, or at the sample's limits (turns, wall time). The
transcript keeps every message as sent and received, assistant content unchanged.
"""

from __future__ import annotations

import asyncio
import time

from harness.core.transcript import Transcript
from harness.providers.base import ModelRequest, Provider
from harness.solver.tools import TOOL_SPECS, Toolbox


async def solve(
    provider: Provider,
    model: str,
    system: str,
    statement: str,
    toolbox: Toolbox,
    *,
    max_turns: int,
    wall_seconds: float,
    epoch: int = 1,
    starter: str = "house-style",
) -> Transcript:
    transcript = Transcript(
        model=model, system=system, messages=[{"role": "user", "content": statement}]
    )
    started = time.monotonic()
    while True:
        if transcript.turns >= max_turns:
            transcript.stop_reason = "turn_limit"
            break
        if time.monotonic() - started > wall_seconds:
            transcript.stop_reason = "time_limit"
            break
        request = ModelRequest(
            model=model, system=system, messages=transcript.messages, tools=TOOL_SPECS,
            epoch=epoch, starter=starter,
        )  # fmt: skip
        response = await provider.generate(request)
        transcript.turns += 1
        transcript.cached_turns += response.cached
        transcript.usage = transcript.usage + response.usage
        transcript.messages.append({"role": "assistant", "content": response.content})
        transcript.stop_reason = response.stop_reason
        if response.stop_reason == "pause_turn":
            continue  # a paused long turn: send the content back as it is and call again
        calls = [block for block in response.content if block.get("type") == "tool_use"]
        if response.stop_reason != "tool_use" or not calls:
            break  # end_turn, max_tokens (truncated), refusal, context window exceeded, unknown
        results = []
        for block in calls:
            results.append(await asyncio.to_thread(toolbox.run, block))
        transcript.tool_calls += len(calls)
        transcript.messages.append({"role": "user", "content": results})
    transcript.duration_s = round(time.monotonic() - started, 3)
    return transcript
