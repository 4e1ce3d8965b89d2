"""Cross-file cases: a project tree whose lines that must fire end in `# error: CODE`.

One comparison of the checker's (path, line, code) set with the markers covers scope by
path, re-exports across modules, exclusions (tests, migrations, virtualenvs) and the
API-layer-wins rule; a missing or an extra finding fails it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from harness.checker.config import CheckConfig
from harness.checker.run import check_paths
from tests.conftest import DATA

MARKER = re.compile(r"#\s*error:\s*(?P<codes>[A-Z0-9, ]+)")
TREES = sorted(p for p in (DATA / "rules").iterdir() if p.is_dir())


def expected_markers(root: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                for code in re.split(r"[ ,]+", match.group("codes").strip()):
                    expected.add((relative, number, code))
    return expected


@pytest.mark.parametrize("root", TREES, ids=[t.name for t in TREES])
def test_findings_equal_markers(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    result = check_paths(["."])
    actual = {(f.path, f.line, f.code) for f in result.findings}
    expected = expected_markers(root)
    assert expected, "a fixture tree without markers tests nothing"
    assert sorted(actual - expected) == [], "unexpected findings"
    assert sorted(expected - actual) == [], "missed findings"


def test_excluded_trees_really_contain_violations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exclusions above are meaningful only if the excluded files would be flagged."""
    root = DATA / "rules" / "project"
    monkeypatch.chdir(root)
    named = ["alembic/versions/0001_init.py", "tests/test_users.py", ".venv/lib/vendored.py"]
    unexcluded = check_paths(named, CheckConfig(exclude=[]))
    assert {f.code for f in unexcluded.findings} == {"ARCH301", "ARCH602"}
    assert "alembic/versions/0001_init.py" in {f.path for f in unexcluded.findings}
    # named on the command line, files are checked even if excluded, but never migrations
    named_only = check_paths(named)
    assert named_only.findings
    assert {f.path for f in named_only.findings} == {f.path for f in unexcluded.findings} - {
        "alembic/versions/0001_init.py"
    }
    assert os.path.exists(root / "app/routes/controller_self_service.py")
