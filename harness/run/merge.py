"""Shards back into one run (pure): which shards fit together, and the report a single run of
the same samples would have written.

Shards fit when they ran the same configuration (arms and their agent files, model, tasks,
starters, epochs, scoring and harness version, and so the same plan), split N ways, each
index once. A missing shard is refused unless the merge is partial; its samples are then
reported as skipped, so the merged report still counts every sample of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.core import error_kinds
from harness.core.errors import InputError
from harness.core.schema import Report, RunInfo, SampleError, SampleScore
from harness.run.report import report_of
from harness.run.shards import SampleKey, Shard, assign

MISSING_SHARD = error_kinds.SHARD_MISSING


@dataclass(frozen=True)
class ShardRun:
    """One shard as read from its run directory."""

    name: str
    report: Report
    plan: list[SampleKey]

    @property
    def shard(self) -> Shard:
        """An unsharded run is the one shard of one."""
        text = self.report.run.shard or "1/1"
        index, _, count = text.partition("/")
        return Shard(int(index), int(count))


def configuration(run: RunInfo) -> dict[str, object]:
    """What must be equal across the shards of one run."""
    arms = run.arms or {run.agent.name: run.agent}
    return {
        "arms": {label: info.sha256 for label, info in arms.items()},
        "model": run.model,
        "tasks": run.tasks,
        "starters": run.starters,
        "epochs": run.epochs,
        "scoring version": run.scoring_version,
        "harness version": run.harness_version,
    }


def check_shards(shards: list[ShardRun], *, allow_partial: bool) -> list[Shard]:
    """The missing shards (empty unless allow_partial); InputError, naming the shards, for
    shards of different runs, shards given twice, and missing ones."""
    if not shards:
        raise InputError("give the run directories of the shards to merge")
    first = shards[0]
    expected = configuration(first.report.run)
    for other in shards[1:]:
        found = configuration(other.report.run)
        differ = [key for key in expected if found[key] != expected[key]]
        if other.shard.count != first.shard.count:
            differ.append("shard count")
        if not differ and other.plan != first.plan:
            differ.append("plan")
        if differ:
            detail = "; ".join(
                f"{key} ({_short(expected.get(key, first.shard.count))} in {first.name}, "
                f"{_short(found.get(key, other.shard.count))} in {other.name})"
                for key in differ
            )
            raise InputError(f"the shards are not of one run: they differ in {detail}")
    seen: dict[int, str] = {}
    for shard in shards:
        if shard.shard.index in seen:
            raise InputError(
                f"shard {shard.shard} given twice ({seen[shard.shard.index]} and {shard.name}); "
                "give each shard once"
            )
        seen[shard.shard.index] = shard.name
    count = first.shard.count
    missing = [Shard(i, count) for i in range(1, count + 1) if i not in seen]
    if missing and not allow_partial:
        raise InputError(
            f"missing shard(s) {', '.join(map(str, missing))} of {count}; give every shard's "
            "run directory, or --allow-partial to report their samples as skipped"
        )
    return missing


def merged_report(shards: list[ShardRun], missing: list[Shard], run_id: str) -> Report:
    """The report a single run of the plan would have written, from its shards."""
    first = shards[0]
    by_key: dict[SampleKey, SampleScore] = {}
    for shard in shards:
        for sample in shard.report.samples:
            key = (sample.arm, sample.task_id, sample.starter, sample.epoch)
            if key in by_key:
                raise InputError(
                    f"sample {'/'.join(map(str, key))} is in two shards (one is {shard.name}); "
                    "give each shard once"
                )
            by_key[key] = sample
    shard_of = assign(first.plan, first.shard.count)
    gone = {shard.index for shard in missing}
    samples = [
        by_key.get(key) or _missing_sample(key, shard_of[key], first.shard.count, gone)
        for key in first.plan
    ]
    runs = [s.report.run for s in shards]
    finished = [r.finished_at for r in runs]
    run = first.report.run.model_copy(
        update={
            "id": run_id,
            "started_at": min(r.started_at for r in runs),
            "finished_at": None if None in finished else max(f for f in finished if f),
            "shard": None,
        }
    )
    return report_of(run, samples)


def _missing_sample(key: SampleKey, index: int, count: int, gone: set[int]) -> SampleScore:
    """A sample of a shard that was not given: skipped, saying so."""
    holder = Shard(index, count)
    if index not in gone:
        raise InputError(
            f"sample {'/'.join(map(str, key))} is in the plan but in none of the shards "
            "given; resume its shard (harness run --resume SHARD_DIR) and merge again"
        )
    arm, task, starter, epoch = key
    return SampleScore(
        task_id=task, starter=starter, epoch=epoch, arm=arm, status="skipped", resolved=False,
        error=SampleError(
            kind=MISSING_SHARD,
            message=f"shard {holder} was not merged (--allow-partial); run it and merge again",
        ),
    )  # fmt: skip


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
