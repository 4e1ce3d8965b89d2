"""The Anthropic provider against the fake Messages API on loopback (never the real API)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from harness.core.errors import MissingApiKey, ProviderRefused, ProviderUnavailable
from harness.core.usage import Usage
from harness.providers.anthropic import AnthropicProvider, build_params, price, retry_delay
from harness.providers.base import ModelRequest
from harness.solver.loop import solve
from harness.solver.tools import TOOL_SPECS, Toolbox
from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, message, tool_use

MODEL = "claude-sonnet-5-5"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    with FakeMessagesAPI() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


async def _no_sleep(_: float) -> None:
    return None


def provider(**kwargs) -> AnthropicProvider:  # type: ignore[no-untyped-def]
    return AnthropicProvider(MODEL, sleep=_no_sleep, timeout=5, **kwargs)


def request(messages=None) -> ModelRequest:  # type: ignore[no-untyped-def]
    return ModelRequest(
        model=MODEL,
        system="You are X.",
        messages=messages or [{"role": "user", "content": "hi"}],
        tools=TOOL_SPECS,
    )


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_missing_key_is_a_clear_input_error() -> None:
    with pytest.raises(MissingApiKey, match=r"ANTHROPIC_API_KEY is not set.*--model oracle"):
        AnthropicProvider(MODEL)


def test_params_carry_cache_breakpoints_and_no_sampling_parameters() -> None:
    params = build_params(
        request(
            [
                {"role": "user", "content": "a"},
                {"role": "assistant", "content": [{"type": "text", "text": "b"}]},
                {
                    "role": "user",
                    "content": [{"type": "tool_result", "tool_use_id": "t", "content": "x"}],
                },
            ]
        )
    )
    assert params["system"] == [
        {"type": "text", "text": "You are X.", "cache_control": {"type": "ephemeral"}}
    ]
    assert (
        params["tools"][-1]["cache_control"] == {"type": "ephemeral"}
        and "cache_control" not in params["tools"][0]
    )
    assert params["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert not {"temperature", "top_p", "top_k"} & set(params)


def test_the_transcript_is_not_mutated_by_the_moving_breakpoint() -> None:
    messages = [{"role": "user", "content": [{"type": "text", "text": "a"}]}]
    build_params(request(messages))
    assert "cache_control" not in messages[0]["content"][0]


def test_a_tool_loop_to_completion_in_a_workspace(api: FakeMessagesAPI, tmp_path: Path) -> None:
    api.enqueue(
        tool_use(
            "str_replace_based_edit_tool",
            {"command": "create", "path": "/workspace/a.py", "file_text": "x = 1\n"},
        ),
        tool_use("bash", {"command": "cat a.py"}),
        end_turn("All done."),
    )
    workspace = tmp_path / "ws"
    workspace.mkdir()
    transcript = run(
        solve(
            provider(),
            MODEL,
            "You are X.",
            "Make a.py",
            Toolbox(workspace, mode="none"),
            max_turns=10,
            wall_seconds=60,
        )
    )
    assert (workspace / "a.py").read_text() == "x = 1\n"
    assert (
        transcript.stop_reason == "end_turn"
        and transcript.turns == 3
        and transcript.tool_calls == 2
    )
    third = api.requests[2]
    assert third["system"][0]["text"] == "You are X." and third["model"] == MODEL
    assert third["messages"][-1]["content"][0]["content"].startswith("x = 1")
    assert {t["name"] for t in third["tools"]} == {"str_replace_based_edit_tool", "bash"}
    assert api.headers[0]["authorization"] == "Bearer sk-ant-test"
    assert transcript.usage.input_tokens == 300 and transcript.usage.output_tokens == 60
    assert transcript.usage.cost_usd == pytest.approx(
        price(
            Usage(input_tokens=300, output_tokens=60),
            {"input": 2.0, "cache_write_5m": 2.5, "cache_read": 0.1, "output": 10.0},
        )
    )


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=429, headers={"retry-after": "0"}),
        Fault(status=529),
        Fault(status=500),
        Fault(status=503),
        Fault(drop=True),
        Fault(malformed=True),
    ],
    ids=["429", "529", "500", "503", "dropped", "malformed-json"],
)
def test_transient_faults_are_retried(api: FakeMessagesAPI, fault: Fault) -> None:
    api.enqueue(fault, fault, end_turn("ok"))
    response = run(provider().generate(request()))
    assert response.stop_reason == "end_turn" and len(api.requests) == 3


def test_a_slow_reply_times_out_and_is_retried(api: FakeMessagesAPI) -> None:
    api.enqueue(Fault(status=200, delay=3.0), end_turn("ok"))
    response = run(AnthropicProvider(MODEL, sleep=_no_sleep, timeout=0.5).generate(request()))
    assert response.stop_reason == "end_turn"


def test_a_429_halves_the_shared_limit_and_successes_restore_it(api: FakeMessagesAPI) -> None:
    from harness.providers.limiter import AdaptiveLimiter

    limiter = AdaptiveLimiter(8)
    api.enqueue(Fault(status=429, headers={"retry-after": "0"}), end_turn("ok"))
    response = run(provider(limiter=limiter).generate(request()))
    assert response.stop_reason == "end_turn"
    assert limiter.decreases == 1 and 4 < limiter.limit < 5  # halved, then one success back
    api.enqueue(Fault(status=529), end_turn("ok"))
    run(provider(limiter=limiter).generate(request()))
    assert limiter.decreases == 1  # overload is retried, but it is not a rate-limit signal


def test_other_4xx_fail_at_once_with_the_api_message(api: FakeMessagesAPI) -> None:
    api.enqueue(Fault(status=400), end_turn("never"))
    with pytest.raises(ProviderRefused, match=r"HTTP 400: fake 400"):
        run(provider().generate(request()))
    assert len(api.requests) == 1


def test_retries_are_bounded(api: FakeMessagesAPI) -> None:
    api.enqueue(*[Fault(status=529)] * 4)
    with pytest.raises(
        ProviderUnavailable, match=r"gave up after 3 attempts; last error: HTTP 529"
    ):
        run(provider(max_attempts=3).generate(request()))


def test_every_stop_reason_ends_or_continues_the_loop(api: FakeMessagesAPI, tmp_path: Path) -> None:
    api.enqueue(
        message([{"type": "text", "text": "thinking long"}], "pause_turn"),
        message([{"type": "text", "text": "cut"}], "max_tokens"),
    )
    transcript = run(
        solve(
            provider(),
            MODEL,
            "s",
            "go",
            Toolbox(tmp_path, mode="none"),
            max_turns=10,
            wall_seconds=60,
        )
    )
    assert transcript.stop_reason == "max_tokens" and transcript.turns == 2
    assert api.requests[1]["messages"][-1]["content"][0]["text"] == "thinking long"
    for reason in ("refusal", "model_context_window_exceeded", "end_turn", "something_new"):
        api.enqueue(message([{"type": "text", "text": "x"}], reason))
        t = run(
            solve(
                provider(),
                MODEL,
                "s",
                "go",
                Toolbox(tmp_path, mode="none"),
                max_turns=10,
                wall_seconds=60,
            )
        )
        assert (t.stop_reason, t.turns) == (reason, 1)


def test_retry_delay_honours_the_server() -> None:
    assert retry_delay(0, {"retry-after": "7"}) == 7.0
    assert retry_delay(0, {"retry-after-ms": "250"}) == 0.25
    assert 0.75 * 4 <= retry_delay(2, {}) <= 4.0


def test_harness_run_with_a_real_model_id_against_the_fake_api(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's real-model command, end to end, with ANTHROPIC_BASE_URL on loopback."""
    import json

    from harness.cli.app import main

    reference = tasks_root / "health-db" / "solutions" / "house-style" / "reference"
    writes = [
        tool_use(
            "str_replace_based_edit_tool",
            {
                "command": "create",
                "path": f"/workspace/{p.relative_to(reference).as_posix()}",
                "file_text": p.read_text(),
            },
        )
        for p in sorted(reference.rglob("*.py"))
    ]
    api.enqueue(*writes, end_turn("Implemented."))
    out = tmp_path / "run"
    code = main(
        ["run", "--agent", "fastapi-backend-architect", "--model", "sonnet", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr()
    report = json.loads((out / "report.json").read_text())
    [sample] = report["samples"]
    assert report["run"]["model"] == "claude-sonnet-5-5" and sample["resolved"] is True
    assert (
        sample["usage"]["input_tokens"] == 100 * (len(writes) + 1)
        and report["aggregates"]["cost_usd"] > 0
    )
    per_task = report["by_task"]["health-db"]
    assert per_task["tokens"]["input"] == sample["usage"]["input_tokens"]
    assert per_task["cost_usd"] == report["aggregates"]["cost_usd"]
    assert api.requests[0]["system"][0]["text"].startswith("# FastAPI Backend Architect")
    assert api.requests[0]["messages"][0]["content"][0]["text"].startswith("Make GET /health")


def test_a_rerun_of_an_unchanged_prompt_is_answered_from_the_cache(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    import json

    from harness.cli.app import main

    api.enqueue(end_turn("nothing to do"))
    first = tmp_path / "first"
    assert main(["run", "--agent", "baseline", "--model", "sonnet", "--out", str(first)]) == 0
    asked = len(api.requests)
    second = tmp_path / "second"
    assert main(["run", "--agent", "baseline", "--model", "sonnet", "--out", str(second)]) == 0
    assert len(api.requests) == asked == 1
    scores = [json.loads((d / "report.json").read_text())["samples"][0] for d in (first, second)]
    assert scores[0]["tests"] == scores[1]["tests"] and scores[1]["usage"]["cost_usd"] == 0.0
    api.enqueue(end_turn("asked again"))
    third = tmp_path / "third"
    assert (
        main(["run", "--agent", "baseline", "--model", "sonnet", "--out", str(third), "--no-cache"])
        == 0
    )
    assert len(api.requests) == 2


def test_each_epoch_is_its_own_draw_and_a_rerun_replays_each_epochs_answer(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    """Epochs with the same conversation must not answer each other from the cache."""
    import json

    from harness.cli.app import main

    api.enqueue(*(end_turn(f"draw {n}") for n in range(1, 4)))
    argv = ["run", "--agent", "baseline", "--model", "sonnet", "--epochs", "3"]
    argv += ["--max-connections", "1"]  # epoch 1 is answered (and cached) before epoch 2 asks
    assert main([*argv, "--out", str(tmp_path / "first")]) == 0
    assert len(api.requests) == 3
    assert main([*argv, "--out", str(tmp_path / "second")]) == 0
    assert len(api.requests) == 3  # the rerun is free
    for epoch in (1, 2, 3):
        texts = [
            json.loads(
                (
                    tmp_path
                    / run
                    / f"samples/baseline/health-db/house-style/{epoch}/transcript.json"
                ).read_text()
            )["messages"][-1]["content"][0]["text"]
            for run in ("first", "second")
        ]
        assert texts[0] == texts[1]  # each epoch replays its own answer
    drawn = {
        json.loads(
            (
                tmp_path / f"first/samples/baseline/health-db/house-style/{epoch}/transcript.json"
            ).read_text()
        )["messages"][-1]["content"][0]["text"]
        for epoch in (1, 2, 3)
    }
    assert drawn == {"draw 1", "draw 2", "draw 3"}


def test_max_cost_stops_starting_samples_and_says_which(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path
) -> None:
    import json

    from harness.cli.app import main

    api.enqueue(end_turn("one"), end_turn("two"), end_turn("three"))
    out = tmp_path / "run"
    argv = [
        "run",
        "--agent",
        "baseline",
        "--model",
        "sonnet",
        "--out",
        str(out),
        "--epochs",
        "3",
        "--no-cache",
    ]
    assert main([*argv, "--max-cost", "0.0005"]) == 0  # one call costs $0.0004 at sonnet prices
    report = json.loads((out / "report.json").read_text())
    assert [s["status"] for s in report["samples"]] == ["scored", "skipped", "skipped"]
    assert (
        report["samples"][1]["error"]["kind"] == "max-cost" and report["aggregates"]["skipped"] == 2
    )
    assert len(api.requests) == 1
    assert main(argv) == 0  # the same run, resumed without a cap, finishes the skipped samples
    report = json.loads((out / "report.json").read_text())
    assert [s["status"] for s in report["samples"]] == ["scored"] * 3 and len(api.requests) == 3


def test_answers_from_one_endpoint_are_never_replayed_for_another(
    api: FakeMessagesAPI,
    tasks_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's fake-API demo, then the same run against a second fake on another port:
    the endpoint is part of the cache key, so the second fake is asked, and both runs say
    how many answers came from the cache (the first rerun all of them, the other none)."""
    import json

    from harness.cli.app import main

    def run(name: str) -> tuple[dict, str]:  # type: ignore[type-arg]
        out = tmp_path / name
        argv = ["run", "--agent", "baseline", "--model", "sonnet", "--out", str(out)]
        assert main(argv) == 0
        printed = capsys.readouterr().out
        return json.loads((out / "report.json").read_text()), (
            out / "summary.md"
        ).read_text() + printed

    api.enqueue(end_turn("first endpoint"))
    first, _ = run("first")
    assert len(api.requests) == 1 and first["aggregates"]["cached_turns"] == 0
    again, said = run("again")  # the same endpoint: answered from the cache
    assert len(api.requests) == 1 and again["aggregates"]["cached_turns"] == 1
    assert "1 of 1 model answers came from the response cache" in said
    with FakeMessagesAPI() as other:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", other.url)
        other.enqueue(end_turn("second endpoint"))
        second, said = run("second")
        assert len(other.requests) == 1  # asked, not replayed
    assert second["aggregates"]["cached_turns"] == 0 and second["samples"][0]["cached_turns"] == 0
    assert "0 of 1 model answers came from the response cache" in said
    html = (tmp_path / "second" / "report.html").read_text()
    assert "0 of 1 model answers from the response cache" in html


def test_the_cache_command_counts_and_clears_what_is_stored(
    api: FakeMessagesAPI, tasks_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli.app import main

    api.enqueue(end_turn("stored"))
    assert (
        main(["run", "--agent", "baseline", "--model", "sonnet", "--out", str(tmp_path / "r")]) == 0
    )
    capsys.readouterr()
    assert main(["cache", "stats"]) == 0
    assert capsys.readouterr().out.startswith("1 cached answer(s), ")
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out.startswith("removed 1 cached answer(s)")
    assert main(["cache", "stats"]) == 0
    assert capsys.readouterr().out.startswith("0 cached answer(s), 0 bytes")
