"""Generate a task's pytest suite from its contract (jinja2) and run it in the sandbox.

The grader cannot be tampered with from the workspace. The model's app never runs in the
process that writes the verdict: it runs in an app host of its own (harness/tasks/
app_host.py), in another sandbox that sees the workspace but not the suite or its results,
and the tests, in a sandbox with an empty workspace, reach it over a Unix socket. pytest
runs with the harness's own ini file (`-c`), rootdir, no conftest (`--noconftest`), no
plugin autoload, no cache and isolated mode (`-I`: no PYTHONPATH, no user site), and the
verdict is read from a JUnit XML file written outside the workspace, never from stdout.
The number of executed tests must equal the number generated, or the run counts as
`grader-tampering-suspected`; an app host that the harness could not start at all is
`app-host-failed` (the sample is errored, not failed).
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import BaseModel

from harness.sandbox.postgres import Database
from harness.sandbox.run import Limits, resolve_mode, run_sandboxed
from harness.scoring.evidence import Evidence
from harness.tasks.app_host import APP_HOST_FAILED, SHARED_FILE, AppHost
from harness.tasks.spec import CASE_SECONDS, Contract

TEMPLATES = Path(__file__).parent / "templates"
SUITE_FILE = "test_contract.py"
SUPPORT_FILE = "_harness_support.py"
INI = (
    "[pytest]\naddopts =\npython_files = test_contract.py\n"
    "filterwarnings =\n    ignore:record_property is incompatible\n"
)
EVIDENCE_PROPERTY = "harness-evidence"  # written by templates/_harness_support.py
SUITE_MOUNT = "/harness/suite"
RESULTS_MOUNT = "/harness/results"
PROBE_ID = "architecture-probe"
TAMPERING = "grader-tampering-suspected"
TIMEOUT = "test-timeout"
CASE_ENV = "HARNESS_CASE_SECONDS"  # read by templates/_harness_support.py
OUTPUT_CHARS = 8000


@dataclass(frozen=True)
class CaseResult:
    id: str
    outcome: str  # passed | failed | error
    message: str = ""


@dataclass
class TestRun:
    """The suite's verdict per HTTP case and its rule evidence, or why there is none.
    `expected` counts the behaviour cases (HTTP); `generated` every test of the suite."""

    cases: list[CaseResult] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    expected: int = 0
    generated: int = 0
    error: tuple[str, str] | None = None
    duration: float = 0.0
    output: str = ""


def case_names(contract: Contract) -> dict[str, str]:
    """Test function name -> contract case id (plus the probe)."""
    names = {f"test_{case.id.replace('-', '_')}": case.id for case in contract.cases}
    names["test_architecture_probe_services_import_without_fastapi"] = PROBE_ID
    return names


def _plain(value: object) -> object:
    """Contract models as plain dicts and lists, for `repr` into the generated code."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@functools.cache
