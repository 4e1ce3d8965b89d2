"""Concurrent samples, --no-score, replay and --resume, through the real CLI.

The model is the fake Messages API on loopback (never the real API) or the oracle.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.files import read_events
from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, tool_use

REPO = Path(__file__).resolve().parents[1]
TOOL_TURNS = 2


def scripted_sample(body: dict) -> dict:  # type: ignore[type-arg]
    """Each conversation: TOOL_TURNS bash calls, then the end of the turn."""
    turns = sum(m["role"] == "assistant" for m in body["messages"])
    if turns < TOOL_TURNS:
        return tool_use("bash", {"command": f"echo turn-{turns} >> log.txt; cat log.txt"})
    return end_turn("done")


@pytest.fixture
def fake_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")


def run_cli(*argv: str) -> int:
    return main(["run", "--agent", "baseline", *argv])


def sample_keys(out: Path) -> list[tuple[str, str, int]]:
    return [
        (e["score"]["arm"], e["score"]["task_id"], e["score"]["epoch"])
        for e in read_events(out / "events.jsonl")
    ]


def test_samples_overlap_up_to_max_connections(
    tasks_root: Path, tmp_path: Path, fake_key: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeMessagesAPI(responder=scripted_sample, latency=0.3) as api:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
        out = tmp_path / "run"
        code = run_cli(
            "--model",
            "sonnet",
            "--epochs",
            "6",
            "--max-connections",
            "3",
            "--no-score",
            "--out",
            str(out),
        )
    assert code == 0
    assert api.peak_in_flight == 3  # concurrent, and never past the limit
    assert len(api.requests) == 6 * (TOOL_TURNS + 1)
    keys = sample_keys(out)
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 6
    transcript = json.loads(
        (out / "samples/baseline/health-db/house-style/4/transcript.json").read_text()
    )
    last_result = transcript["messages"][-2]["content"][0]
    assert last_result["content"] == "turn-0\nturn-1\n"  # each sample has its own workspace
    report = json.loads((out / "report.json").read_text())
    assert {s["status"] for s in report["samples"]} == {"skipped"}
    assert {s["error"]["kind"] for s in report["samples"]} == {"no-score"}
    assert report["aggregates"]["tokens"]["input"] == 6 * (TOOL_TURNS + 1) * 100


def test_a_storm_of_429_and_529_still_finishes_every_sample_once(
    tasks_root: Path, tmp_path: Path, fake_key: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    chance = random.Random(7)
    lock = threading.Lock()
    faults = []

    def flaky(body: dict) -> dict | Fault:  # type: ignore[type-arg]
        with lock:
            roll = chance.random()
        if roll < 0.3 or len(faults) == 0:
            faults.append(roll)
            return Fault(status=429 if roll < 0.15 else 529, headers={"retry-after": "0"})
        return scripted_sample(body)

    with FakeMessagesAPI(responder=flaky, latency=0.05) as api:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
        out = tmp_path / "run"
        assert (
            run_cli(
                "--model",
                "sonnet",
                "--epochs",
                "8",
                "--max-connections",
                "4",
                "--no-score",
                "--out",
                str(out),
            )
            == 0
        )
    keys = sample_keys(out)
    assert len(keys) == 8 and len(set(keys)) == 8
    report = json.loads((out / "report.json").read_text())
    assert all(s["stop_reason"] == "end_turn" for s in report["samples"])
    # every fault was retried, and no sample was answered from another epoch's cache entry
    assert len(api.requests) == 8 * (TOOL_TURNS + 1) + len(faults)


def test_replay_rescores_recorded_transcripts_without_the_api(
    tasks_root: Path, tmp_path: Path
) -> None:
    original, unscored, replayed = (
        tmp_path / "original",
        tmp_path / "unscored",
        tmp_path / "replayed",
    )
    assert run_cli("--model", "oracle:http-exc", "--out", str(original)) == 0
    assert run_cli("--model", "oracle:http-exc", "--no-score", "--out", str(unscored)) == 0
    assert run_cli("--model", f"replay:{unscored}", "--out", str(replayed)) == 0
    first = json.loads((original / "report.json").read_text())["samples"][0]
    again = json.loads((replayed / "report.json").read_text())["samples"][0]
    assert again["status"] == "scored" and again["resolved"] is False
    for key in ("tests", "findings", "changed_files", "resolved"):
        assert again[key] == first[key], key
    assert sorted({f["code"] for f in again["findings"]}) == ["ARCH101", "ARCH501", "ARCH602"]


def test_replay_of_a_missing_run_is_bad_input(tasks_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("--model", f"replay:{tmp_path / 'nope'}", "--out", str(tmp_path / "r")) == 2
    assert "no such run directory" in capsys.readouterr().err


def _outcome(sample: dict) -> dict:  # type: ignore[type-arg]
    keys = ("task_id", "epoch", "arm", "status", "resolved", "tests", "findings")
    return {key: sample[key] for key in keys}


def _harness(*argv: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *argv],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


@pytest.mark.slow
def test_resume_after_kill_9_finishes_with_the_clean_run_s_scores(
    tasks_root: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "HARNESS_TASKS_DIR": str(tasks_root)}
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    args = [
        "run",
        "--agent",
        "baseline",
        "--model",
        "oracle:no-database-key",
        "--epochs",
        "4",
        "--max-connections",
        "1",
    ]
    process = _harness(*args, "--out", str(killed), env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        events = killed / "events.jsonl"
        if events.is_file() and events.read_text().count("\n") >= 1:
            break
        time.sleep(0.05)
    assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (killed / "report.json").exists()
    finished_before = len(sample_keys(killed))
    assert 1 <= finished_before < 4
    resumed = _harness("run", "--resume", str(killed), env=env)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()  # type: ignore[union-attr]
    assert _harness(*args, "--out", str(clean), env=env).wait(timeout=300) == 0
    keys = sample_keys(killed)
    assert len(keys) == 4 and len(set(keys)) == 4
    after, reference = (json.loads((d / "report.json").read_text()) for d in (killed, clean))
    assert [_outcome(s) for s in after["samples"]] == [_outcome(s) for s in reference["samples"]]
    assert after["aggregates"] == reference["aggregates"]


def test_resume_needs_a_run_directory(
    tasks_root: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    assert main(["run", "--resume", str(tmp_path)]) == 2
    assert "no run.json there" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)  # no evals/ here, so no default suite names an agent
    assert main(["run"]) == 2
    assert "--agent is required" in capsys.readouterr().err


def test_a_grading_failure_is_one_errored_sample_not_the_end_of_the_run(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import harness.run.runner as runner

    real = runner._timed_grade

    def flaky(task, starter, workspace, *, epoch, **kwargs):  # type: ignore[no-untyped-def]
        if epoch == 1:
            raise UnicodeEncodeError("utf-8", "\udce9", 0, 1, "surrogates not allowed")
        return real(task, starter, workspace, epoch=epoch, **kwargs)

    monkeypatch.setattr(runner, "_timed_grade", flaky)
    out = tmp_path / "run"
    assert run_cli("--model", "oracle", "--epochs", "2", "--out", str(out)) == 0
    first, second = json.loads((out / "report.json").read_text())["samples"]
    assert (
        first["status"] == "errored"
        and first["error"]["kind"] == "grading-failed"
        and first["error"]["message"].startswith("UnicodeEncodeError: ")
    )
    assert second["status"] == "scored" and second["resolved"] is True


def test_a_run_whose_samples_all_errored_says_n_a_and_fails_its_gates(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Nothing scored is not 0 %: every rate reads n/a, the run exits 1, a gate over an
    unmeasured rate fails saying why, and compare refuses to gate against it."""
    import harness.run.runner as runner
    from harness.cli.app import main
    from harness.run.evals import Gates, failed_gates

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("grader down")

    monkeypatch.setattr(runner, "_timed_grade", broken)
    out = tmp_path / "run"
    assert run_cli("--model", "oracle", "--epochs", "2", "--out", str(out)) == 1
    said = capsys.readouterr().out
    assert "nothing was scored: all 2 sample(s) errored" in " ".join(said.split())
    report = json.loads((out / "report.json").read_text())
    aggregates = report["aggregates"]
    assert aggregates["resolved_rate"] is None and aggregates["test_pass_rate"] is None
    assert set(aggregates["rule_compliance"].values()) == {None}
    summary = (out / "summary.md").read_text()
    assert "(n/a)** | n/a |" in summary and "0%" not in summary
    html = (out / "report.html").read_text()
    assert 'id="nothing-scored"' in html and ">0%<" not in html
    from harness.core.schema import Aggregates

    gates = Gates(min_resolved_rate=0.5, min_rule_compliance={"raw-sql": 0.9})
    assert failed_gates(gates, Aggregates.model_validate(aggregates)) == [
        "resolved rate is n/a: no sample was scored, so the gate cannot pass",
        "raw-sql compliance is n/a: no sample was scored, so the gate cannot pass",
    ]
    assert main(["compare", str(out), str(out), "--fail-on-regression"]) == 2
    assert "has no scored sample" in capsys.readouterr().err
