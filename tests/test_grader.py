"""The grader's checker settings: benchmark scoring always applies ARCH102 (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.checker.run import check_paths
from harness.grading.grader import workspace_findings
from tests.conftest import render_starter

LOGIN = (
    '"""Password login."""\n\n\nclass LoginError(Exception):\n    pass\n\n\n'
    "class InvalidCredentialsError(LoginError):\n    pass\n\n\n"
    "class LoginService:\n    def __init__(self, db):\n        self.db = db\n\n"
    "    def login(self, email, password):\n        if not email:\n"
    "            raise InvalidCredentialsError()\n        return email\n"
)


@pytest.mark.parametrize("starter", ["legacy", "bare"])
def test_own_domain_errors_are_caught_on_starters_without_a_result_type(
    tmp_path: Path, starter: str
) -> None:
    """What a strong model without the prompt writes: its own LoginError subclasses, raised
    from the service that defines them. The starter has no Result convention, so a user's
    `harness check` stays quiet, but the benchmark must count it."""
    workspace = render_starter(tmp_path / starter, starter)
    (workspace / "app/services").mkdir(exist_ok=True)
    (workspace / "app/services/login_service.py").write_text(LOGIN)
    scored = {(f.path, f.line, f.code) for f in workspace_findings(workspace)}
    assert ("app/services/login_service.py", 18, "ARCH102") in scored
    plain = check_paths(["."], cwd=workspace)
    assert not [f for f in plain.findings if f.code == "ARCH102"] and plain.notes
