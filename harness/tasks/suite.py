"""Generate a task's pytest suite from its contract (jinja2) and run it in the sandbox.

The grader cannot be tampered with from the workspace: the suite lives outside it, pytest
runs with the harness's own ini file (`-c`), rootdir, no conftest (`--noconftest`), no
plugin autoload, no cache and isolated mode (`-I`: no PYTHONPATH, no user site, so no
sitecustomize or .pth from the workspace), and the verdict is read from a JUnit XML file
written outside the workspace, never from stdout. The number of executed tests must equal
the number generated, or the run counts as `grader-tampering-suspected`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import BaseModel

from harness.postgres import SOCKET_MOUNT, Database
from harness.sandbox import WORKSPACE_MOUNT, Limits, resolve_mode, run_sandboxed
from harness.tasks.spec import Contract

TEMPLATES = Path(__file__).parent / "templates"
SUITE_FILE = "test_contract.py"
SUPPORT_FILE = "_harness_support.py"
INI = "[pytest]\naddopts =\npython_files = test_contract.py\n"
SUITE_MOUNT = "/harness/suite"
RESULTS_MOUNT = "/harness/results"
DATABASE_ENV = "HARNESS_DATABASE_URL"
PROBE_ID = "architecture-probe"
TAMPERING = "grader-tampering-suspected"


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

    With `database` (PostgreSQL), the cases run against it instead of SQLite files.
    """
    names = case_names(contract)
    expected = len(names)
    with tempfile.TemporaryDirectory(prefix="harness-suite-") as tmp:
        suite_dir, results_dir = Path(tmp) / "suite", Path(tmp) / "results"
        suite_dir.mkdir()
        results_dir.mkdir()
        for name, content in render_suite(task_id, contract).items():
            (suite_dir / name).write_text(content, encoding="utf-8")
        isolated = resolve_mode(mode) == "bwrap"
        suite_path = SUITE_MOUNT if isolated else str(suite_dir)
        results_path = RESULTS_MOUNT if isolated else str(results_dir)
        junit = f"{results_path}/junit.xml"
        command = [
            sys.executable, "-I", "-B", "-m", "pytest", f"{suite_path}/{SUITE_FILE}",
            "-c", f"{suite_path}/pytest.ini", "--rootdir", suite_path, "--noconftest",
            "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=short",
            "-o", "junit_family=xunit2", f"--junitxml={junit}",
        ]  # fmt: skip
        run_env = {
            "HARNESS_WORKSPACE_PATH": WORKSPACE_MOUNT if isolated else str(workspace.resolve())
        }
        run_env.update(env or {})
        binds = {SUITE_MOUNT: str(suite_dir), RESULTS_MOUNT: str(results_dir)} if isolated else {}
        ro_binds = {}
        if database is not None:
            run_env[DATABASE_ENV] = database.url_inside if isolated else database.url_outside
            ro_binds = {SOCKET_MOUNT: database.socket_dir} if isolated else {}
        result = run_sandboxed(
            command, workspace, mode=mode, limits=limits, env=run_env, binds=binds, ro_binds=ro_binds
        )
        output = (result.stdout + result.stderr)[-8000:]
        run = TestRun(expected=expected, duration=result.duration, output=output)
        junit_file = results_dir / "junit.xml"
        if result.timed_out:
            run.error = (
                "test-timeout",
                f"the test suite did not finish in {limits.wall_seconds if limits else 'the limit'} s",
            )
            return run
        if not junit_file.is_file():
            run.error = (
                TAMPERING,
                f"the suite wrote no results (exit code {result.returncode}); output: {output[-500:]}",
            )
            return run
        try:
            run.cases = parse_junit(junit_file, names)
        except ET.ParseError as exc:
            run.error = (TAMPERING, f"unreadable results file: {exc}")
            return run
        executed = {c.id for c in run.cases}
        if len(run.cases) != expected or executed != set(names.values()):
            run.error = (TAMPERING, f"{len(run.cases)} test(s) executed, {expected} generated")
        shutil.rmtree(results_dir, ignore_errors=True)
        return run
