"""`replay:<run-dir>`: answer with the assistant turns recorded in an earlier run.

The tool calls are executed again in a fresh workspace and the result is scored with the
current checker and tests, so a rule or task change can be re-scored without paying for
the model again. No API call is made; usage is zero.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.core.errors import InputError
from harness.providers.base import ModelRequest, ModelResponse, Provider
from harness.providers.registry import Opening, ProviderInfo

REPLAY = "replay"
TRANSCRIPT = "transcript.json"
EXHAUSTED = "replay_exhausted"


def replay_dir(model: str) -> Path:
    _, _, raw = model.partition(":")
    if not raw:
        raise InputError("--model replay:<run-dir> needs the directory of an earlier run")
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise InputError(f"{path}: no such run directory for --model replay:")
    return path


def recorded_turns(transcript: dict[str, Any]) -> list[ModelResponse]:
    """Each recorded assistant message with the stop reason the loop must have seen."""
    messages = [m for m in transcript.get("messages", []) if m.get("role") == "assistant"]
    turns = []
    for index, message in enumerate(messages):
        content = message.get("content") or []
        if index == len(messages) - 1:
            stop = transcript.get("stop_reason") or "end_turn"
            if stop in ("turn_limit", "time_limit"):
                stop = "tool_use" if _has_tool_use(content) else "end_turn"
        else:
            stop = "tool_use" if _has_tool_use(content) else "pause_turn"
        turns.append(ModelResponse(content=content, stop_reason=stop))
    return turns


def _has_tool_use(content: list[dict[str, Any]]) -> bool:
    return any(block.get("type") == "tool_use" for block in content)


class ReplayProvider(Provider):
    name = REPLAY

    def __init__(self, transcript_path: Path) -> None:
        if not transcript_path.is_file():
            raise FileNotFoundError(f"no recorded transcript at {transcript_path}")
        self.turns = recorded_turns(json.loads(transcript_path.read_text(encoding="utf-8")))
        self.position = 0

    async def generate(self, request: ModelRequest) -> ModelResponse:
        if self.position >= len(self.turns):
            return ModelResponse(content=[], stop_reason=EXHAUSTED)
        turn = self.turns[self.position]
        self.position += 1
        return turn


def _check(model: str, options: object) -> None:
    replay_dir(model)  # the recorded run must exist before anything starts


def _open(opening: Opening) -> Provider:
    return ReplayProvider(replay_dir(opening.model) / opening.sample_dir / TRANSCRIPT)


PROVIDER = ProviderInfo(
    name=REPLAY,
    summary="offline: replays the model turns recorded in an earlier run (replay:<run-dir>)",
    offline=True,
    samples_per_connection=4,
    open=_open,
    check=_check,
)
