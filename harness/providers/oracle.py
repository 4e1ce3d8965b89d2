"""`oracle` and `oracle:<flaw>`: write a task's solution overlay through the same tool calls
a model would make (one `create` per file), then end the turn. The offline default, so a
first run needs no API key, and the way `harness tasks validate` proves each task."""

from __future__ import annotations

from harness.core.errors import UnknownModel
from harness.core.tool_names import EDITOR_NAME
from harness.providers.base import ModelRequest, ModelResponse, Provider
from harness.providers.registry import Opening, ProviderInfo
from harness.tasks.loader import REFERENCE, Task
from harness.tasks.workspace import overlay_files

ORACLE = "oracle"


def solution_name(model: str) -> str:
    _, _, flaw = model.partition(":")
    return flaw or REFERENCE


class OracleProvider(Provider):
    name = ORACLE

    def __init__(self, task: Task, starter: str, solution: str = REFERENCE) -> None:
        named = task.solutions.get(starter, {})
        if solution not in named:
            known = ", ".join(sorted(named)) or "none"
            raise UnknownModel(
                f"oracle:{solution}: task {task.id} has no solution {solution!r} on starter "
                f"{starter}; known: {known}"
            )
        self.files = overlay_files(task.solution_layers(starter, solution))
        self.solution = solution

    async def generate(self, request: ModelRequest) -> ModelResponse:
        already = any(message["role"] == "assistant" for message in request.messages)
        if already:
            return ModelResponse(
                content=[{"type": "text", "text": "Done."}], stop_reason="end_turn"
            )
        content: list[dict] = [{"type": "text", "text": f"Writing the {self.solution} solution."}]
        for index, (path, data) in enumerate(self.files.items()):
            content.append(
                {
                    "type": "tool_use",
                    "id": f"toolu_oracle_{index:03d}",
                    "name": EDITOR_NAME,
                    "input": {
                        "command": "create",
                        "path": f"/workspace/{path}",
                        "file_text": data.decode("utf-8"),
                    },
                }
            )
        return ModelResponse(content=content, stop_reason="tool_use")


def _open(opening: Opening) -> Provider:
    assert opening.task is not None
    return OracleProvider(opening.task, opening.starter, solution_name(opening.model))


def covers(model: str, task: Task, starter: str) -> bool:
    """`oracle:<flaw>` answers only where the task has that solution on the starter."""
    return solution_name(model) in task.solutions.get(starter, {})


PROVIDER = ProviderInfo(
    name=ORACLE,
    summary="offline: writes the task's reference solution (or oracle:<flaw>, a flaw)",
    offline=True,
    samples_per_connection=4,
    open=_open,
    covers=covers,
)
