"""`--model claude-code[:MODEL]`: a sample run inside Claude Code itself, not the harness's loop.

The agent file is installed as a project subagent (`.claude/agents/<name>.md`) in the
sample's workspace and `claude -p` runs headless with `--agent <name>`, so Claude Code's
own system prompt additions, tools and agent resolution are what gets measured. It runs in
the harness's sandbox: the workspace is its only writable directory, and its only way out
is `egress.ApiRelay`, which reaches the Messages API alone and adds the real key outside
(inside, Claude Code and every command it runs see a placeholder). The installed agent file
is removed before grading, so it is never scored as the model's change.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from harness.agents.definition import AgentDefinition
from harness.core.errors import InputError, ProviderError, ProviderRefused, ProviderUnavailable
from harness.core.transcript import Transcript
from harness.providers.claude_stream import StreamSummary, parse_stream
from harness.providers.registry import ProviderInfo, SessionRequest
from harness.sandbox.egress import PLACEHOLDER_KEY, ApiRelay
from harness.sandbox.run import SYSTEM_DIRS, Limits, resolve_mode, run_sandboxed

PREFIX = "claude-code"
CLI_ENV = "HARNESS_CLAUDE_CLI"
NPM_PACKAGE = "@anthropic-ai/claude-code"
INSTALL_COMMAND = f"npm install -g {NPM_PACKAGE}"
DEFAULT_BASE_URL = "https://api.anthropic.com"
AGENTS_DIR = Path(".claude") / "agents"
EGRESS_MOUNT = "/harness/egress"
HOME_MOUNT = "/harness/home"
RELAY_SOURCE = Path(__file__).resolve().parents[1] / "sandbox" / "relay.py"
# Claude Code is one large native binary whose runtime reserves much address space, and it
# keeps its whole stream on stdout: limits sized for it, not for a test suite.
MEMORY_BYTES = 16 * 1024**3
STREAM_BYTES = 32 * 1024**2
PROCESSES = 512
ALLOWED_TOOLS = "Bash"
VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
QUIET_ENV = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "CLAUDE_CODE_DISABLE_TERMINAL_TITLE": "1",
}


class MissingClaudeCode(InputError):
    """Raised when `--model claude-code` is asked for and the CLI is not installed."""


def is_claude_code(model: str) -> bool:
    return model.split(":", 1)[0] == PREFIX


def inner_model(model: str) -> str | None:
    """`claude-code:claude-opus-5-5` -> the id passed to `--model`; `claude-code` -> None."""
    _, _, rest = model.partition(":")
    return rest or None


def cli_path() -> str | None:
    override = os.environ.get(CLI_ENV)
    if override:
        return override if os.access(override, os.X_OK) else None
    found = shutil.which("claude")
    return os.path.realpath(found) if found else None


@functools.cache
def cli_version(path: str) -> str | None:
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = VERSION_PATTERN.search(out.stdout)
    return match.group(0) if match else None


def require_cli() -> str:
    path = cli_path()
    if path is None or cli_version(path) is None:
        where = (
            f"{CLI_ENV}={os.environ[CLI_ENV]} is not a working CLI; "
            if os.environ.get(CLI_ENV)
            else ""
        )
        raise MissingClaudeCode(
            f"--model claude-code: {where}the Claude Code CLI is not installed; "
            f"install it with `{INSTALL_COMMAND}` (Node.js 18+), then check with `harness doctor`"
        )
    return path


def command(cli: str, statement: str, agent: str, model: str | None, max_turns: int) -> list[str]:
    """The headless invocation: the agent selected, edits confined to the working
    directory (acceptEdits), shell commands allowed (the sandbox is their boundary)."""
    argv = [
        cli, "-p", statement, "--agent", agent, "--output-format", "stream-json", "--verbose",
        "--max-turns", str(max_turns), "--permission-mode", "acceptEdits",
        "--allowedTools", ALLOWED_TOOLS,
    ]  # fmt: skip
    if model:
        argv += ["--model", model]
    return argv


def install_agent(workspace: Path, agent: AgentDefinition) -> Path:
    path = workspace / AGENTS_DIR / f"{agent.name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(agent.text or f"---\nname: {agent.name}\n---\n\n{agent.body}\n", "utf-8")
    return path


def uninstall_agent(workspace: Path, installed: Path) -> None:
    """Remove what the harness put there, and the folders if nothing else is in them."""
    with contextlib.suppress(FileNotFoundError):
        installed.unlink()
    for folder in (workspace / AGENTS_DIR, workspace / ".claude"):
        with contextlib.suppress(OSError):
            folder.rmdir()


def failure(summary: StreamSummary, returncode: int, stderr: str) -> ProviderError | None:
    """A session that failed for the API's or the CLI's reasons (the sample is errored),
    or None when it ran: a turn limit or an error of the model's own is a model outcome."""
    status = summary.api_error_status
    if status is not None:
        message = f"claude-code: API error {status}: {summary.result_text[:500]}"
        if status == 429 or status >= 500:
            return ProviderUnavailable(message)
        return ProviderRefused(message)
    if not summary.has_result:
        tail = stderr.strip()[-500:] or "no output"
        return ProviderError(f"claude-code exited with {returncode} and no result: {tail}")
    if summary.is_error and summary.stop_reason == "error" and summary.turns == 0:
        return ProviderUnavailable(f"claude-code: {summary.result_text[:500] or 'failed'}")
    return None


