"""Where a sample lives in a run's HTML report and directory, shared by every writer."""

from __future__ import annotations

import re

from harness.core.schema import SampleScore

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
PROMPTS = "prompts"  # <run>/prompts/<sha256 of the agent file>.md: each arm's system prompt


def safe(name: str) -> str:
    return _UNSAFE.sub("_", name)


def sample_anchor(score: SampleScore) -> str:
    """The HTML id of a sample's section: `sample-<arm>-<task>-<starter>-<epoch>`, made safe."""
    return f"sample-{safe(score.arm)}-{score.task_id}-{safe(score.starter)}-{score.epoch}"


def sample_directory(score: SampleScore) -> str:
    """The sample's folder inside the run directory (as the runner writes it)."""
    return f"samples/{safe(score.arm)}/{score.task_id}/{safe(score.starter)}/{score.epoch}"
