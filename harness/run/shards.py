"""Splitting a run's samples into N shards for a CI matrix or a batch cluster (pure).

Each task's samples (its arms x starters x epochs) are dealt round-robin over the shards:
in the order of a hash of each sample's identity, starting at a shard given by a hash of
the task id. So every shard gets within one sample of an equal share of each task (and the
hashed starting points spread the remainders), the assignment depends on nothing but the
samples (not the machine, not the order tasks are listed, not which other tasks exist), and
adding a task moves none of the other tasks' samples. Every shard job computes the same
partition alone. Shards are numbered from 1 (`--shard 2/4`).

Batch engines number their workers themselves; `shard_from_env` reads what they set:
`HARNESS_SHARD=K/N`; Kubernetes Indexed Jobs' `JOB_COMPLETION_INDEX` (from 0) with
`HARNESS_SHARD_COUNT` (the Job's completions); Slurm job arrays' `SLURM_ARRAY_TASK_ID`
(from `SLURM_ARRAY_TASK_MIN`) and `SLURM_ARRAY_TASK_COUNT`.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.core.errors import InputError

MAX_SHARDS = 10_000
SHARD_FORMAT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
SampleKey = tuple[str, str, str, int]  # (arm, task, starter, epoch)


@dataclass(frozen=True, order=True)
class Shard:
    """Shard `index` of `count`, both from 1."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str, source: str = "--shard") -> Shard:
    """`K/N` with 1 <= K <= N; InputError naming `source` otherwise."""
    match = SHARD_FORMAT.match(text)
    if not match:
        raise InputError(f"{source} {text!r}: give K/N, shard K (from 1) of N, e.g. 2/4")
    index, count = int(match[1]), int(match[2])
    if not 1 <= count <= MAX_SHARDS or not 1 <= index <= count:
        raise InputError(f"{source} {text!r}: K must be from 1 to N, and N from 1 to {MAX_SHARDS}")
    return Shard(index, count)


def assign(keys: Iterable[SampleKey], count: int) -> dict[SampleKey, int]:
    """The shard (from 1, of `count`) of every sample of a plan."""
    by_task: dict[str, list[SampleKey]] = defaultdict(list)
    for key in keys:
        by_task[key[1]].append(key)
    shards = {}
    for task, samples in by_task.items():
        start = _hash(task)
        for position, key in enumerate(sorted(samples, key=_key_hash)):
            shards[key] = (start + position) % count + 1
    return shards


def _key_hash(key: SampleKey) -> int:
    arm, task, starter, epoch = key
    return _hash("\0".join((arm, task, starter, str(epoch))))


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def shard_from_env(env: Mapping[str, str]) -> Shard | None:
    """The shard a batch engine assigned through the environment, or None if none did."""
    if env.get("HARNESS_SHARD"):
        return parse_shard(env["HARNESS_SHARD"], "HARNESS_SHARD")
    if env.get("JOB_COMPLETION_INDEX"):
        count = env.get("HARNESS_SHARD_COUNT", "")
        if not count:
            raise InputError(
                "JOB_COMPLETION_INDEX is set but HARNESS_SHARD_COUNT is not; set it to the "
                "Job's completions"
            )
        index = _number(env["JOB_COMPLETION_INDEX"], "JOB_COMPLETION_INDEX")
        return parse_shard(f"{index + 1}/{count}", "JOB_COMPLETION_INDEX")
    if env.get("SLURM_ARRAY_TASK_ID") and env.get("SLURM_ARRAY_TASK_COUNT"):
        first = _number(env.get("SLURM_ARRAY_TASK_MIN", "0") or "0", "SLURM_ARRAY_TASK_MIN")
        index = _number(env["SLURM_ARRAY_TASK_ID"], "SLURM_ARRAY_TASK_ID") - first
        return parse_shard(f"{index + 1}/{env['SLURM_ARRAY_TASK_COUNT']}", "SLURM_ARRAY_TASK_ID")
    return None


def _number(text: str, name: str) -> int:
    if not text.strip().isdigit():
        raise InputError(f"{name} {text!r}: not a whole number")
    return int(text)
