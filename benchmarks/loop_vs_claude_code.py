"""The same task through the harness's own loop and through Claude Code, side by side.

Both runs talk to one scripted fake Messages API on loopback and do the same work: write
the task's reference solution file by file, then end the turn. (Claude Code's Write tool
refuses to overwrite a file it has not read, so its script reads existing files first.)
The fake records every request; this prints, as Markdown, how the two requests differ
(system prompt, tools, parameters) and how both samples scored.

    python benchmarks/loop_vs_claude_code.py [--task api-cors-health] [--out FILE]

Needs the Claude Code CLI (`harness doctor`) and bubblewrap. Never calls the real API.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness.cli.app import main as harness
from harness.tasks.loader import starter_layers
from harness.tasks.workspace import copy_layers
from harness.testing.fake_api import FakeMessagesAPI, end_turn, tool_use

REPO = Path(__file__).resolve().parents[1]
AGENT = "fastapi-backend-architect"
MODEL = "sonnet"
PREVIEW = 110


def loop_script(reference: Path) -> list[dict[str, Any]]:
    return [
        tool_use(
            "str_replace_based_edit_tool",
            {"command": "create", "path": f"/workspace/{relative}", "file_text": text},
        )
        for relative, text in solution_files(reference)
    ]


def claude_code_script(reference: Path, base: Path) -> list[dict[str, Any]]:
    replies = []
    for relative, text in solution_files(reference):
        path = f"/workspace/{relative}"
        if (base / relative).exists():
            replies.append(tool_use("Read", {"file_path": path}))
        replies.append(tool_use("Write", {"file_path": path, "content": text}))
    return replies


def solution_files(reference: Path) -> list[tuple[str, str]]:
    return [
        (p.relative_to(reference).as_posix(), p.read_text(encoding="utf-8"))
        for p in sorted(reference.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]


def run_arm(model: str, script: list[dict[str, Any]], task: str, out: Path) -> dict[str, Any]:
    with FakeMessagesAPI() as api:
        os.environ["ANTHROPIC_BASE_URL"] = api.url
        api.enqueue(*script, end_turn("Implemented."))
        argv = [
            "run",
            "--agent",
            AGENT,
            "--model",
            model,
            "--tasks",
            task,
            "--starter",
            "house-style",
            "--out",
            str(out),
        ]
        code = harness([*argv, "--no-cache"])
    [sample] = json.loads((out / "report.json").read_text())["samples"]
    return {"code": code, "requests": api.requests, "sample": sample}


def system_blocks(request: dict[str, Any]) -> list[str]:
    system = request.get("system") or []
    if isinstance(system, str):
        return [system]
    return [block.get("text", "") for block in system]


def message_sizes(request: dict[str, Any]) -> str:
    """Each message of a request as `role: characters in its blocks`."""
    sizes = []
    for message in request.get("messages") or []:
        content = message.get("content")
        blocks = [content] if isinstance(content, str) else [json.dumps(b) for b in content]
        sizes.append(f"{message['role']}: " + " + ".join(str(len(b)) for b in blocks))
    return "; ".join(sizes)


def describe(arm: dict[str, Any], body: str) -> dict[str, Any]:
    first = arm["requests"][0]
    blocks = system_blocks(first)
    joined = "\n".join(blocks)
    tools = first.get("tools") or []
    return {
        "requests": len(arm["requests"]),
        "first request bytes": len(json.dumps(first)),
        "system blocks": len(blocks),
        "system characters": len(joined),
        "agent body characters": len(body),
        "agent body verbatim in system": body.strip() in joined,
        "system characters besides the body": len(joined) - len(body.strip()),
        "first request's messages (characters per block)": message_sizes(first),
        "tools": len(tools),
        "tool schema characters": len(json.dumps(tools)),
        "top-level parameters": ", ".join(sorted(k for k in first if k not in ("messages",))),
        "max_tokens": first.get("max_tokens"),
        "model": first.get("model"),
        "stream": bool(first.get("stream")),
        "cache_control breakpoints": json.dumps(first).count('"cache_control"'),
        "resolved": arm["sample"]["resolved"],
        "tests passed": f"{arm['sample']['tests']['passed']}/{arm['sample']['tests']['expected']}",
        "findings": len(arm["sample"].get("findings") or []),
    }


def markdown(task: str, loop: dict[str, Any], cc: dict[str, Any], body: str, version: str) -> str:
    left, right = describe(loop, body), describe(cc, body)
    lines = [
        f"Task `{task}`, agent `{AGENT}`, model `{MODEL}`, Claude Code {version}, one scripted "
        "fake for both (the reference solution written file by file, then the end of the turn).",
        "",
        "| | harness loop | Claude Code |",
        "|---|---|---|",
    ]
    lines += [f"| {key} | {left[key]} | {right[key]} |" for key in left]
    lines += ["", "Tools offered in the first request:", ""]
    for name, arm in (("harness loop", loop), ("Claude Code", cc)):
        names = [t.get("name", t.get("type", "?")) for t in arm["requests"][0].get("tools") or []]
        lines.append(f"- {name} ({len(names)}): {', '.join(names)}")
    lines += ["", "System prompt blocks of the first request (first characters of each):", ""]
    for name, arm in (("harness loop", loop), ("Claude Code", cc)):
        lines.append(f"- {name}:")
        for block in system_blocks(arm["requests"][0]):
            preview = " ".join(block.split())[:PREVIEW].replace("|", "\\|")
            lines.append(f"  - {len(block)} chars: `{preview}`")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="api-cors-health")
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    args = parser.parse_args()
    from harness.agents.definition import load_agent
    from harness.providers.claude_code import cli_version, require_cli

    version = cli_version(require_cli()) or "?"
    os.environ.setdefault("ANTHROPIC_API_KEY", "sk-ant-benchmark-fake")
    reference = REPO / "tasks" / args.task / "solutions" / "house-style" / "reference"
    body = load_agent(AGENT, REPO / "agents").body
    with tempfile.TemporaryDirectory(prefix="loop-vs-cc-") as tmp:
        starter_dir = copy_layers(
            starter_layers(REPO / "tasks", "house-style"), Path(tmp) / "starter"
        )
        loop = run_arm(MODEL, loop_script(reference), args.task, Path(tmp) / "loop")
        cc = run_arm(
            f"claude-code:{MODEL}",
            claude_code_script(reference, starter_dir),
            args.task,
            Path(tmp) / "claude-code",
        )
    text = markdown(args.task, loop, cc, body, version)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
