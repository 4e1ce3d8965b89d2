"""The fake Messages API speaks enough of the real one for the official SDK: JSON and SSE."""

from __future__ import annotations

import threading

import anthropic
import pytest

from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, message, tool_use

ARGS = {"model": "claude-fake", "max_tokens": 64, "messages": [{"role": "user", "content": "x"}]}


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    with FakeMessagesAPI() as server:
        yield server


def client(api: FakeMessagesAPI) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", base_url=api.url, max_retries=0, timeout=5)


def test_a_streamed_reply_reassembles_into_the_scripted_message(api: FakeMessagesAPI) -> None:
    thinking = {"type": "thinking", "thinking": "look first", "signature": "sig-123"}
    scripted = tool_use("bash", {"command": "ls -la", "nested": {"a": [1, 2]}}, text="Looking.")
    scripted["content"].insert(0, thinking)
    api.enqueue(scripted)
    with client(api).messages.stream(**ARGS) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert api.requests[0]["stream"] is True
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert [b.model_dump(exclude_none=True) for b in final.content] == [
        {"type": "thinking", "thinking": "look first", "signature": "sig-123"},
        {"type": "text", "text": "Looking."},
        {
            "type": "tool_use",
            "id": scripted["content"][2]["id"],
            "name": "bash",
            "input": {"command": "ls -la", "nested": {"a": [1, 2]}},
        },
    ]
    assert final.stop_reason == "tool_use" and final.usage.output_tokens == 20


def test_json_and_stream_give_the_same_message(api: FakeMessagesAPI) -> None:
    reply = message(
        [{"type": "text", "text": "same"}], "end_turn", {"input_tokens": 7, "output_tokens": 3}
    )
    api.enqueue(reply, reply)
    plain = client(api).messages.create(**ARGS)
    with client(api).messages.stream(**ARGS) as stream:
        streamed = stream.get_final_message()
    dump = lambda blocks: [b.model_dump(exclude_none=True) for b in blocks]  # noqa: E731
    assert dump(plain.content) == dump(streamed.content) == [{"type": "text", "text": "same"}]
    assert plain.stop_reason == streamed.stop_reason == "end_turn"
    assert (streamed.usage.input_tokens, streamed.usage.output_tokens) == (7, 3)


def test_faults_reach_the_sdk_as_the_real_errors(api: FakeMessagesAPI) -> None:
    api.enqueue(
        Fault(status=429, headers={"retry-after": "3"}),
        Fault(status=529),
        Fault(status=400),
        Fault(drop=True),
        Fault(malformed=True),
    )
    sdk = client(api)
    with pytest.raises(anthropic.RateLimitError) as limited:
        sdk.messages.create(**ARGS)
    assert limited.value.response.headers["retry-after"] == "3"
    with pytest.raises(anthropic.OverloadedError):
        sdk.messages.create(**ARGS)
    with pytest.raises(anthropic.BadRequestError):
        sdk.messages.create(**ARGS)
    with pytest.raises(anthropic.APIConnectionError):
        sdk.messages.create(**ARGS)
    with pytest.raises(ValueError):  # the SDK surfaces a broken body as a JSON decode error
        sdk.messages.create(**ARGS)


def test_a_responder_answers_each_conversation_by_its_own_state() -> None:
    def responder(body):  # type: ignore[no-untyped-def]
        turns = sum(m["role"] == "assistant" for m in body["messages"])
        return end_turn(f"turn {turns}")

    with FakeMessagesAPI(responder=responder) as api:
        sdk = client(api)
        first = sdk.messages.create(**ARGS)
        second = sdk.messages.create(
            **{
                **ARGS,
                "messages": [
                    *ARGS["messages"],
                    {"role": "assistant", "content": "a"},
                    {"role": "user", "content": "b"},
                ],
            }
        )
    assert first.content[0].text == "turn 0" and second.content[0].text == "turn 1"


def test_latency_and_the_peak_of_requests_in_flight() -> None:
    with FakeMessagesAPI(latency=0.3) as api:
        threads = [
            threading.Thread(target=lambda: client(api).messages.create(**ARGS)) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert api.peak_in_flight == 3 and api.in_flight == 0 and len(api.requests) == 3
