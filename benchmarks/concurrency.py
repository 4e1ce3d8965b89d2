"""How close the runner gets to the ideal wall time when the model is the bottleneck.

A fake Messages API on loopback answers every call after `--latency` seconds; each sample
is `--turns` calls (bash tool calls, then the end of the turn). With `--max-connections C`
the ideal is samples * turns * latency / C. Three runs of `harness run` (a subprocess):

1. `--no-score`: the runner alone; ratio = wall / ideal (target: at most 1.15).
2. with scoring: wall compared with ideal + scoring time / cores (less means model
   waits and scoring overlapped); scoring time is the sum of the samples' grading times.
3. `--no-score` with a share of calls answered 429 or 529: every sample must finish once.
   A 429 also halves the in-flight limit (AIMD); a fourth run with 529s only separates
   the cost of that from the cost of the retries themselves.

    python benchmarks/concurrency.py [--samples 40] [--turns 10] [--latency 0.5]
                                     [--max-connections 16] [--faults 0.3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from harness.testing.fake_api import FakeMessagesAPI, Fault, end_turn, tool_use

REPO = Path(__file__).resolve().parents[1]
TASK = "orders-create"
MODEL = "sonnet"


def responder(
    turns: int, faults: float, stamps: list[float], only_529: bool = False, seed: int = 1
):  # type: ignore[no-untyped-def]
    chance, lock = random.Random(seed), threading.Lock()

    def answer(body: dict[str, Any]) -> dict[str, Any] | Fault:
        with lock:
            roll = chance.random()
            stamps.append(time.monotonic())
        if roll < faults:
            status = 529 if only_529 or roll >= faults / 2 else 429
            return Fault(status=status, headers={"retry-after": "1"})
        done = sum(m["role"] == "assistant" for m in body["messages"])
        if done < turns - 1:
            return tool_use(
                "bash", {"command": f"echo turn {done} >> notes.txt && wc -l notes.txt"}
            )
        return end_turn("Finished.")

    return answer


def harness_run(
    api: FakeMessagesAPI, out: Path, args: argparse.Namespace, *extra: str
) -> dict[str, Any]:
    argv = [
        "harness", "run", "--agent", "fastapi-backend-architect", "--model", MODEL,
        "--tasks", TASK, "--starter", "house-style", "--epochs", str(args.samples), "--max-connections", str(args.max_connections),
        "--no-cache", "--out", str(out), *extra,
    ]  # fmt: skip
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-fake", "ANTHROPIC_BASE_URL": api.url}
    started = time.monotonic()
    process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    process.wait()
    wall = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"harness run failed: {shlex.join(argv)}")
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    report = json.loads((out / "report.json").read_text())
    keys = [(e["score"]["arm"], e["score"]["task_id"], e["score"]["epoch"]) for e in events]
    return {
        "command": shlex.join(argv),
        "wall": wall,
        "samples": len(keys),
        "unique": len(set(keys)),
        "requests": len(api.requests),
        "peak": api.peak_in_flight,
        "finished": sum(e["score"]["stop_reason"] == "end_turn" for e in events),
        "errored": report["aggregates"]["errored"],
        "scoring": sum(e["score"].get("score_s", 0.0) for e in events),
        "started": started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--max-connections", type=int, default=16)
    parser.add_argument("--faults", type=float, default=0.3)
    args = parser.parse_args()
    ideal = args.samples * args.turns * args.latency / args.max_connections
    cores = os.cpu_count() or 1
    print(f"{args.samples} samples x {args.turns} turns, {args.latency} s per call, "
          f"--max-connections {args.max_connections}: ideal {ideal:.2f} s; {cores} cores")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as tmp:
        runs = {}
        for name, extra, faults, only_529 in (
            ("no-score", ["--no-score"], 0.0, False),
            ("scored", [], 0.0, False),
            (f"no-score, {args.faults:.0%} 429/529", ["--no-score"], args.faults, False),
            (f"no-score, {args.faults:.0%} 529 only", ["--no-score"], args.faults, True),
        ):
            stamps: list[float] = []
            answer = responder(args.turns, faults, stamps, only_529)
            with FakeMessagesAPI(responder=answer, latency=args.latency) as api:
                out = Path(tmp) / re.sub(r"[^a-z0-9]+", "-", name)
                runs[name] = result = harness_run(api, out, args, *extra)
            startup = stamps[0] - result["started"]
            requests = stamps[-1] + args.latency - stamps[0]
            print(f"\n[{name}] {result['command']}")
            print(f"  wall {result['wall']:.2f} s ({startup:.2f} s to the first API call, {requests:.2f} s "
                  f"from the first call to the last reply), {result['requests']} API calls, peak in "
                  f"flight {result['peak']}, samples {result['samples']} ({result['unique']} distinct, "
                  f"{result['finished']} ended their turn, {result['errored']} errored)")  # fmt: skip
            if name == "no-score":
                print(f"  ratio wall / ideal = {result['wall'] / ideal:.3f} (target <= 1.15); "
                      f"calls only (first call to last reply) / ideal = {requests / ideal:.3f}")  # fmt: skip
            elif name == "scored":
                serial = ideal + result["scoring"] / cores
                print(f"  scoring {result['scoring']:.2f} s in all (graded {cores} at a time, CPU-bound); "
                      f"ideal model time + scoring / cores = {serial:.2f} s; wall / that = "
                      f"{result['wall'] / serial:.3f} (< 1: model waits and scoring overlapped)")  # fmt: skip
            else:
                print(f"  ratio wall / ideal = {result['wall'] / ideal:.3f}; every sample exactly once: "
                      f"{result['samples'] == result['unique'] == args.samples}")  # fmt: skip


if __name__ == "__main__":
    main()
