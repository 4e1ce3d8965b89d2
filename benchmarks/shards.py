"""Sharded runs on this machine, with the oracle model:

1. wall time of one `harness run` process against two shard processes (`--shard 1/2` and
   `--shard 2/2` side by side) on the same scored samples, and the balance of the split;
2. `harness merge` time for about 1,000 samples' worth of shards (four shards);
3. peak RSS of the harness process for a run and for a merge, at about 100 and 1,000
   samples side by side.

Each measured command runs in a fresh Python process that reports its own peak RSS
(`getrusage(RUSAGE_SELF)`): the sandboxes it starts are not counted, the harness is. The
100/1,000-sample runs use `--no-score` (the oracle's tool calls, workspaces, transcripts,
event log and reports, without the ~2 s of generated tests per sample, which would take
half an hour at 1,000 samples and run in sandboxes of their own).

    python benchmarks/shards.py [--tasks PATTERN] [--small-epochs 33] [--large-epochs 333]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MEASURE = """
import resource, sys, time
from harness.cli.app import main
started = time.monotonic()
code = main(sys.argv[1:])
print("BENCH", code, time.monotonic() - started,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""
SCALING_TASK = "orders-create"  # runs on all three starters: epochs x 3 samples


def harness(*argv: str) -> tuple[float, int]:
    """(seconds, peak RSS in MB) of one harness command in its own process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv], capture_output=True, text=True, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"harness {' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    _, code, seconds, rss_kb = line.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"harness {' '.join(argv)} exited {code}:\n{done.stderr[-2000:]}")
    return float(seconds), int(rss_kb) // 1024


def in_parallel(commands: list[list[str]]) -> tuple[float, list[tuple[float, int]]]:
    started = time.monotonic()
    with ThreadPoolExecutor(len(commands)) as pool:
        results = list(pool.map(lambda argv: harness(*argv), commands))
    return time.monotonic() - started, results


def samples(run_dir: Path) -> int:
    return len(json.loads((run_dir / "report.json").read_text())["samples"])


def shard_wall_times(root: Path, tasks: str) -> None:
    base = ["run", "--agent", "baseline", "--model", "oracle", "--tasks", tasks]
    one, _ = in_parallel([[*base, "--out", str(root / "one")]])
    two, _ = in_parallel(
        [[*base, "--shard", f"{k}/2", "--out", str(root / f"two-{k}")] for k in (1, 2)]
    )
    sizes = [samples(root / f"two-{k}") for k in (1, 2)]
    print(f"scored run of {samples(root / 'one')} samples ({tasks!r}), oracle:")
    print(f"  1 process          {one:7.1f} s")
    print(f"  2 shard processes  {two:7.1f} s   (split {sizes[0]} + {sizes[1]}; {one / two:.2f}x)")


def scaling(root: Path, epochs: int) -> dict[str, tuple[float, int, int]]:
    """A whole --no-score run, and the same plan as four shards merged."""
    name = f"e{epochs}"
    base = ["run", "--agent", "baseline", "--model", "oracle", "--no-score"]
    base += ["--tasks", SCALING_TASK, "--epochs", str(epochs)]
    run_s, run_rss = harness(*base, "--out", str(root / name))
    shards = [str(root / f"{name}-s{k}") for k in range(1, 5)]
    in_parallel([[*base, "--shard", f"{k}/4", "--out", shards[k - 1]] for k in range(1, 5)])
    merge_s, merge_rss = harness("merge", *shards, "--out", str(root / f"{name}-merged"))
    count = samples(root / name)
    assert samples(root / f"{name}-merged") == count
    return {"run": (run_s, run_rss, count), "merge": (merge_s, merge_rss, count)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="orders-*", help="tasks of the wall-time comparison")
    parser.add_argument("--small-epochs", type=int, default=33)
    parser.add_argument("--large-epochs", type=int, default=333)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        root = Path(tmp)
        shard_wall_times(root, args.tasks)
        small = scaling(root, args.small_epochs)
        large = scaling(root, args.large_epochs)
    print(f"merge of 4 shards, {large['merge'][2]} samples: {large['merge'][0]:.1f} s")
    print("peak RSS of the harness process (MB):")
    print(f"  {'':8} {small['run'][2]:>6} samples {large['run'][2]:>6} samples   ratio")
    for what in ("run", "merge"):
        low, high = small[what][1], large[what][1]
        print(f"  {what:8} {low:>14} {high:>14}   {high / low:.2f}x")


if __name__ == "__main__":
    main()