def _ro_binds(cli: str, egress: Path) -> dict[str, str]:
    """The relay's socket, and the CLI's folder when it is not under the system folders
    the sandbox already shows (an npm prefix in /home, say)."""
    binds = {EGRESS_MOUNT: str(egress)}
    if not cli.startswith(tuple(f"{d}/" for d in SYSTEM_DIRS)):
        folder = str(Path(cli).parent)
        binds[folder] = folder
    return binds


@dataclass(frozen=True)
class Session:
    """One Claude Code run of a sample: what it needs, all resolved by the caller."""

    cli: str
    agent: AgentDefinition
    statement: str
    model: str | None
    max_turns: int
    wall_seconds: float
    sandbox: str


def run_session(session: Session, workspace: Path) -> Transcript:
    """Install the agent, run Claude Code in the sandbox behind the API relay, read its stream."""
    base_url = os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
    api_key = os.environ.get("ANTHROPIC_API_KEY", "")
    installed = install_agent(workspace, session.agent)
    isolated = resolve_mode(session.sandbox) == "bwrap"
    limits = Limits(
        wall_seconds=session.wall_seconds, memory_bytes=MEMORY_BYTES, processes=PROCESSES,
        output_bytes=STREAM_BYTES,
    )  # fmt: skip
    started = time.monotonic()
    try:
        with (
            ApiRelay(base_url, api_key) as relay,
            tempfile.TemporaryDirectory(prefix="harness-claude-home-") as home,
        ):
            socket_path = (
                f"{EGRESS_MOUNT}/{relay.socket_path.name}" if isolated else str(relay.socket_path)
            )
            argv = command(
                session.cli, session.statement, session.agent.name, session.model,
                session.max_turns,
            )  # fmt: skip
            launcher = [sys.executable, "-I", "-c", RELAY_SOURCE.read_text("utf-8"), socket_path]
            env = {
                **QUIET_ENV, "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
                "HOME": HOME_MOUNT if isolated else home,
            }  # fmt: skip
            result = run_sandboxed(
                [*launcher, *argv], workspace, mode=session.sandbox, limits=limits, env=env,
                binds={HOME_MOUNT: home} if isolated else {},
                ro_binds=_ro_binds(session.cli, relay.directory) if isolated else {},
            )  # fmt: skip
    finally:
        uninstall_agent(workspace, installed)
    summary = parse_stream(result.stdout)
    if result.timed_out:
        summary.stop_reason = "time_limit"
    else:
        error = failure(summary, result.returncode, result.stderr)
        if error is not None:
            raise error
    return Transcript(
        model=summary.model or session.model or PREFIX,
        system=session.agent.body,
        messages=[{"role": "user", "content": session.statement}, *summary.messages],
        stop_reason=summary.stop_reason,
        turns=summary.turns or sum(m["role"] == "assistant" for m in summary.messages),
        tool_calls=summary.tool_calls,
        usage=summary.usage,
        duration_s=round(time.monotonic() - started, 3),
    )


class ClaudeCodeOptions(BaseModel):
    """`--provider-option` keys of the Claude Code solver."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cli: str | None = Field(None, description=f"the claude executable (default {CLI_ENV})")


def _cli(options: BaseModel) -> str:
    override = getattr(options, "cli", None)
    if override:
        version = cli_version(override)
        if version is None:
            raise MissingClaudeCode(f"--provider-option cli={override} is not a working CLI")
        return override
    return require_cli()


def _session(request: SessionRequest, workspace: Path) -> Transcript:
    session = Session(
        cli=_cli(request.options), agent=request.agent, statement=request.statement,
        model=inner_model(request.model), max_turns=request.max_turns,
        wall_seconds=request.wall_seconds, sandbox=request.sandbox,
    )  # fmt: skip
    return run_session(session, workspace)


def _check(model: str, options: BaseModel) -> None:
    from harness.providers.anthropic import require_api_key

    require_api_key()
    _cli(options)


PROVIDER = ProviderInfo(
    name=PREFIX,
    summary="a solver: the sample runs inside Claude Code itself (claude-code[:MODEL])",
    needs_key=True,
    samples_per_connection=1,  # a session is a whole process making its own calls
    options=ClaudeCodeOptions,
    session=_session,
    check=_check,
)
