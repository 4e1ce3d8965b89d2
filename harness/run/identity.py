"""A run's identity (`run.json`): what its results depend on, so that a resumed run with
other agents, model, tasks, starters, scoring or database is refused instead of mixed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.core.errors import InputError, MalformedFile
from harness.core.files import write_atomic
from harness.core.layout import PROMPTS
from harness.core.schema import SCORING_VERSION

if TYPE_CHECKING:
    from harness.run.plan import RunOptions

IDENTITY = "run.json"
PLAN = "plan.json"


def run_identity(options: RunOptions) -> dict[str, object]:
    """What a run's results depend on; a resumed run must match it field for field."""
    return {
        "agents": {a.label: a.sha256 for a in options.agents},
        "model": options.model,
        "tasks": [t.id for t in options.tasks],
        "starters": list(options.starters),
        "scoring_version": SCORING_VERSION,
        **({"db": options.db} if options.db != "sqlite" else {}),
        **({"shard": str(options.shard)} if options.shard is not None else {}),
    }


def check_identity(options: RunOptions) -> str:
    """Record the run's identity, or compare it with the recorded one; returns started_at."""
    path = options.out_dir / IDENTITY
    identity = run_identity(options)
    if not path.is_file():
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        record = {**identity, "started_at": started_at, "invocation": options.invocation}
        write_atomic(path, json.dumps(record, indent=2) + "\n")
        return started_at
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MalformedFile(f"{path}: unreadable run identity ({exc}); use a new --out") from exc
    if not isinstance(recorded, dict):
        raise MalformedFile(f"{path}: not a run identity (a JSON object); use a new --out")
    changed = [
        f"{key} ({recorded.get(key)!r} -> {value!r})"
        for key, value in identity.items()
        if recorded.get(key) != value
    ]
    if changed:
        raise InputError(
            f"cannot resume {options.out_dir}: changed since the run began: {'; '.join(changed)}; use a new --out"
        )
    return str(recorded.get("started_at", ""))


def record_prompts(options: RunOptions) -> None:
    """Keep each arm's system prompt in the run, so a comparison can show what changed."""
    folder = options.out_dir / PROMPTS
    for agent in options.agents:
        path = folder / f"{agent.sha256}.md"
        if not path.is_file():
            folder.mkdir(exist_ok=True)
            write_atomic(path, agent.body + "\n")


def record_plan(options: RunOptions) -> None:
    """The whole run's samples, in order, shard or not (`plan.json`): what `harness merge`
    checks its shards against and orders their samples by."""
    from harness.run.plan import full_plan

    path = options.out_dir / PLAN
    if not path.is_file():
        keys = [list(spec.key) for spec in full_plan(options)]
        write_atomic(path, json.dumps({"epochs": options.epochs, "samples": keys}) + "\n")
