"""`harness doctor`: what this machine has for each way of running the harness.

Each check says what it found and, when something is missing, the command that installs
it; nothing here changes the machine. The checks are independent functions returning a
`Check`, so a new provider or backend adds one function.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from pydantic import BaseModel

from harness.cli.exit_codes import EXIT_FAILED, EXIT_OK
from harness.core.errors import InputError

OK, MISSING, WARN = "ok", "missing", "warning"
SANDBOX_FIX = "bubblewrap cannot run Python with the harness's packages here; see SECURITY.md"


class Check(BaseModel):
    name: str
    status: str
    detail: str
    needed_for: str
    fix: str = ""


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check(
        name="python", status=OK if ok else MISSING, detail=f"{version} at {sys.executable}",
        needed_for="everything", fix="" if ok else "use Python 3.11 or newer",
    )  # fmt: skip


def check_sandbox() -> Check:
    from harness.sandbox.diagnosis import namespace_fix
    from harness.sandbox.run import bwrap_path, self_check

    path = bwrap_path()
    if path is None:
        return Check(
            name="bwrap", status=WARN, needed_for="isolating model code (run, score, validate)",
            detail="bubblewrap not found: model code would run unisolated (--sandbox none)",
            fix="apt-get install -y bubblewrap",
        )  # fmt: skip
    problem = self_check("bwrap")
    return Check(
        name="bwrap", status=OK if problem is None else MISSING,
        detail=f"{_version([path, '--version'])} at {path}" + (f": {problem}" if problem else ""),
        needed_for="isolating model code (run, score, validate)",
        fix="" if problem is None else namespace_fix(problem) or SANDBOX_FIX,
    )  # fmt: skip


def check_postgres() -> Check:
    from harness.sandbox.postgres import find_bin_dir

    found = find_bin_dir()
    return Check(
        name="postgresql", status=OK if found else WARN,
        detail=str(found) if found else "no PostgreSQL server binaries",
        needed_for="--db postgres", fix="" if found else "apt-get install -y postgresql",
    )  # fmt: skip


def check_claude_code() -> Check:
    from harness.providers.claude_code import INSTALL_COMMAND, cli_path, cli_version

    needed = "--model claude-code[:MODEL]"
    node = shutil.which("node")
    path = cli_path()
    version = cli_version(path) if path else None
    if path is None or version is None:
        detail = "the Claude Code CLI (`claude`) is not installed"
        if path is not None:
            detail = f"{path} does not answer --version"
        fix = INSTALL_COMMAND if node else f"install Node.js 18+, then {INSTALL_COMMAND}"
        return Check(name="claude-code", status=MISSING, detail=detail, needed_for=needed, fix=fix)
    return Check(name="claude-code", status=OK, detail=f"{version} at {path}", needed_for=needed)


def check_api_key() -> Check:
    present = bool(os.environ.get("ANTHROPIC_API_KEY"))
    base = os.environ.get("ANTHROPIC_BASE_URL")
    detail = "ANTHROPIC_API_KEY is set" if present else "ANTHROPIC_API_KEY is not set"
    if base:
        detail += f"; ANTHROPIC_BASE_URL={base}"
    return Check(
        name="api-key", status=OK if present else WARN, detail=detail,
        needed_for="real models (not --model oracle)",
        fix="" if present else "export ANTHROPIC_API_KEY=... (or use --model oracle)",
    )  # fmt: skip


CHECKS: dict[str, Callable[[], Check]] = {
    "python": check_python,
    "bwrap": check_sandbox,
    "postgresql": check_postgres,
    "claude-code": check_claude_code,
    "api-key": check_api_key,
}


def run_checks() -> list[Check]:
    return [check() for check in CHECKS.values()]


def unmet(checks: list[Check], required: list[str]) -> list[Check]:
    """The required checks that are not ok (the exit code is 1 when there is one)."""
    return [c for c in checks if c.name in required and c.status != OK]


def run(args: argparse.Namespace) -> int:
    import json

    unknown = [name for name in args.require if name not in CHECKS]
    if unknown:
        raise InputError(f"--require {unknown[0]}: no such check; use one of {', '.join(CHECKS)}")
    checks = run_checks()
    if args.json:
        sys.stdout.write(json.dumps([c.model_dump() for c in checks], indent=2) + "\n")
    else:
        for check in checks:
            fix = f"  -> {check.fix}" if check.fix else ""
            sys.stdout.write(
                f"{check.status:<8} {check.name:<12} {check.detail}  [{check.needed_for}]{fix}\n"
            )
    return EXIT_FAILED if unmet(checks, args.require) else EXIT_OK
