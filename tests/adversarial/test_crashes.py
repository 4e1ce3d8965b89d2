"""kill -9 of `harness run` at random points, then `--resume`: the report equals a clean run's.

The harness runs as a real subprocess (the oracle model, the test task `health-db`), its
process group is SIGKILLed after a seeded random delay spread over a clean run's duration,
and the run is resumed, killed again, and finally resumed to the end. Every finished run
must hold each sample exactly once, with the clean run's outcomes and aggregates, and the
event log must never hold a line that breaks reading. Torn lines are also crafted directly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.files import discard_torn_tail, read_events

REPO = Path(__file__).resolve().parents[2]
KILL_SEED = 7_2024
MIN_KILLS = 20
KILLS_PER_ROUND = 4
UNSCORED_EPOCHS = 24
SCORED_EPOCHS = 2
SCORED_KILLS = 2
POLL_S = 0.005
EARLY_S = 0.1  # kill points start a little before the run directory is made
LATE_S = 0.1  # and end a little after report.json is written
RUN_TIMEOUT_S = 120
OUTCOME_KEYS = ("task_id", "epoch", "arm", "status", "resolved", "tests", "findings")


def run_args(out: Path, *, epochs: int, score: bool) -> list[str]:
    args = ["run", "--agent", "baseline", "--model", "oracle:no-database-key"]
    args += ["--epochs", str(epochs), "--max-connections", "1", "--out", str(out)]
    return args if score else [*args, "--no-score"]


def harness(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *argv],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip


def finish(argv: list[str]) -> None:
    process = harness(argv)
    _, err = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == 0, err.decode()


def kill_after(argv: list[str], delay: float) -> bool:
    """Start the harness and SIGKILL its whole process group after `delay` seconds; True
    when it was still running (a real kill point), False when it had already finished."""
    process = harness(argv)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stderr.close()  # type: ignore[union-attr]
        return True
    _, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return False


def event_lines(out: Path) -> tuple[list[dict], bytes]:
    """(the complete lines, each of which must be a JSON object; the torn tail, if any)."""
    path = out / "events.jsonl"
    data = path.read_bytes() if path.is_file() else b""
    complete, _, tail = data.rpartition(b"\n")
    lines = [json.loads(line) for line in complete.split(b"\n") if line] if complete else []
    assert all(isinstance(line, dict) for line in lines)
    return lines, tail


def outcome(report: dict) -> tuple[list[dict], dict]:  # type: ignore[type-arg]
    samples = [{key: s[key] for key in OUTCOME_KEYS} for s in report["samples"]]
    return samples, report["aggregates"]


def assert_same_as_clean(out: Path, clean: Path, epochs: int) -> None:
    lines, tail = event_lines(out)
    assert tail == b""
    keys = [(e["score"]["arm"], e["score"]["task_id"], e["score"]["epoch"]) for e in lines]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == epochs, keys  # none lost or twice
    after, reference = (json.loads((d / "report.json").read_text()) for d in (out, clean))
    assert outcome(after) == outcome(reference)


def resume_or_restart(out: Path, original: list[str]) -> list[str]:
    """After a kill: --resume once run.json exists; before it, a resume is refused (exit 2,
    one line), and the original command with the same --out starts the run again."""
    if (out / "run.json").is_file():
        return ["run", "--resume", str(out)]
    refused = subprocess.run(
        [sys.executable, "-m", "harness", "run", "--resume", str(out)],
        cwd=REPO, env=dict(os.environ), capture_output=True, timeout=RUN_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.decode().count("\n") == 1, refused.stderr
    assert not (out / "report.json").exists()
    return original


def kill_round(out: Path, original: list[str], delays: list[float]) -> list[int]:
    """Kill at each delay, resuming between kills, then resume to the end; returns the
    samples recorded at each real kill point."""
    recorded = []
    argv = original
    for delay in delays:
        killed = kill_after(argv, delay)
        lines, _ = event_lines(out)  # a partial last line is fine; a broken one is not
        if killed:
            recorded.append(len(lines))
        assert not any(out.glob("report.json")) or (out / "report.json").stat().st_size > 0
        argv = resume_or_restart(out, original)
    finish(argv)
    return recorded


def timed_clean_run(out: Path, argv: list[str]) -> tuple[float, float]:
    """Run to the end; (seconds until run.json appeared, until report.json appeared): the
    window where the run's state changes (before it: imports; after it: HTML rendering)."""
    started = time.monotonic()
    process = harness(argv)
    seen: dict[str, float] = {}
    while process.poll() is None:
        for name in ("run.json", "report.json"):
            if name not in seen and (out / name).exists():
                seen[name] = time.monotonic() - started
        time.sleep(POLL_S)
    _, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return seen["run.json"] - EARLY_S, seen["report.json"] + LATE_S


