"""Claude Code's `--output-format stream-json` lines, read into the harness's transcript.

Pure: text in, a `StreamSummary` out, so a recorded stream can be replayed in tests.

The stream is NDJSON: a `system` line (`subtype: init`: model, tools, agents), then
Messages-shaped `assistant` and `user` lines (Claude Code may write one assistant message
as several lines, one per content block, under the same message id: they are merged), and
a final `result` line (subtype, is_error, num_turns, total_cost_usd, usage). A failed API
call can still end in `subtype: success` with `is_error: true`, so both are read.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from harness.core.usage import Usage

STOP_REASONS = {
    "success": "end_turn",
    "error_max_turns": "turn_limit",
    "error_max_budget_usd": "budget_limit",
    "error_during_execution": "error",
}


class StreamSummary(BaseModel):
    """What one Claude Code session did, in the transcript's vocabulary."""

    model: str = ""
    tools: list[str] = Field(default_factory=list)
    agents: list[str] = Field(default_factory=list)
    messages: list[dict[str, Any]] = Field(default_factory=list)
    stop_reason: str = ""
    turns: int = 0
    tool_calls: int = 0
    usage: Usage = Field(default_factory=Usage)
    result_text: str = ""
    is_error: bool = False
    api_error_status: int | None = None
    has_result: bool = False
    unreadable_lines: int = 0
    permission_denials: int = 0


def _usage(raw: dict[str, Any], cost: float) -> Usage:
    return Usage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        cache_creation_input_tokens=int(raw.get("cache_creation_input_tokens") or 0),
        cache_read_input_tokens=int(raw.get("cache_read_input_tokens") or 0),
        cost_usd=float(cost or 0.0),
    )


def _add_message(summary: StreamSummary, event: dict[str, Any]) -> None:
    message = event.get("message") or {}
    role = message.get("role") or event["type"]
    content = message.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(content, list):
        return
    entry: dict[str, Any] = {"role": role, "content": content}
    if event.get("parent_tool_use_id"):
        entry["parent_tool_use_id"] = event["parent_tool_use_id"]  # a subagent's turn
    last = summary.messages[-1] if summary.messages else None
    same_message = (
        role == "assistant"
        and last is not None
        and last.get("role") == "assistant"
        and message.get("id")
        and last.get("id") == message.get("id")
    )
    if same_message:
        last["content"] = [*last["content"], *content]
    else:
        if role == "assistant" and message.get("id"):
            entry["id"] = message["id"]
        summary.messages.append(entry)
    if role == "assistant":
        summary.tool_calls += sum(1 for block in content if block.get("type") == "tool_use")


def _add_result(summary: StreamSummary, event: dict[str, Any]) -> None:
    summary.has_result = True
    subtype = str(event.get("subtype") or "")
    summary.is_error = bool(event.get("is_error")) or subtype != "success"
    status = event.get("api_error_status")
    summary.api_error_status = int(status) if isinstance(status, int) else None
    reason = STOP_REASONS.get(subtype, subtype or "error")
    if subtype == "success" and event.get("stop_reason"):
        reason = str(event["stop_reason"])
    summary.stop_reason = "error" if summary.is_error and reason == "end_turn" else reason
    summary.turns = int(event.get("num_turns") or 0)
    summary.usage = _usage(event.get("usage") or {}, event.get("total_cost_usd") or 0.0)
    summary.result_text = str(event.get("result") or "")
    summary.permission_denials = len(event.get("permission_denials") or [])


def parse_stream(text: str) -> StreamSummary:
    """Every line that parses is used; a torn or foreign line is counted, never fatal."""
    summary = StreamSummary()
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            summary.unreadable_lines += 1
            continue
        if not isinstance(event, dict):
            summary.unreadable_lines += 1
            continue
        kind = event.get("type")
        if kind == "system" and event.get("subtype") == "init":
            summary.model = str(event.get("model") or "")
            summary.tools = [str(t) for t in event.get("tools") or []]
            summary.agents = [str(a) for a in event.get("agents") or []]
        elif kind in ("assistant", "user"):
            _add_message(summary, event)
        elif kind == "result":
            _add_result(summary, event)
    for message in summary.messages:
        message.pop("id", None)
    return summary
