"""A sample's transcript as the HTML report shows it: bounded (blocks, characters, bytes),
tool calls paired with their results, long fields highlighted as code. Transcripts are the
model's text: hostile, never trusted, escaped by the templates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from harness.report.diff import highlight_lines

MAX_TEXT_CHARS = 20_000
MAX_BLOCKS = 400
MAX_TRANSCRIPT_CHARS = 1_500_000  # per sample, over all its blocks
MAX_TRANSCRIPT_BYTES = 50_000_000
LONG_FIELD_CHARS = 100
CODE_FIELDS = ("file_text", "old_str", "new_str", "content")


@dataclass(frozen=True)
class ToolField:
    """One input field of a tool call: short values inline, long ones as a code block."""

    name: str
    text: str
    html: Markup | None = None


@dataclass(frozen=True)
class Block:
    """A content block of a message. `kind`: text, thinking, tool_use, tool_result, other."""

    kind: str
    title: str = ""
    text: str = ""
    fields: list[ToolField] = field(default_factory=list)
    is_error: bool = False
    result: Block | None = None


@dataclass(frozen=True)
class Turn:
    role: str
    blocks: list[Block]


@dataclass(frozen=True)
class TranscriptView:
    system: str = ""
    turns: list[Turn] = field(default_factory=list)
    stop_reason: str = ""
    tool_calls: int = 0
    notes: list[str] = field(default_factory=list)


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """`text`, cut to `limit` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [truncated: {len(text) - limit:,} more characters]"


def _result_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return json.dumps(content, indent=2, default=str)
    parts = []
    for block in content:
        if not isinstance(block, dict):
            parts.append(str(block))
        elif block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        else:
            parts.append(f"[{block.get('type', '?')} block]")
    return "\n".join(parts)


def _tool_fields(value: Any) -> list[ToolField]:
    if not isinstance(value, dict):
        return [ToolField("input", clip(json.dumps(value, indent=2, default=str)))]
    path = str(value.get("path", "")) or "input.txt"
    fields = []
    for name, item in value.items():
        text = item if isinstance(item, str) else json.dumps(item, indent=2, default=str)
        if "\n" not in text and len(text) <= LONG_FIELD_CHARS:
            fields.append(ToolField(str(name), text))
            continue
        text = clip(text)
        lines = highlight_lines(text, path if name in CODE_FIELDS else "field.txt")
        fields.append(ToolField(str(name), text, Markup("\n".join(lines))))
    return fields


def _block(raw: Any, results: dict[str, dict]) -> Block:
    if not isinstance(raw, dict):
        return Block("text", text=clip(str(raw)))
    kind = raw.get("type")
    if kind == "text":
        return Block("text", text=clip(str(raw.get("text", ""))))
    if kind in ("thinking", "redacted_thinking"):
        return Block("thinking", title=str(kind), text=clip(str(raw.get("thinking", ""))))
    if kind == "tool_use":
        data = raw.get("input")
        summary = " ".join(
            str(data[k]) for k in ("command", "path") if isinstance(data, dict) and k in data
        )
        result = results.pop(str(raw.get("id")), None)
        return Block(
            "tool_use",
            title=clip(f"{raw.get('name', '?')} {summary}".strip(), 200),
            fields=_tool_fields(data),
            result=_block(result, {}) if result is not None else None,
        )
    if kind == "tool_result":
        text = clip(_result_text(raw.get("content", "")))
        first = text.strip().splitlines()[0] if text.strip() else "(empty)"
        return Block("tool_result", clip(first, 160), text, is_error=bool(raw.get("is_error")))
    return Block("other", title=str(kind), text=clip(json.dumps(raw, indent=2, default=str)))


def _size(block: Block | None) -> int:
    if block is None:
        return 0
    return len(block.text) + sum(len(f.text) for f in block.fields) + _size(block.result)


def _blocks_of(messages: list[dict], kind: str) -> list[dict]:
    return [
        block
        for message in messages
        if isinstance(message.get("content"), list)
        for block in message["content"]
        if isinstance(block, dict) and block.get("type") == kind
    ]


def transcript_view(data: Any) -> TranscriptView:
    """The turns of a transcript.json, each tool call paired with its result."""
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return TranscriptView(notes=["transcript.json is not a transcript; not shown"])
    messages = [m for m in data["messages"] if isinstance(m, dict)]
    results = {str(b.get("tool_use_id")): b for b in _blocks_of(messages, "tool_result")}
    paired = {str(b.get("id")) for b in _blocks_of(messages, "tool_use")}
    turns, count, size, notes = [], 0, 0, []
    for message in messages:
        content = message.get("content", "")
        raw_blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        blocks = []
        for raw in raw_blocks:
            is_result = isinstance(raw, dict) and raw.get("type") == "tool_result"
            if is_result and str(raw.get("tool_use_id")) in paired:
                continue  # shown with its call
            if count >= MAX_BLOCKS or size >= MAX_TRANSCRIPT_CHARS:
                notes.append(f"transcript truncated after {count} blocks ({size:,} characters)")
                break
            block = _block(raw, results)
            blocks.append(block)
            count, size = count + 1, size + _size(block)
        if blocks:
            turns.append(Turn(str(message.get("role", "?")), blocks))
        if notes:
            break
    return TranscriptView(
        system=clip(str(data.get("system", ""))),
        turns=turns,
        stop_reason=str(data.get("stop_reason", "")),
        tool_calls=int(data.get("tool_calls", 0) or 0),
        notes=notes,
    )


def load_transcript(directory: Path | None) -> TranscriptView:
    path = directory / "transcript.json" if directory else None
    if path is None or not path.is_file():
        return TranscriptView(notes=["no transcript recorded"])
    if path.stat().st_size > MAX_TRANSCRIPT_BYTES:
        return TranscriptView(
            notes=[f"transcript.json is {path.stat().st_size:,} bytes; not shown"]
        )
    try:
        return transcript_view(json.loads(path.read_text(encoding="utf-8", errors="replace")))
    except ValueError as exc:
        return TranscriptView(notes=[f"transcript.json is unreadable ({exc})"])
