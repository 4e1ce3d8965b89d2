"""One vocabulary of error kinds: kebab-case, also when reading reports written before."""

from __future__ import annotations

from harness.core.error_kinds import kebab, of_exception
from harness.core.errors import ProviderUnavailable
from harness.core.schema import SampleError


def test_exceptions_become_kebab_case_kinds() -> None:
    assert of_exception(ProviderUnavailable("529")) == "provider-unavailable"
    assert of_exception(OSError("disk")) == "os-error"
    assert kebab("HTTPError") == "http-error" and kebab("max-cost") == "max-cost"


def test_old_reports_read_in_the_new_vocabulary() -> None:
    assert SampleError(kind="ProviderUnavailable", message="x").kind == "provider-unavailable"
    old = SampleError(kind="grading-failed: UnicodeEncodeError", message="x")
    assert old.kind == "grading-failed"