def leftover_processes(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(cmdline)
    return found


@pytest.mark.slow
def test_kill_9_at_random_points_then_resume_gives_the_clean_run_s_report(
    tasks_root: Path, tmp_path: Path
) -> None:
    chance = random.Random(KILL_SEED)
    clean = tmp_path / "clean"
    window = timed_clean_run(clean, run_args(clean, epochs=UNSCORED_EPOCHS, score=False))
    kill_points: list[int] = []  # samples recorded when each kill struck
    rounds = 0

    def mid_run() -> bool:
        return any(0 < n < UNSCORED_EPOCHS for n in kill_points)

    while len(kill_points) < MIN_KILLS or not mid_run():  # a loaded machine shifts the window
        out = tmp_path / f"killed-{rounds}"
        delays = [chance.uniform(*window) for _ in range(KILLS_PER_ROUND)]
        kill_points += kill_round(out, run_args(out, epochs=UNSCORED_EPOCHS, score=False), delays)
        rounds += 1
        assert_same_as_clean(out, clean, UNSCORED_EPOCHS)
        assert rounds < 3 * MIN_KILLS, "the kills keep missing the run"
    assert mid_run(), kill_points  # some mid-run
    # a few kill points while the samples are being scored (workspaces, sandboxed tests)
    scored_clean = tmp_path / "scored-clean"
    argv = run_args(scored_clean, epochs=SCORED_EPOCHS, score=True)
    window = timed_clean_run(scored_clean, argv)
    out = tmp_path / "scored-killed"
    delays = [chance.uniform(*window) for _ in range(SCORED_KILLS)]
    kill_round(out, run_args(out, epochs=SCORED_EPOCHS, score=True), delays)
    assert_same_as_clean(out, scored_clean, SCORED_EPOCHS)
    report = json.loads((out / "report.json").read_text())
    assert {s["status"] for s in report["samples"]} == {"scored"}
    assert all(s["tests"]["expected"] and s["tests"]["failed"] for s in report["samples"])
    time.sleep(0.5)
    assert leftover_processes(str(tmp_path)) == []  # nothing of a killed run lives on


# --- torn lines crafted directly -------------------------------------------------------

GOOD_EVENT = {"type": "progress", "detail": {"task_id": "t", "epoch": 1, "arm": "a"}}
GOOD_LINE = json.dumps(GOOD_EVENT).encode() + b"\n"
TORN_TAILS = {
    "half a line": GOOD_LINE[: len(GOOD_LINE) // 2],
    "one brace": b"{",
    "a whole object without its newline": GOOD_LINE[:-1],
    "zeros from a lost page": b"\0" * 4096,
    "half of a multi-byte character": b'{"type": "sample", "note": "\xc3',
}


@pytest.mark.parametrize("tail", TORN_TAILS.values(), ids=TORN_TAILS.keys())
def test_a_torn_last_line_is_skipped_when_read_and_cut_before_appending(
    tmp_path: Path, tail: bytes
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(GOOD_LINE * 2 + tail)
    assert list(read_events(path)) == [GOOD_EVENT, GOOD_EVENT]
    assert discard_torn_tail(path) == len(tail)
    assert path.read_bytes() == GOOD_LINE * 2
    assert discard_torn_tail(path) == 0


def _unscored_run(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    assert main(run_args(out, epochs=4, score=False)) == 0
    return out


BROKEN_TAILS = {**TORN_TAILS, "the next sample's line, half written": b'{"score": {"arm": "bas'}


@pytest.mark.parametrize("tail", BROKEN_TAILS.values(), ids=BROKEN_TAILS.keys())
def test_resume_discards_a_crafted_torn_line_and_reruns_only_that_sample(
    tasks_root: Path, tmp_path: Path, tail: bytes
) -> None:
    clean = _unscored_run(tmp_path, "clean")
    out = tmp_path / "torn"
    assert main(run_args(out, epochs=4, score=False)) == 0
    lines = (out / "events.jsonl").read_bytes().splitlines(keepends=True)
    (out / "events.jsonl").write_bytes(b"".join(lines[:2]) + lines[2][: len(lines[2]) // 2] + tail)
    (out / "report.json").unlink()  # killed before the report
    assert main(["run", "--resume", str(out)]) == 0
    assert_same_as_clean(out, clean, 4)
    assert (out / "events.jsonl").read_bytes().startswith(b"".join(lines[:2]))


CORRUPT_MIDDLE_LINES = {
    "not JSON": b"\0\0\0\n",
    "JSON but not an object": b"[1, 2]\n",
    "a sample event without a score": b'{"type": "sample"}\n',
    "a score that is not a sample score": b'{"type": "sample", "score": {"arm": "baseline"}}\n',
}


@pytest.mark.parametrize("bad", CORRUPT_MIDDLE_LINES.values(), ids=CORRUPT_MIDDLE_LINES.keys())
def test_a_corrupt_complete_line_never_breaks_reading_and_its_sample_is_rerun(
    tasks_root: Path, tmp_path: Path, bad: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _unscored_run(tmp_path, "clean")
    out = tmp_path / "corrupt"
    assert main(run_args(out, epochs=4, score=False)) == 0
    lines = (out / "events.jsonl").read_bytes().splitlines(keepends=True)
    (out / "events.jsonl").write_bytes(lines[0] + bad + b"".join(lines[2:]))
    (out / "report.json").unlink()
    assert main(["run", "--resume", str(out)]) == 0, capsys.readouterr().err
    after = [e["score"]["epoch"] for e in read_events(out / "events.jsonl")]
    assert sorted(after) == [1, 2, 3, 4]  # the lost sample ran once more, nothing twice
    report = json.loads((out / "report.json").read_text())
    assert outcome(report) == outcome(json.loads((clean / "report.json").read_text()))
