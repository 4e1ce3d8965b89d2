"""The prompt-eval GitHub workflow, run locally: its own `run:` scripts, in order, with the
oracle model instead of a real one (no network, no key)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "prompt-eval.yml"
LOCAL_STEPS = (
    "Run the smoke eval for base and head",
    "Compare base and head",
    "Fail on regression",
)


def load() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_it_runs_on_pull_requests_that_touch_agents_or_tasks() -> None:
    workflow = load()
    trigger = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as True
    assert set(trigger["pull_request"]["paths"]) == {"agents/**", "tasks/**"}
    names = [step.get("name") for step in workflow["jobs"]["eval"]["steps"]]
    for name in (*LOCAL_STEPS, "Upload the HTML report", "Comment on the pull request"):
        assert name in names


@pytest.mark.slow
def test_its_steps_pass_locally_and_write_the_comparison(tmp_path: Path) -> None:
    steps = {s.get("name"): s for s in load()["jobs"]["eval"]["steps"]}
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env = {
        **os.environ,
        "MODEL": "oracle", "EVAL": "smoke", "AGENT": "fastapi-backend-architect",
        "RUN_DIR": str(tmp_path / "run"), "BASE_SHA": "HEAD",
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
        "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
    }  # fmt: skip
    outputs: dict[str, str] = {}
    for name in LOCAL_STEPS:
        script = steps[name]["run"]
        for key, value in outputs.items():
            script = script.replace("${{ steps.compare.outputs." + key + " }}", value)
        assert "${{" not in script, f"{name}: the script must read its inputs from the environment"
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{name}: {done.stderr[-2000:]}"
        if output.is_file():
            outputs.update(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
    assert outputs["status"] == "0"  # identical arms: no regression
    text = summary.read_text()
    assert "fastapi-backend-architect@HEAD" in text and "## Eval run" in text
    assert (tmp_path / "run" / "report.html").is_file()
