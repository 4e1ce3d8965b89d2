"""Agent files: parsed as tolerantly as Claude Code, rejected clearly when unreadable."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.agents.definition import load_agent, parse_agent
from harness.core.errors import MalformedFile, UnknownAgent, UnknownModel
from harness.providers.models import resolve_model
from tests.conftest import REPO

AGENTS = REPO / "agents"

# The shape of anthropics/claude-code's own agent files: not valid YAML (unquoted colons,
# <example> blocks, a comma-separated tools string).
CLAUDE_CODE_STYLE = b"""---
name: code-reviewer
description: Use this agent when you need to review code. Examples:\\n\\n<example>
Context: The user has just implemented a feature.
user: "I've added the login endpoint"
assistant: "I'll use the code-reviewer agent: it checks the rules."
</example>
tools: Read, Grep, Bash
model: opus
color: pink
maxTurns: 12
---

You are an expert code reviewer.
"""


def test_the_user_prompt_loads_unchanged() -> None:
    agent = load_agent("fastapi-backend-architect", AGENTS)
    original = REPO.parent / "shared" / "agents" / "fastapi-backend-architect.md"
    if original.is_file():
        assert (AGENTS / "fastapi-backend-architect.md").read_bytes() == original.read_bytes()
    assert (
        agent.name == "fastapi-backend-architect"
        and agent.model == "opus"
        and agent.color == "green"
    )
    assert (
        agent.body.startswith("# FastAPI Backend Architect")
        and "MANDATORY ARCHITECTURE RULES" in agent.body
    )
    assert len(agent.sha256) == 64 and agent.warnings == []


def test_baseline_is_a_short_control_prompt() -> None:
    agent = load_agent("baseline", AGENTS)
    assert agent.name == "baseline" and "HTTPException" not in agent.body and len(agent.body) < 600


def test_tolerant_parsing_of_invalid_yaml() -> None:
    agent = parse_agent(CLAUDE_CODE_STYLE, "x.md", "code-reviewer")
    assert agent.name == "code-reviewer"
    assert agent.tools == ["Read", "Grep", "Bash"]
    assert agent.model == "opus" and agent.color == "pink"
    assert (
        "<example>" in agent.description
        and 'user: "I\'ve added the login endpoint"' in agent.description
    )
    assert agent.extra == {"maxTurns": 12}
    assert agent.body == "You are an expert code reviewer."


def test_crlf_bom_and_yaml_list_tools() -> None:
    content = "\ufeff---\r\nname: a\r\ntools: [Read, Grep]\r\n---\r\nBody.\r\n".encode()
    agent = parse_agent(content, "a.md", "a")
    assert agent.tools == ["Read", "Grep"] and agent.body == "Body."


def test_no_front_matter_takes_the_name_from_the_file() -> None:
    agent = parse_agent(b"You are helpful.\n", "helper.md", "helper")
    assert (agent.name, agent.body, agent.model) == ("helper", "You are helpful.", None)


def test_name_differing_from_file_is_a_warning() -> None:
    agent = parse_agent(b"---\nname: other\n---\nBody\n", "agents/mine.md", "mine")
    assert agent.name == "other" and "differs from the file name" in agent.warnings[0]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "x.md:1: empty agent file"),
        (b"\x00\x01binary", "x.md:1: binary content"),
        (b"---\nname: x\nmodel: opus\n", "x.md:1: front matter opened with '---' is never closed"),
        (b"---\nname: x\n---\n\n", "no system prompt after the front matter"),
        (b"---\nmodel: opus\n---\nBody\n", "x.md:2: front matter has no `name:`"),
        (b"---\nname: x\n---\nBody \xff\xfe\n", "x.md:4: not UTF-8"),
    ],
)
def test_unreadable_files_name_file_and_line(content: bytes, needle: str) -> None:
    with pytest.raises(MalformedFile, match=None) as info:
        parse_agent(content, "x.md", "x")
    assert needle in str(info.value)


def test_unknown_agent_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownAgent, match="known agents: baseline, fastapi-backend-architect"):
        load_agent("nope", AGENTS)


def test_path_and_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "agents").mkdir(parents=True)
    agent_file = repo / "agents" / "a.md"
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    agent_file.write_text("---\nname: a\n---\nFirst revision.\n")
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "one"], check=True)
    agent_file.write_text("---\nname: a\n---\nSecond revision.\n")
    old = load_agent(f"{agent_file}@HEAD", repo / "agents")
    new = load_agent(str(agent_file), repo / "agents")
    assert (old.body, old.revision, old.label) == ("First revision.", "HEAD", "a@HEAD")
    assert new.body == "Second revision." and new.sha256 != old.sha256
    with pytest.raises(UnknownAgent, match="cannot read from git"):
        load_agent(f"{agent_file}@no-such-rev", repo / "agents")


def test_model_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    agent = load_agent("fastapi-backend-architect", AGENTS)
    assert resolve_model(None, agent) == "claude-opus-5-5"
    assert resolve_model("haiku", agent) == "claude-haiku-5-5"
    assert resolve_model("claude-sonnet-5", agent) == "claude-sonnet-5"
    assert resolve_model("oracle:http-exception", agent) == "oracle:http-exception"
    assert resolve_model("inherit", None) == "claude-sonnet-5-5"
    monkeypatch.setenv("ANTHROPIC_DEFAULT_OPUS_MODEL", "claude-opus-5")
    assert resolve_model("opus", None) == "claude-opus-5"
    with pytest.raises(UnknownModel, match="unknown model 'gpt-9'"):
        resolve_model("gpt-9", None)
