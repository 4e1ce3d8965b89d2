"""A hostile or failing network: the real `harness run` (a subprocess) against the fake
Messages API on loopback, which fails calls in every way the real one can, dies and comes
back, stalls half way through a reply, or stays down.

The provider's timeout (`HARNESS_API_TIMEOUT`, default 600 s) and attempts per call
(`HARNESS_API_ATTEMPTS`, default 10) are lowered here so that the tests take seconds; the
backoff schedule itself is the real one.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.core.errors import ProviderUnavailable
from harness.core.files import read_events
from harness.providers.anthropic import AnthropicProvider
from harness.providers.base import ModelRequest
from harness.providers.registry import provider_info
from harness.run.runner import NOT_RUN, OUTAGE_SAMPLES
from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, tool_use

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = "1"  # seconds without a byte before a call is given up and retried
SLOW = 2.5  # a slow reply: past TIMEOUT
FAULT_RATE = 0.3
FAULTS: dict[str, Fault] = {
    "429": Fault(status=429, headers={"retry-after": "0"}),
    "529": Fault(status=529),
    "500": Fault(status=500),
    "503": Fault(status=503),
    "drop": Fault(drop=True),
    "slow": Fault(status=200, delay=SLOW),
    "malformed": Fault(malformed=True),
}
RUN_SECONDS = 120  # a run that takes longer than this is hanging
MODEL = "claude-sonnet-5-5"


def two_turns(body: dict) -> dict:  # type: ignore[type-arg]
    """Each conversation: one file written with the editor, then the end of the turn."""
    if any(m["role"] == "assistant" for m in body["messages"]):
        return end_turn("done")
    return tool_use(
        "str_replace_based_edit_tool",
        {"command": "create", "path": "/workspace/NOTES.md", "file_text": "written\n"},
    )


def one_or_two_turns(body: dict) -> dict:  # type: ignore[type-arg]
    """Half the conversations end at once (1 turn), the others write a file first (2 turns)."""
    if any(m["role"] == "assistant" for m in body["messages"]) or random.random() < 0.5:
        return end_turn("done")
    return two_turns(body)


def harness_env(api: FakeMessagesAPI, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ANTHROPIC_API_KEY": "sk-ant-fake",
        "ANTHROPIC_BASE_URL": api.url,
        "HARNESS_API_TIMEOUT": TIMEOUT,
        **extra,
    }


def start_run(out: Path, env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "harness", "run"]
    if argv[:1] != ("--resume",):
        command += ["--agent", "baseline", "--model", "sonnet", "--no-score", "--no-cache"]
        command += ["--out", str(out)]
    return subprocess.Popen(
        [*command, *argv], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        stdout, stderr = process.communicate(timeout=RUN_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr = process.communicate()
        pytest.fail(f"harness run hung for {RUN_SECONDS} s:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    return process.returncode, stdout, stderr


def sample_keys(out: Path) -> list[tuple[str, str, int]]:
    return [
        (e["score"]["arm"], e["score"]["task_id"], e["score"]["epoch"])
        for e in read_events(out / "events.jsonl")
    ]


def report_of(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "report.json").read_text())


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + RUN_SECONDS
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"harness run ended before {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, 9)
            pytest.fail(f"never saw {what}")
        time.sleep(0.05)


def events_count(out: Path) -> int:
    events = out / "events.jsonl"
    return events.read_text().count("\n") if events.is_file() else 0


@pytest.mark.slow
def test_a_run_with_30_percent_of_calls_failing_in_every_way_finishes_every_sample_once(
    tasks_root: Path, tmp_path: Path
) -> None:
    """200 samples while 30% of calls fail, spread over every fault class (429 with
    retry-after 0, 529, 500, 503, a dropped connection, a reply slower than the timeout, a
    malformed JSON body): the run completes with exit 0, every sample is in events.jsonl
    exactly once, and the samples that still errored (if any) are the report's errored
    samples, each with the API's last error; every fault class was really served."""
    chance = random.Random(7)
    lock = threading.Lock()
    served: Counter[str] = Counter()

    def flaky(body: dict) -> dict | Fault:  # type: ignore[type-arg]
        with lock:
            roll, kind = chance.random(), chance.choice(sorted(FAULTS))
            if roll < FAULT_RATE:
                served[kind] += 1
                return FAULTS[kind]
        return one_or_two_turns(body)

    out = tmp_path / "run"
    samples = 200
    started = time.monotonic()
    with FakeMessagesAPI(responder=flaky, latency=0.01) as api:
        process = start_run(
            out, harness_env(api), "--epochs", str(samples), "--max-connections", "16"
        )
        code, _, stderr = finish(process)
    elapsed = time.monotonic() - started
    assert code == 0, stderr
    assert set(served) == set(FAULTS), served  # every class of fault was served
    keys = sample_keys(out)
    assert len(keys) == samples and len(set(keys)) == samples  # each sample exactly once
    report = report_of(out)
    assert report["aggregates"]["samples"] == samples
    logged = {k: e["score"] for k, e in zip(keys, read_events(out / "events.jsonl"), strict=True)}
    errored = sorted(k for k, s in logged.items() if s["status"] == "errored")
    listed = sorted(
        (s["arm"], s["task_id"], s["epoch"]) for s in report["samples"] if s["status"] == "errored"
    )
    assert listed == errored and report["aggregates"]["errored"] == len(errored)
    for sample in report["samples"]:
        if sample["status"] == "errored":  # the API's last error, not a model failure
            assert sample["error"]["kind"] == "provider-unavailable", sample
        else:
            assert sample["error"]["kind"] == "no-score" and sample["stop_reason"] == "end_turn"
    assert len(api.requests) > sum(s["turns"] for s in report["samples"])  # faults were retried
    assert elapsed < RUN_SECONDS


