"""Reading Claude Code's stream-json into the transcript: recorded and hand-made streams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.core.errors import ProviderError, ProviderRefused, ProviderUnavailable
from harness.providers.claude_code import command, failure, inner_model, is_claude_code
from harness.providers.claude_stream import parse_stream

RECORDED = Path(__file__).resolve().parents[1] / "data" / "claude_code" / "stream-write-bash.ndjson"


def line(**event: object) -> str:
    return json.dumps(event)


def result(**fields: object) -> str:
    base = {"type": "result", "subtype": "success", "is_error": False, "num_turns": 1}
    return line(**{**base, **fields})


def test_a_recorded_session_becomes_messages_tool_calls_and_usage() -> None:
    """The stream the real CLI 2.1.197 wrote for Write, Bash, then an answer."""
    summary = parse_stream(RECORDED.read_text())
    assert summary.model == "claude-sonnet-5-5" and "arch" in summary.agents
    assert [m["role"] for m in summary.messages] == ["assistant", "user"] * 2 + ["assistant"]
    write = summary.messages[0]["content"][0]
    assert (write["type"], write["name"], write["input"]["file_path"]) == (
        "tool_use", "Write", "/workspace/hello.py"
    )  # fmt: skip
    bash_result = summary.messages[3]["content"][0]
    assert bash_result["type"] == "tool_result" and bash_result["content"] == "hi"
    assert (summary.tool_calls, summary.turns, summary.stop_reason) == (2, 3, "end_turn")
    assert summary.usage.input_tokens == 300 and summary.usage.cost_usd > 0
    assert summary.has_result and not summary.is_error and summary.unreadable_lines == 0


def test_one_message_written_as_several_lines_is_merged() -> None:
    text = "\n".join(
        [
            line(type="assistant", message={"id": "m1", "role": "assistant",
                                            "content": [{"type": "text", "text": "plan"}]}),
            line(type="assistant", message={"id": "m1", "role": "assistant", "content": [
                {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "ls"}}]}),
            line(type="assistant", message={"id": "m2", "role": "assistant",
                                            "content": [{"type": "text", "text": "done"}]}),
            result(),
        ]
    )  # fmt: skip
    summary = parse_stream(text)
    assert [len(m["content"]) for m in summary.messages] == [2, 1]
    assert summary.tool_calls == 1 and all("id" not in m for m in summary.messages)


def test_a_subagents_turns_keep_their_parent() -> None:
    text = line(
        type="assistant",
        parent_tool_use_id="toolu_task",
        message={"role": "assistant", "content": [{"type": "text", "text": "sub"}]},
    )
    assert parse_stream(text).messages[0]["parent_tool_use_id"] == "toolu_task"


@pytest.mark.parametrize(
    ("fields", "stop_reason"),
    [
        ({"subtype": "error_max_turns", "is_error": True}, "turn_limit"),
        ({"subtype": "success", "stop_reason": "max_tokens"}, "max_tokens"),
        ({"subtype": "success", "stop_reason": "refusal"}, "refusal"),
        ({"subtype": "success", "is_error": True}, "error"),
        ({"subtype": "error_during_execution", "is_error": True}, "error"),
    ],
)
def test_how_the_session_ended(fields: dict[str, object], stop_reason: str) -> None:
    assert parse_stream(result(**fields)).stop_reason == stop_reason


def test_a_torn_or_foreign_line_is_counted_never_fatal() -> None:
    text = "\n".join(["not json", "[1, 2]", result(num_turns=2), '{"type": "assist'])
    summary = parse_stream(text)
    assert summary.unreadable_lines == 3 and summary.turns == 2


@pytest.mark.parametrize(
    ("text", "returncode", "error"),
    [
        (result(is_error=True, api_error_status=529, result="Overloaded"), 1, ProviderUnavailable),
        (result(is_error=True, api_error_status=429, result="rate"), 1, ProviderUnavailable),
        (result(is_error=True, api_error_status=400, result="bad request"), 1, ProviderRefused),
        ("", 137, ProviderError),
        (result(is_error=True, num_turns=0, result="Invalid API key"), 1, ProviderUnavailable),
    ],
)
def test_api_and_cli_failures_error_the_sample(
    text: str, returncode: int, error: type[Exception]
) -> None:
    found = failure(parse_stream(text), returncode, "boom")
    assert type(found) is error


@pytest.mark.parametrize(
    "text",
    [
        result(subtype="error_max_turns", is_error=True, num_turns=5),
        result(stop_reason="end_turn"),
    ],
)
def test_a_turn_limit_or_an_answer_is_the_models_outcome(text: str) -> None:
    assert failure(parse_stream(text), 0, "") is None


def test_the_command_selects_the_agent_and_confines_edits() -> None:
    argv = command("/usr/bin/claude", "do it", "arch", "claude-sonnet-5-5", 7)
    assert argv[:3] == ["/usr/bin/claude", "-p", "do it"]

    def value(flag: str) -> str:
        return argv[argv.index(flag) + 1]

    assert value("--agent") == "arch" and value("--max-turns") == "7"
    assert value("--permission-mode") == "acceptEdits" and value("--model") == "claude-sonnet-5-5"
    assert value("--output-format") == "stream-json"
    assert "--verbose" in argv and "stream-json" in argv
    assert "--model" not in command("claude", "x", "a", None, 1)


def test_model_names() -> None:
    assert is_claude_code("claude-code") and is_claude_code("claude-code:claude-opus-5-5")
    assert not is_claude_code("claude-opus-5-5") and not is_claude_code("oracle")
    assert inner_model("claude-code:claude-opus-5-5") == "claude-opus-5-5"
    assert inner_model("claude-code") is None
