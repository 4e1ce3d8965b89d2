"""Splitting a run into shards: K/N and the batch engines' variables, and an assignment that
is a partition, stable when tasks are added or listed in another order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from harness.agents.definition import load_agent
from harness.core.errors import InputError
from harness.run.plan import RunOptions, full_plan, plan
from harness.run.shards import Shard, assign, parse_shard, shard_from_env
from harness.tasks.loader import find_tasks

REPO = Path(__file__).resolve().parents[1]


def options(tasks: str, shard: Shard | None = None, epochs: int = 3) -> RunOptions:
    agents = [
        load_agent("baseline", REPO / "agents"),
        load_agent("fastapi-backend-architect", REPO / "agents"),
    ]
    found = find_tasks(tasks, REPO / "tasks")
    return RunOptions(agents, "oracle", found, epochs, Path("unused"), shard=shard)


def assignment(tasks: str, count: int) -> dict[tuple[str, str, str, int], int]:
    return {
        spec.key: k for k in range(1, count + 1) for spec in plan(options(tasks, Shard(k, count)))
    }


def test_the_shards_partition_the_plan_in_its_order() -> None:
    whole = [s.key for s in full_plan(options("orders-*"))]
    parts = [[s.key for s in plan(options("orders-*", Shard(k, 4)))] for k in range(1, 5)]
    assert sorted(key for part in parts for key in part) == sorted(whole)
    assert len(set(whole)) == len(whole)
    for part in parts:
        assert part == [key for key in whole if key in set(part)]  # the run's order kept
    sizes = [len(part) for part in parts]
    assert max(sizes) - min(sizes) <= len({key[1] for key in whole}), sizes


def test_adding_a_task_moves_only_its_own_samples_and_order_does_not_matter() -> None:
    before = assignment("orders-create,payments-webhook,users-profile-update", 4)
    after = assignment("orders-create,payments-webhook,users-profile-update,products-search", 4)
    moved = {key for key in before if after[key] != before[key]}
    assert not moved
    assert {key[1] for key in after.keys() - before.keys()} == {"products-search"}
    listed_otherwise = assignment("users-profile-update,payments-webhook,orders-create", 4)
    assert listed_otherwise == before


def test_every_shard_gets_an_even_share_of_every_task() -> None:
    keys = [(a, t, s, e) for a in "xy" for t in "abcde" for s in "pqr" for e in (1, 2, 3)]
    shards = assign(keys, 4)
    assert assign(list(reversed(keys)), 4) == shards  # the order given does not matter
    for task in "abcde":  # 18 samples of each task over 4 shards: 4 or 5 each
        share = Counter(shards[k] for k in keys if k[1] == task)
        assert set(share) == {1, 2, 3, 4} and max(share.values()) - min(share.values()) <= 1
    totals = Counter(shards.values())
    assert max(totals.values()) - min(totals.values()) <= 5, totals


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"HARNESS_SHARD": "2/4"}, Shard(2, 4)),
        ({"JOB_COMPLETION_INDEX": "0", "HARNESS_SHARD_COUNT": "8"}, Shard(1, 8)),
        ({"JOB_COMPLETION_INDEX": "7", "HARNESS_SHARD_COUNT": "8"}, Shard(8, 8)),
        ({"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3"},
         Shard(1, 3)),
        ({"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"}, Shard(3, 3)),
    ],
)  # fmt: skip
def test_batch_engines_name_the_shard_through_the_environment(
    env: dict[str, str], expected: Shard | None
) -> None:
    assert shard_from_env(env) == expected


@pytest.mark.parametrize(
    ("text", "needle"),
    [("3", "give K/N"), ("0/4", "K must be from 1 to N"), ("5/4", "K must be from 1"),
     ("1/0", "N from 1"), ("a/b", "give K/N")],
)  # fmt: skip
def test_a_bad_shard_is_bad_input(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        parse_shard(text)
    with pytest.raises(InputError, match="HARNESS_SHARD_COUNT"):
        shard_from_env({"JOB_COMPLETION_INDEX": "1"})
    with pytest.raises(InputError, match="JOB_COMPLETION_INDEX"):
        shard_from_env({"JOB_COMPLETION_INDEX": "9", "HARNESS_SHARD_COUNT": "4"})
