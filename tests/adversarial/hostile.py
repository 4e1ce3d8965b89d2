"""A scripted model for the hostile-agent corpus: it issues the tool calls a hostile model
would (the bash tool and the text editor), one turn per list of calls, then ends its turn.

Commands and paths are templates: `{name}` fields are filled from the case's context
(host paths, a loopback port) when the scripted turn is sent, so a case can aim at the
test's own files without knowing them in advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.core.tool_names import BASH_NAME, EDITOR_NAME
from harness.core.transcript import Transcript
from harness.providers.base import ModelRequest, ModelResponse, Provider


@dataclass(frozen=True)
class Call:
    """One tool call, as a template."""

    name: str
    input: dict[str, Any]

    def fill(self, context: dict[str, str]) -> dict[str, Any]:
        return {
            key: value.format(**context) if isinstance(value, str) and key != "file_text" else value
            for key, value in self.input.items()
        }


def bash(command: str) -> Call:
    return Call(BASH_NAME, {"command": command})


def edit(command: str, path: str, **fields: Any) -> Call:
    return Call(EDITOR_NAME, {"command": command, "path": path, **fields})


def create(path: str, text: str) -> Call:
    return edit("create", path, file_text=text)


class ScriptedProvider(Provider):
    """Turn N sends the calls of `turns[N]`; after the last turn, it ends its turn."""

    name = "scripted"

    def __init__(self, turns: list[list[Call]], context: dict[str, str]) -> None:
        self.turns, self.context = turns, context

    async def generate(self, request: ModelRequest) -> ModelResponse:
        done = sum(message["role"] == "assistant" for message in request.messages)
        if done >= len(self.turns):
            return ModelResponse(
                content=[{"type": "text", "text": "Done."}], stop_reason="end_turn"
            )
        content = [
            {
                "type": "tool_use",
                "id": f"toolu_hostile_{done:02d}_{index:02d}",
                "name": call.name,
                "input": call.fill(self.context),
            }
            for index, call in enumerate(self.turns[done])
        ]
        return ModelResponse(content=content, stop_reason="tool_use")


def tool_results(transcript: Transcript) -> list[dict[str, Any]]:
    """Every tool_result block of a transcript, in order."""
    return [
        block
        for message in transcript.messages
        if message["role"] == "user" and isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]
