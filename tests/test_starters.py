"""A run over starters: the follows-the-neighbours flaw is caught on legacy and bare, the
reference is not, and the starter is a dimension of the run's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.schema import Report
from tests.conftest import REPO


def run(tmp_path: Path, model: str, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.setenv("HARNESS_TASKS_DIR", str(REPO / "tasks"))
    out = tmp_path / model.replace(":", "-")
    argv = ["run", "--agent", "baseline", "--model", model, "--tasks", "orders-cancel",
            "--starter", "legacy,bare", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return Report.model_validate_json((out / "report.json").read_text())


@pytest.mark.slow
def test_copying_the_neighbours_is_caught_on_legacy_and_bare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flawed = run(tmp_path, "oracle:http-exception-in-service", monkeypatch)
    assert flawed.run.starters == ["legacy", "bare"]
    assert [(s.starter, s.resolved) for s in flawed.samples] == [("legacy", False), ("bare", False)]
    for sample in flawed.samples:
        assert {f.code for f in sample.findings} == {"ARCH101", "ARCH501"}
        assert sample.tests.passed == sample.tests.expected  # the behaviour is right
    legacy, bare = flawed.samples
    assert {f.code for f in legacy.pre_existing} >= {"ARCH101", "ARCH401"} and not bare.pre_existing
    assert list(flawed.by_starter) == ["legacy", "bare"]
    assert flawed.by_starter["legacy"].rule_compliance["http-exception-in-service"] == 0.0

    reference = run(tmp_path, "oracle", monkeypatch)
    assert [(s.starter, s.resolved, s.findings) for s in reference.samples] == [
        ("legacy", True, []),
        ("bare", True, []),
    ]
    assert reference.by_starter["legacy"].rule_compliance["http-exception-in-service"] == 1.0
