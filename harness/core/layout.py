"""A run directory's layout: where each sample and each prompt lives (shared by the runner
that writes it and every reader)."""

from __future__ import annotations

import re

from harness.core.schema import SampleScore

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
PROMPTS = "prompts"  # <run>/prompts/<sha256 of the agent file>.md: each arm's system prompt


def safe(name: str) -> str:
    return _UNSAFE.sub("_", name)


def sample_directory(score: SampleScore) -> str:
    """The sample's folder inside the run directory (as the runner writes it)."""
    return f"samples/{safe(score.arm)}/{score.task_id}/{safe(score.starter)}/{score.epoch}"