@pytest.mark.slow
def test_the_server_dying_mid_run_and_coming_back_is_waited_out(
    tasks_root: Path, tmp_path: Path
) -> None:
    """The server process dies mid-run (its listening socket closed, the calls in flight cut)
    and comes back on the same port 3 s later: the run, which was still going when it died,
    keeps retrying through the outage and completes with exit 0, no sample errored, each
    sample once, and calls answered after the restart."""
    out = tmp_path / "run"
    samples = 16
    with FakeMessagesAPI(responder=two_turns, latency=0.1) as api:
        process = start_run(
            out, harness_env(api), "--epochs", str(samples), "--max-connections", "4"
        )
        wait_for(lambda: events_count(out) >= 2, process, "the first samples")
        api.stop()
        before = len(api.requests)
        assert process.poll() is None and events_count(out) < samples  # died mid-run
        time.sleep(3)
        assert process.poll() is None  # still waiting, not given up
        api.start()
        code, _, stderr = finish(process)
        after = len(api.requests) - before
    assert code == 0, stderr
    assert after > 0  # the run went on against the server that came back
    keys = sample_keys(out)
    assert len(keys) == samples and len(set(keys)) == samples
    report = report_of(out)
    assert report["aggregates"]["errored"] == 0
    assert {s["stop_reason"] for s in report["samples"]} == {"end_turn"}


@pytest.mark.slow
def test_a_response_that_never_ends_times_out_and_is_retried(
    tasks_root: Path, tmp_path: Path
) -> None:
    """The first reply sends its headers and then never another byte; the retry gets the
    headers and half the body and then nothing more. Each time the client gives up after
    HARNESS_API_TIMEOUT (1 s), not after the 60 s stall, and sends the same call again; the
    third try is answered and the sample completes normally."""
    out = tmp_path / "run"
    with FakeMessagesAPI(responder=two_turns) as api:
        api.enqueue(Fault(partial=0), Fault(partial=40))
        started = time.monotonic()
        code, _, stderr = finish(start_run(out, harness_env(api)))
        elapsed = time.monotonic() - started
        requests = list(api.requests)
    assert code == 0, stderr
    assert elapsed < 30  # the stalls (60 s each) were not waited out
    assert len(requests) == 4  # two stalled calls, then the sample's two turns
    assert requests[0] == requests[1] == requests[2]  # the same call, retried
    (sample,) = report_of(out)["samples"]
    assert sample["stop_reason"] == "end_turn" and sample["turns"] == 2
    assert (
        out / "samples/baseline/health-db/house-style/1/workspace/NOTES.md"
    ).read_text() == "written\n"


