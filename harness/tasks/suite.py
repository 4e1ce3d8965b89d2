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

import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import BaseModel

from harness.postgres import Database
from harness.sandbox import Limits, resolve_mode, run_sandboxed
from harness.tasks.app_host import APP_HOST_FAILED, SHARED_FILE, AppHost
from harness.tasks.spec import Contract

TEMPLATES = Path(__file__).parent / "templates"
SUITE_FILE = "test_contract.py"
SUPPORT_FILE = "_harness_support.py"
INI = "[pytest]\naddopts =\npython_files = test_contract.py\n"
SUITE_MOUNT = "/harness/suite"
RESULTS_MOUNT = "/harness/results"
PROBE_ID = "architecture-probe"
TAMPERING = "grader-tampering-suspected"
TIMEOUT = "test-timeout"
OUTPUT_CHARS = 8000


@dataclass(frozen=True)
class CaseResult:
    id: str
    outcome: str  # passed | failed | error
    message: str = ""


@dataclass
class TestRun:
    """The suite's verdict per case, or why there is none."""

    cases: list[CaseResult] = field(default_factory=list)
    expected: int = 0
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


def render_suite(task_id: str, contract: Contract) -> dict[str, str]:
    """{file name: content} of the generated suite."""
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
    fixtures = {
        name: [row.model_dump() for row in rows] for name, rows in contract.fixtures.items()
    }
    source = env.get_template("test_contract.py.j2").render(
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


def parse_junit(path: Path, names: dict[str, str]) -> list[CaseResult]:
    root = ET.parse(path).getroot()
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
) -> TestRun:
    """Render and run the suite against `workspace`; never raises for what the code does.

    The app host and pytest start together, each in its own sandbox under `limits`; with
    `database` (PostgreSQL), the host's app uses it instead of SQLite files.
    """
    limits = limits or Limits()
    names = case_names(contract)
    expected = len(names)
    with tempfile.TemporaryDirectory(prefix="harness-suite-") as tmp:
        root = Path(tmp)
        suite_dir, results_dir, empty = root / "suite", root / "results", root / "workspace"
        for directory in (suite_dir, results_dir, empty):
            directory.mkdir()
        for name, content in render_suite(task_id, contract).items():
            (suite_dir / name).write_text(content, encoding="utf-8")
        isolated = resolve_mode(mode) == "bwrap"
        suite_path = SUITE_MOUNT if isolated else str(suite_dir)
        results_path = RESULTS_MOUNT if isolated else str(results_dir)
        host = AppHost(
            root, workspace, mode=mode, limits=limits, isolated=isolated, database=database
        )
        binds = {SUITE_MOUNT: str(suite_dir), RESULTS_MOUNT: str(results_dir)} if isolated else {}
        host.start()
        try:
            result = run_sandboxed(
                _pytest_command(suite_path, f"{results_path}/junit.xml"),
                empty,  # the tests never see the model's code
                mode=mode,
                limits=limits,
                env={**host.client_env, **(env or {})},
                binds=binds,
                ro_binds=host.client_ro_binds,
            )
        finally:
            hosted = host.stop()  # before the results are read: nothing of the app is left
        output = (result.stdout + result.stderr)[-OUTPUT_CHARS:]
        if hosted.output:
            output += "\n" + hosted.output
        run = TestRun(expected=expected, duration=result.duration, output=output)
        if hosted.failure is not None:  # first: then nothing else says anything of the model
            run.error = (APP_HOST_FAILED, hosted.failure)
        elif result.timed_out:
            run.error = (TIMEOUT, f"the test suite did not finish in {limits.wall_seconds} s")
        else:
            run.cases, run.error = _verdict(results_dir / "junit.xml", names, result.returncode)
        return run


def _verdict(
    junit_file: Path, names: dict[str, str], returncode: int
) -> tuple[list[CaseResult], tuple[str, str] | None]:
    """The cases of the results file, or why it is not to be believed."""
    if not junit_file.is_file():
        return [], (TAMPERING, f"the suite wrote no results (exit code {returncode})")
    try:
        cases = parse_junit(junit_file, names)
    except ET.ParseError as exc:
        return [], (TAMPERING, f"unreadable results file: {exc}")
    executed = {c.id for c in cases}
    if len(cases) != len(names) or executed != set(names.values()):
        return cases, (TAMPERING, f"{len(cases)} test(s) executed, {len(names)} generated")
    return cases, None
