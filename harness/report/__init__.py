"""Run reports: the versioned schema, and the writers built on it."""

from harness.core.schema import Report, SampleScore

__all__ = ["Report", "SampleScore"]
