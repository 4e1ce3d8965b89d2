"""A run's report.json content from its options and finished samples (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from harness import __version__
from harness.core.schema import AgentInfo, Report, RunInfo, SampleScore
from harness.rules.catalog import CATALOG
from harness.run.plan import RunOptions
from harness.scoring.score import aggregate, aggregate_by_starter, aggregate_by_task

RULE_SLUGS = [rule.slug for rule in CATALOG]


def run_report(
    options: RunOptions, samples: list[SampleScore], started_at: str, sandbox: str
) -> Report:
    """The report of the samples, in plan order, with the run's identity and aggregates."""
    first = options.agents[0]
    run = RunInfo(
        id=options.out_dir.name,
        agent=AgentInfo(
            name=first.name, sha256=first.sha256, revision=first.revision, source=first.source
        ),
        model=options.model,
        harness_version=__version__,
        started_at=started_at,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tasks=[t.id for t in options.tasks],
        starters=list(options.starters),
        epochs=options.epochs,
        sandbox=sandbox,
        shard=None if options.shard is None else str(options.shard),
        arms={
            a.label: AgentInfo(name=a.name, sha256=a.sha256, revision=a.revision, source=a.source)
            for a in options.agents
        },
    )
    return report_of(run, samples)


def report_of(run: RunInfo, samples: list[SampleScore]) -> Report:
    """A report of these samples under this run: the aggregates follow from the samples."""
    return Report(
        run=run,
        aggregates=aggregate(samples, RULE_SLUGS),
        by_task=aggregate_by_task(samples, RULE_SLUGS),
        by_starter=aggregate_by_starter(samples, RULE_SLUGS),
        samples=samples,
    )
