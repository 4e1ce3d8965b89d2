"""Where a sample lives in a run's HTML report, shared by every writer."""

from __future__ import annotations

from harness.core.layout import safe
from harness.core.schema import SampleScore


def sample_anchor(score: SampleScore) -> str:
    """The HTML id of a sample's section: `sample-<arm>-<task>-<starter>-<epoch>`, made safe."""
    return f"sample-{safe(score.arm)}-{score.task_id}-{safe(score.starter)}-{score.epoch}"