@pytest.mark.slow
def test_a_long_outage_stops_the_run_cleanly_and_resume_finishes_it(
    tasks_root: Path, tmp_path: Path
) -> None:
    """The API goes down after the first samples and stays down (every connection refused):
    the circuit breaker stops the run once OUTAGE_SAMPLES samples in a row errored, instead
    of spinning through every remaining sample. It exits 2 with one line on stderr naming
    the run directory and the resume command, no traceback; report.json lists the samples
    not run as skipped (kind api-unavailable) and the few that errored (only the wave that
    was running), and the event log holds each finished sample once. Once the API is back,
    `harness run --resume DIR` runs what was not run and retries what errored: every sample
    done, none errored."""
    out = tmp_path / "run"
    samples, connections = 40, 2
    per_connection = provider_info("claude-sonnet-4-5").samples_per_connection
    running = connections * per_connection  # samples in progress at once
    with FakeMessagesAPI(responder=two_turns, latency=0.05) as api:
        env = harness_env(api, HARNESS_API_ATTEMPTS="3")  # ~3 s of backoff per call
        process = start_run(
            out, env, "--epochs", str(samples), "--max-connections", str(connections)
        )
        wait_for(lambda: events_count(out) >= 2, process, "the first samples")
        api.stop()  # the outage: connections refused from now on
        code, stdout, stderr = finish(process)
        assert code == 2, stdout + stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in stderr, stderr
        streak = re.search(r"the API was unavailable for (\d+) samples in a row", lines[0])
        assert streak and int(streak[1]) >= OUTAGE_SAMPLES, lines[0]
        assert lines[0].endswith(f"resume with: harness run --resume {out}")
        report = report_of(out)
        assert len(report["samples"]) == samples
        not_run = [s for s in report["samples"] if (s["error"] or {}).get("kind") == NOT_RUN]
        errored = [s for s in report["samples"] if s["status"] == "errored"]
        assert {s["error"]["kind"] for s in errored} == {"provider-unavailable"}
        assert OUTAGE_SAMPLES <= len(errored) <= 2 * running  # stopped, not spun through
        keys = sample_keys(out)
        assert len(keys) == len(set(keys)) == samples - len(not_run) > 0
        assert not (out / "report.html").exists()  # not mistaken for a finished run

        api.start()  # the API is back
        code, _, stderr = finish(
            start_run(out, env, "--resume", str(out), "--max-connections", "8")
        )
    assert code == 0, stderr
    report = report_of(out)
    assert report["aggregates"]["samples"] == samples
    assert report["aggregates"]["errored"] == 0
    assert {s["error"]["kind"] for s in report["samples"]} == {"no-score"}
    assert {s["stop_reason"] for s in report["samples"]} == {"end_turn"}
    final = {}
    for key, event in zip(sample_keys(out), read_events(out / "events.jsonl"), strict=True):
        final[key] = event["score"]["status"]  # a retried sample's last line wins
    assert len(final) == samples and set(final.values()) == {"skipped"}


def test_a_call_that_runs_out_of_attempts_gives_up_without_a_last_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against a server that is down, a call waits between its attempts but not after the
    last one (which used to cost a whole extra backoff, up to a minute, per sample)."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    with FakeMessagesAPI() as api:
        url = api.url
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake")
    provider = AnthropicProvider(MODEL, base_url=url, max_attempts=3, sleep=record)
    request = ModelRequest(model=MODEL, system="s", messages=[{"role": "user", "content": "hi"}])

    async def call() -> None:
        try:
            await provider.generate(request)
        finally:
            await provider.aclose()

    with pytest.raises(ProviderUnavailable, match="gave up after 3 attempts"):
        asyncio.run(call())
    assert len(waits) == 2
