"""Run reports: the versioned schema, and the writers built on it."""

from harness.report.schema import Report, SampleScore

__all__ = ["Report", "SampleScore"]
