"""The run's Markdown summary, JUnit XML and SARIF, and `harness report`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from harness.cli.app import main
from harness.core.schema import (
    AgentInfo,
    CaseOutcome,
    FindingOut,
    Report,
    RunInfo,
    SampleError,
    SampleScore,
)
from harness.core.schema import TestsSummary as Tests
from harness.report.junit import render_junit
from harness.report.markdown import render_summary
from harness.report.sarif import run_sarif
from harness.scoring.score import aggregate

DATA = Path(__file__).resolve().parents[1] / "data"
FINDING = FindingOut(
    code="ARCH101", rule="http-exception-in-service", severity="error",
    path="app/services/auth.py", line=12, column=9, message="raises HTTPException",
)  # fmt: skip


def sample(task: str, epoch: int, **fields) -> SampleScore:  # type: ignore[no-untyped-def]
    base = {
        "task_id": task, "epoch": epoch, "arm": "agent@main", "status": "scored", "resolved": True,
        "tests": Tests(passed=3, failed=0, errored=0, expected=3,
                              cases=[CaseOutcome(id=f"c{i}", outcome="passed") for i in range(3)]),
    }  # fmt: skip
    return SampleScore(**(base | fields))


def report() -> Report:
    failing = Tests(
        passed=2, failed=1, errored=0, expected=3,
        cases=[CaseOutcome(id="login-ok", outcome="passed"), CaseOutcome(id="lockout", outcome="failed", message="expected 423, got 401")],
    )  # fmt: skip
    samples = [
        sample("orders-create", 1),
        sample("orders-create", 2, resolved=False, tests=failing, findings=[FINDING]),
        sample("auth-login-lockout", 1, status="errored", resolved=False, error=SampleError(kind="ProviderUnavailable", message="gave up")),
        sample("auth-login-lockout", 2, status="skipped", resolved=False, error=SampleError(kind="max-cost", message="cap")),
    ]  # fmt: skip
    info = AgentInfo(name="agent", sha256="0" * 64)
    return Report(
        run=RunInfo(
            id="r1",
            agent=info,
            model="claude-x",
            harness_version="0",
            started_at="s",
            finished_at="f",
            tasks=["auth-login-lockout", "orders-create"],
            epochs=2,
            sandbox="bwrap",
            arms={"agent@main": info},
        ),
        aggregates=aggregate(samples, ["http-exception-in-service", "raw-sql"]),
        samples=samples,
    )


def test_the_summary_has_the_headline_a_row_per_task_and_links_into_the_html() -> None:
    text = render_summary(report())
    assert "## Eval run `r1`" in text and "**1/2 (50%)**" in text
    assert "| `orders-create` | `house-style` | `agent@main` |" in text
    assert "[❌ 2/3](report.html#sample-agent_main-orders-create-house-style-2)" in text
    assert "errored (provider-unavailable)" in text and "skipped (max-cost)" in text
    assert "| `http-exception-in-service` | 50% |" in text
    assert (
        "[`ARCH101` http-exception-in-service](report.html#sample-agent_main-orders-create-house-style-2)"
        in text
    )


def test_junit_has_one_case_per_sample_with_the_right_outcome() -> None:
    root = ET.fromstring(render_junit(report()).split("\n", 1)[1])
    [suite] = root.findall("testsuite")
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == ("4", "1", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "orders-create on house-style epoch 1", "orders-create on house-style epoch 2",
        "auth-login-lockout on house-style epoch 1", "auth-login-lockout on house-style epoch 2",
    ]  # fmt: skip
    assert list(cases[0]) == []
    failure = cases[1].find("failure")
    assert failure is not None and "failing: lockout" in failure.get("message", "")
    assert (
        "expected 423, got 401" in failure.text
        and "app/services/auth.py:12:9: ARCH101" in failure.text
    )
    assert cases[2].find("error") is not None and cases[3].find("skipped") is not None


def test_run_sarif_is_valid_and_points_into_the_sample_workspaces() -> None:
    log = run_sarif(report(), prefix="runs/r1/")
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(log)
    [result] = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert (
        location["artifactLocation"]["uri"]
        == "runs/r1/samples/agent_main/orders-create/house-style/2/workspace/app/services/auth.py"
    )
    assert location["region"] == {"startLine": 12, "startColumn": 9}


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "run"
    directory.mkdir()
    (directory / "report.json").write_text(report().model_dump_json())
    return directory


@pytest.mark.parametrize("fmt", ["markdown", "junit", "sarif", "json"])
def test_harness_report_writes_each_format(run_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["report", str(run_dir), "--format", fmt, "--out", str(out)]) == 0
    assert out.stat().st_size > 100


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no report.json; give a finished run directory"),
        ('{"run": {', "not valid JSON"),
        ('{"hello": 1}', "not a run report"),
        ('{"schema_version": 99, "run": {}, "samples": []}', "report schema_version 99"),
        ('{"schema_version": 2, "run": {"id": 3}, "samples": []}', "run."),
    ],
)
def test_bad_reports_exit_2_with_one_line(tmp_path: Path, capsys, content, needle) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "run"
    directory.mkdir()
    if content is not None:
        (directory / "report.json").write_text(content)
    assert main(["report", str(directory), "--format", "markdown"]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1, err


def test_file_names_that_are_not_utf8_are_escaped_not_fatal(tmp_path: Path) -> None:
    from harness.cli.report import render
    from harness.core.files import write_atomic

    odd = report()
    odd.samples[1].findings[0].path = "app/services/\udce9vil.py"
    text = render(odd, None, "markdown")
    write_atomic(tmp_path / "summary.md", text)  # would raise UnicodeEncodeError unescaped
    assert "app/services/\\udce9vil.py" in (tmp_path / "summary.md").read_text()
