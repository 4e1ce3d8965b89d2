"""Agent definitions: Claude Code subagent files (front matter + a markdown body).

Parsed as tolerantly as Claude Code parses them: most real agent files are not valid YAML
(unquoted colons and `<example>` blocks in `description`), so a strict YAML load falls back
to a line scanner that starts a field only at a known top-level key. What cannot be read at
all raises MalformedFile naming the file and line.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from harness.core.errors import MalformedFile, UnknownAgent, UnknownModel

KNOWN_KEYS = (
    "name", "description", "tools", "disallowedTools", "model", "color", "permissionMode",
    "maxTurns", "skills", "mcpServers", "hooks", "memory", "background", "effort",
    "isolation", "initialPrompt",
)  # fmt: skip
FENCE = "---"
MAX_AGENT_BYTES = 1_000_000  # ~250k tokens: past any model's context, so surely a mistake
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_]*):(?:\s+(?P<value>.*)|\s*)$")


class AgentDefinition(BaseModel):
    """One agent file, validated: the body is the system prompt under test."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    model: str | None = None
    color: str | None = None
    tools: list[str] | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
    body: str
    source: str
    revision: str | None = None
    sha256: str
    warnings: list[str] = Field(default_factory=list)
    # The file as written (UTF-8, LF), for providers that install the agent where it runs;
    # kept out of dumps so a run's identity stays the hash, not the whole text.
    text: str = Field(default="", exclude=True, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name}@{self.revision}" if self.revision else self.name


def _split(text: str, source: str) -> tuple[list[str], int, str]:
    """(front matter lines, line number where they start, body)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        return [], 0, text
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return lines[1:index], 2, "\n".join(lines[index + 1 :])
    raise MalformedFile(
        f"{source}:1: front matter opened with '---' is never closed; add a closing '---' line"
    )


def _scan(lines: list[str]) -> dict[str, str]:
    """Claude Code's leniency: a new field starts only at a known top-level key."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        match = _KEY_LINE.match(line)
        if match and match.group("key") in KNOWN_KEYS:
            current = match.group("key")
            fields[current] = [match.group("value") or ""]
        elif current is not None:
            fields[current].append(line)
    return {key: "\n".join(parts).strip() for key, parts in fields.items()}


def _scalar(value: str) -> Any:
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return (
        parsed
        if isinstance(parsed, (str, int, float, bool, list, dict)) or parsed is None
        else value
    )


def parse_front_matter(lines: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load("\n".join(lines)) if lines else {}
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        return data
    return {key: _scalar(value) for key, value in _scan(lines).items()}


def _tools(value: Any) -> list[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    return [str(value)]


def parse_agent(
    content: bytes, source: str, stem: str, revision: str | None = None
) -> AgentDefinition:
    """Validate one agent file's bytes; `stem` is the file name the name should match."""
    if len(content) > MAX_AGENT_BYTES:
        raise _too_large(source, len(content))
    if b"\x00" in content:
        raise MalformedFile(
            f"{source}:1: binary content (NUL bytes); an agent file is UTF-8 markdown"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise MalformedFile(
            f"{source}:{line}: not UTF-8 text; save the agent file as UTF-8"
        ) from exc
    text = text.replace("\r\n", "\n")
    lines, start, body = _split(text, source)
    meta = parse_front_matter(lines) if lines else {}
    body = body.strip()
    if not lines and not body:
        raise MalformedFile(
            f"{source}:1: empty agent file; add front matter and a system prompt body"
        )
    if not body:
        raise MalformedFile(
            f"{source}:{start + len(lines) + 1}: no system prompt after the front matter"
        )
    warnings: list[str] = []
    name = meta.get("name")
    if lines and (not isinstance(name, str) or not name.strip()):
        raise MalformedFile(f"{source}:{start}: front matter has no `name:`; add `name: {stem}`")
    name = str(name).strip() if name else stem
    if name != stem:
        warnings.append(f"{source}: name {name!r} differs from the file name {stem!r}")
    description = meta.get("description") or ""
    if isinstance(description, str):
        description = description.replace("\\n", "\n").strip()
    model = meta.get("model")
    known = {"name", "description", "model", "color", "tools"}
    return AgentDefinition(
        name=name,
        description=str(description),
        model=str(model).strip() if model not in (None, "") else None,
        color=str(meta["color"]) if meta.get("color") is not None else None,
        tools=_tools(meta.get("tools")),
        extra={k: v for k, v in meta.items() if k not in known},
        body=body,
        source=source,
        revision=revision,
        sha256=hashlib.sha256(content).hexdigest(),
        warnings=warnings,
        text=text,
    )


def _too_large(source: str, size: int) -> MalformedFile:
    return MalformedFile(
        f"{source}: {size / 1e6:.1f} MB; an agent's prompt must fit a model's context: "
        f"shorten it to under {MAX_AGENT_BYTES / 1e6:.0f} MB"
    )


def _git_show(path: Path, revision: str) -> bytes:
    """The file's bytes at a git revision (`git show REV:relative/path`)."""
    directory = path.parent if path.parent.exists() else Path.cwd()
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = path.resolve().relative_to(Path(top).resolve()).as_posix()
        return subprocess.run(
            ["git", "show", f"{revision}:{relative}"], cwd=top, capture_output=True, check=True
        ).stdout
    except (OSError, ValueError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        message = detail.decode(errors="replace").strip().splitlines()[:1] if detail else [str(exc)]
        raise UnknownAgent(
            f"{path}@{revision}: cannot read from git ({' '.join(message)}); check the revision"
        ) from exc


def load_agent(spec: str, agents_dir: Path) -> AgentDefinition:
    """Load `NAME`, `path/to/file.md` or either with `@REV` (the file at a git revision)."""
    target, _, revision = spec.partition("@")
    as_path = Path(target)
    if target.endswith(".md") or "/" in target or as_path.is_file():
        path = as_path
    else:
        path = agents_dir / f"{target}.md"
    if revision:
        content = _git_show(path, revision)
    else:
        if not path.is_file():
            known = sorted(p.stem for p in agents_dir.glob("*.md")) if agents_dir.is_dir() else []
            raise UnknownAgent(
                f"unknown agent {spec!r}: no file {path}; known agents: {', '.join(known) or 'none'}"
            )
        try:
            size = path.stat().st_size
            if size > MAX_AGENT_BYTES:  # refused before it is read into memory
                raise _too_large(str(path), size)
            content = path.read_bytes()
        except OSError as exc:
            raise MalformedFile(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_agent(content, str(path), path.stem, revision or None)