def _suite_template() -> jinja2.Template:
    """The suite's template, parsed once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["py"] = repr
    env.filters["py_models"] = lambda value: repr(_plain(value))
    return env.get_template("test_contract.py.j2")


def render_suite(task_id: str, contract: Contract) -> dict[str, str]:
    """{file name: content} of the generated suite."""
    fixtures = {
        name: [row.model_dump() for row in rows] for name, rows in contract.fixtures.items()
    }
    source = _suite_template().render(
        task_id=task_id,
        cases=contract.cases,
        fixtures=fixtures,
        case_count=len(contract.cases),
        expected=len(contract.cases) + 1,
    )
    compile(source, SUITE_FILE, "exec")  # a template bug must fail here, not in the sandbox
    return {
        SUITE_FILE: source,
        SUPPORT_FILE: (TEMPLATES / SUPPORT_FILE).read_text(encoding="utf-8"),
        SHARED_FILE: (TEMPLATES / SHARED_FILE).read_text(encoding="utf-8"),
        "pytest.ini": INI,
    }


def evidence_ids(contract: Contract) -> dict[str, str]:
    """The cases that record rule evidence instead of checking behaviour, and what each
    expects (success, failure, or import for the probe)."""
    cases = {c.id: c.expect_result.result for c in contract.cases if c.call and c.expect_result}
    return {**cases, PROBE_ID: "import"}


def _evidence(case_id: str, testcase: ET.Element) -> Evidence | None:
    for prop in testcase.iter("property"):
        if prop.get("name") != EVIDENCE_PROPERTY:
            continue
        try:
            data = json.loads(prop.get("value") or "")
            frames = tuple((str(path), int(line)) for path, line in data.get("frames", []))
            outcome = str(data["outcome"])
            if outcome == "value":
                outcome = "failure-value" if data.get("carries_error") else "success-value"
                if data.get("carries_error") is False and data["expected"] == "failure":
                    outcome = "no-error-value"
            return Evidence(
                case_id, str(data["expected"]), outcome, str(data.get("message", ""))[:4000], frames
            )
        except (ValueError, KeyError, TypeError):
            return None
    return None


def parse_junit(root: ET.Element, names: dict[str, str]) -> list[CaseResult]:
    results = []
    for testcase in root.iter("testcase"):
        name = testcase.get("name", "")
        case_id = names.get(name.split("[")[0], name)
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = testcase.find(tag)
            if node is not None:
                outcome = "failed" if tag in ("failure", "skipped") else "error"
                text = (node.get("message") or "") + "\n" + (node.text or "")
                message = text.strip()[-2000:]
                break
        results.append(CaseResult(case_id, outcome, message))
    return results


def _pytest_command(suite_path: str, junit: str) -> list[str]:
    return [
        sys.executable, "-I", "-B", "-m", "pytest", f"{suite_path}/{SUITE_FILE}",
        "-c", f"{suite_path}/pytest.ini", "--rootdir", suite_path, "--noconftest",
        "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=short",
        "-o", "junit_family=xunit2", f"--junitxml={junit}",
    ]  # fmt: skip


def run_suite(
    task_id: str,
    contract: Contract,
    workspace: Path,
    *,
    mode: str = "auto",
    limits: Limits | None = None,
    env: dict[str, str] | None = None,
    database: Database | None = None,
    probe_paths: tuple[str, ...] = (),
    case_seconds: float = CASE_SECONDS,
) -> TestRun:
    """Render and run the suite against `workspace`; never raises for what the code does.

    The app host and pytest start together, each in its own sandbox under `limits`; with
    `database` (PostgreSQL), the host's app uses it instead of SQLite files. A request the
    app does not answer in `case_seconds` fails its test, and the host is started again.
    """
    limits = limits or Limits()
    names = case_names(contract)
    with tempfile.TemporaryDirectory(prefix="harness-suite-") as tmp:
        root = Path(tmp)
        suite_dir, results_dir, empty = root / "suite", root / "results", root / "workspace"
        for directory in (suite_dir, results_dir, empty):
            directory.mkdir()
        isolated = resolve_mode(mode) == "bwrap"
        host = AppHost(
            root, workspace, mode=mode, limits=limits, isolated=isolated, database=database,
            probe_paths=probe_paths,
        )  # fmt: skip
        host.start()  # first: importing the app is the longest way to the first case
        try:
            for name, content in render_suite(task_id, contract).items():
                (suite_dir / name).write_text(content, encoding="utf-8")
            suite_path = SUITE_MOUNT if isolated else str(suite_dir)
            results_path = RESULTS_MOUNT if isolated else str(results_dir)
            binds = {SUITE_MOUNT: str(suite_dir), RESULTS_MOUNT: str(results_dir)}
            result = run_sandboxed(
                _pytest_command(suite_path, f"{results_path}/junit.xml"),
                empty,  # the tests never see the model's code
                mode=mode,
                limits=limits,
                env={**host.client_env, CASE_ENV: f"{case_seconds:g}", **(env or {})},
                binds=binds if isolated else {},
                ro_binds=host.client_ro_binds,
            )
        finally:
            hosted = host.stop()  # before the results are read: nothing of the app is left
        output = (result.stdout + result.stderr)[-OUTPUT_CHARS:]
        if hosted.output:
            output += "\n" + hosted.output
        evidence_cases = evidence_ids(contract)
        run = TestRun(
            expected=len(names) - len(evidence_cases),
            generated=len(names),
            duration=result.duration,
            output=output,
        )
        if hosted.failure is not None:  # first: then nothing else says anything of the model
            run.error = (APP_HOST_FAILED, hosted.failure)
        elif result.timed_out:
            run.error = (TIMEOUT, f"the test suite did not finish in {limits.wall_seconds} s")
        else:
            cases, run.error, run.evidence = _verdict(
                results_dir / "junit.xml", names, result.returncode, evidence_cases
            )
            # an evidence test that failed (the app crashed before the call answered) is
            # evidence of nothing, recorded as not-run with the reason; never behaviour
            run.cases = [c for c in cases if c.id not in evidence_cases]
        return run


def _verdict(
    junit_file: Path, names: dict[str, str], returncode: int, evidence_cases: dict[str, str]
) -> tuple[list[CaseResult], tuple[str, str] | None, list[Evidence]]:
    """The cases and evidence of the results file, or why it is not to be believed."""
    if not junit_file.is_file():
        return [], (TAMPERING, f"the suite wrote no results (exit code {returncode})"), []
    try:
        root = ET.parse(junit_file).getroot()  # read once: cases and evidence come from it
        cases = parse_junit(root, names)
    except ET.ParseError as exc:
        return [], (TAMPERING, f"unreadable results file: {exc}"), []
    evidence = []
    outcomes = {c.id: c for c in cases}
    for testcase in root.iter("testcase"):
        case_id = names.get(testcase.get("name", "").split("[")[0], "")
        if case_id not in evidence_cases:
            continue
        found = _evidence(case_id, testcase)
        if found is None and case_id in outcomes:  # the call never answered: say why
            message = outcomes[case_id].message
            found = Evidence(case_id, evidence_cases[case_id], "not-run", message)
        if found is not None:
            evidence.append(found)
    executed = {c.id for c in cases}
    if len(cases) != len(names) or executed != set(names.values()):
        message = f"{len(cases)} test(s) executed, {len(names)} generated"
        return cases, (TAMPERING, message), evidence
    return cases, None, evidence
