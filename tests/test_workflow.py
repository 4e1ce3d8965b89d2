"""The GitHub workflows (prompt-eval, full-eval): validated against GitHub's workflow schema
(the one check-jsonschema vendors), their triggers and guards read structurally, and their
own `run:` scripts run locally, in order, with the oracle model instead of a real one (no
network, no key) and a stand-in `gh` that records what it would have sent to GitHub."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "prompt-eval.yml"
FULL_EVAL = REPO / ".github" / "workflows" / "full-eval.yml"
LOCAL_STEPS = (
    "Run the smoke eval for base and head",
    "Compare base and head",
    "Write the pull request comment",
    "Comment on the pull request",
    "Fail on regression",
)
MARKER = "<!-- harness prompt-eval -->"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# A stand-in for the GitHub CLI: logs each call; lists one earlier comment when asked to.
FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
case "$*" in
  *"/comments --paginate"*) [ -n "$GH_EXISTING" ] && echo "$GH_EXISTING" ;;
esac
exit 0
"""


def load(path: Path = WORKFLOW) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def trigger(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow.get("on") or workflow[True]  # YAML 1.1 reads a bare `on` as True


def schema_errors(path: Path) -> subprocess.CompletedProcess[str]:
    checker = shutil.which("check-jsonschema")
    assert checker, "check-jsonschema is a test dependency: pip install -e '.[test]'"
    argv = [checker, "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("workflow", [WORKFLOW, FULL_EVAL], ids=lambda p: p.stem)
def test_the_workflow_is_valid_for_github_and_a_planted_mistake_is_caught(
    workflow: Path, tmp_path: Path
) -> None:
    assert schema_errors(workflow).returncode == 0
    text = workflow.read_text(encoding="utf-8")
    for wrong, right in (
        ("timeout-minutes: ", "timeout-minutes: sixty #"),  # a number that is not one
        ("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"),  # a misspelt key
        ("cancel-in-progress:", "cancel-in-progres:"),
    ):
        assert wrong in text
        planted = tmp_path / "planted.yml"
        planted.write_text(text.replace(wrong, right, 1))
        result = schema_errors(planted)
        assert result.returncode == 1, f"{right!r} was not caught"
        assert "planted.yml" in result.stdout + result.stderr


def test_triggers_guards_and_settings() -> None:
    workflow = load()
    on = trigger(workflow)
    assert {"agents/**", "tasks/**"} <= set(on["pull_request"]["paths"])
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "pull_request.number" in workflow["concurrency"]["group"]
    jobs = workflow["jobs"]
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    assert same_repo in jobs["eval"]["if"]
    assert same_repo.replace("==", "!=") in jobs["fork"]["if"]
    assert "::notice" in jobs["fork"]["steps"][0]["run"]
    assert jobs["warm-cache"]["if"] == "github.event_name != 'pull_request'"
    for name in ("eval", "warm-cache"):
        steps = jobs[name]["steps"]
        python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
        assert python["with"]["cache"] == "pip"
        install = next(s for s in steps if s.get("name") == "Install the sandbox and the harness")
        assert "kernel.apparmor_restrict_unprivileged_userns=0" in install["run"]
        assert "harness doctor --require bwrap" in install["run"]
        assert jobs[name]["runs-on"] == "ubuntu-24.04"
    assert "HARNESS_MAX_COST" in workflow["env"]["MAX_COST"]
    # pull requests read the default branch's cache, which the push job saves
    restore = next(
        s for s in jobs["eval"]["steps"] if s.get("name") == "Restore the response cache"
    )
    assert "harness-responses-main-" in restore["with"]["restore-keys"]
    saved = next(
        s for s in jobs["warm-cache"]["steps"] if s.get("name") == "Save the response cache"
    )
    assert saved["with"]["key"].startswith("harness-responses-main-")
    upload = next(s for s in jobs["eval"]["steps"] if s.get("id") == "upload")
    assert "comparison.html" in upload["with"]["path"] and upload["if"] == "always()"


def _evaluate(value: str, context: dict[str, str]) -> str:
    """`${{ expr }}` in a step's env, from the values GitHub would give (unknown: empty)."""
    return EXPRESSION.sub(lambda m: context.get(m.group(1), ""), value)


def run_steps(tmp_path: Path, *, existing_comment: str = "") -> dict[str, Any]:
    """The eval job's local steps in order, as GitHub would run them; returns what they left."""
    workflow = load()
    job = workflow["jobs"]["eval"]
    steps = {s.get("name"): s for s in job["steps"]}
    output, summary, log = tmp_path / "github_output", tmp_path / "step_summary", tmp_path / "gh"
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir(parents=True, exist_ok=True)
    fake.write_text(FAKE_GH)
    fake.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        "MODEL": "oracle", "MAX_COST": "1", "EVAL": "smoke", "AGENT": "fastapi-backend-architect",
        "RUN_DIR": str(tmp_path / "run"), "BASE_SHA": "HEAD",
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"), "GITHUB_REPOSITORY": "owner/repo",
        "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
        "GH_LOG": str(log), "GH_EXISTING": existing_comment,
    }  # fmt: skip
    context = {
        "github.event.pull_request.number": "7",
        "steps.upload.outputs.artifact-url": "https://example.invalid/artifact/1",
    }
    statuses = {}
    for name in LOCAL_STEPS:
        step = steps[name]
        script = step["run"]
        assert "${{" not in script, f"{name}: the script must read its inputs from the environment"
        step_env = {k: _evaluate(str(v), context) for k, v in step.get("env", {}).items()}
        if "ANTHROPIC_API_KEY" in step_env:
            step_env.pop("ANTHROPIC_API_KEY")  # the oracle needs none
        output.write_text("")
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=REPO, env={**env, **step_env},
            capture_output=True, text=True,
        )  # fmt: skip
        statuses[name] = done.returncode
        for line in output.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step.get('id')}.outputs.{key}"] = value
    return {
        "statuses": statuses,
        "context": context,
        "summary": summary.read_text() if summary.is_file() else "",
        "gh": log.read_text() if log.is_file() else "",
        "comment": (tmp_path / "run" / "comment.md").read_text(),
    }


@pytest.mark.slow
def test_its_steps_pass_locally_comment_once_and_write_the_comparison(tmp_path: Path) -> None:
    first = run_steps(tmp_path / "first")
    assert all(code == 0 for code in first["statuses"].values()), first["statuses"]
    assert first["context"]["steps.run.outputs.status"] == "0"
    assert first["context"]["steps.compare.outputs.status"] == "0"  # identical arms
    assert "fastapi-backend-architect@HEAD" in first["summary"]
    comment = first["comment"]
    assert comment.startswith(MARKER) and "prompt-eval: passed" in comment
    assert "https://example.invalid/artifact/1" in comment and "## Comparison" in comment
    assert first["gh"].startswith("api repos/owner/repo/issues/7/comments --paginate")
    assert "pr comment 7 --body-file" in first["gh"]  # no earlier comment: a new one
    run = tmp_path / "first" / "run"
    for name in ("comparison.html", "comparison.md", "report.html", "report.json"):
        assert (run / name).is_file(), name
    # a second push finds the comment by its marker and edits it instead of adding one
    again = run_steps(tmp_path / "second", existing_comment="4242")
    assert "-X PATCH repos/owner/repo/issues/comments/4242" in again["gh"]
    assert "pr comment" not in again["gh"]


def test_the_last_step_fails_on_a_regression_or_a_failed_gate(tmp_path: Path) -> None:
    step = next(s for s in load()["jobs"]["eval"]["steps"] if s.get("name") == "Fail on regression")
    for run_status, compare_status, code, says in (
        ("0", "0", 0, ""),
        ("0", "1", 1, "regressed against the base arm"),
        ("1", "0", 1, "failed a gate"),
        ("", "", 1, "failed a gate"),  # the run step died before writing its status
    ):
        env = {
            **os.environ,
            "EVAL": "smoke",
            "RUN_STATUS": run_status,
            "COMPARE_STATUS": compare_status,
        }
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True
        )
        assert done.returncode == code and says in done.stdout, (run_status, compare_status)


def test_full_eval_is_a_matrix_of_shards_merged_on_a_schedule_and_by_hand() -> None:
    workflow = load(FULL_EVAL)
    on = trigger(workflow)
    assert on["schedule"] and "workflow_dispatch" in on
    shard, merge = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    assert shard["strategy"]["matrix"]["shard"] == list(
        range(1, int(workflow["env"]["SHARDS"]) + 1)
    )
    assert shard["strategy"]["fail-fast"] is False
    assert merge["needs"] == "shard" and merge["if"] == "always()"
    restore = next(s for s in shard["steps"] if s.get("name") == "Restore the response cache")
    assert "harness-responses-main-" in restore["with"]["restore-keys"]
    install = next(
        s for s in shard["steps"] if s.get("name") == "Install the sandbox and the harness"
    )
    assert "kernel.apparmor_restrict_unprivileged_userns=0" in install["run"]
    uploaded = next(s for s in merge["steps"] if s.get("name") == "Upload the report")
    assert "report.html" in uploaded["with"]["path"]


def run_script(step: dict[str, Any], env: dict[str, str], context: dict[str, str]) -> int:
    script = step["run"]
    assert "${{" not in script, (
        f"{step['name']}: the script must read its inputs from the environment"
    )
    step_env = {k: _evaluate(str(v), context) for k, v in step.get("env", {}).items()}
    step_env.pop("ANTHROPIC_API_KEY", None)  # the oracle needs none
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=env["WORKDIR"], env={**env, **step_env},
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode in (0, 1), f"{step['name']}: {done.stderr[-2000:]}"
    return done.returncode


@pytest.mark.slow
def test_full_eval_steps_run_every_shard_and_merge_them_locally(tmp_path: Path) -> None:
    workflow = load(FULL_EVAL)
    shard_steps = {s.get("name"): s for s in workflow["jobs"]["shard"]["steps"]}
    merge_steps = {s.get("name"): s for s in workflow["jobs"]["merge"]["steps"]}
    summary, output = tmp_path / "summary", tmp_path / "output"
    env = {
        **os.environ, "WORKDIR": str(tmp_path), "HARNESS_TASKS_DIR": str(REPO / "tasks"),
        "MODEL": "oracle", "EPOCHS": "1", "EVAL": str(REPO / "evals" / "smoke.yaml"),
        "AGENT": str(REPO / "agents" / "fastapi-backend-architect.md"),
        "SHARDS": workflow["env"]["SHARDS"], "MAX_COST": "1", "RUN_DIR": "runs/full-eval",
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
        "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output),
    }  # fmt: skip
    for shard in workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]:
        assert run_script(shard_steps["Run one shard"], env, {"matrix.shard": str(shard)}) == 0
    assert run_script(merge_steps["Merge the shards"], env, {}) == 0
    merged = tmp_path / "runs" / "full-eval"
    report = yaml.safe_load((merged / "report.json").read_text())
    assert len(report["samples"]) == 9 and report["run"]["shard"] is None  # smoke: 3 x 3
    assert (merged / "report.html").is_file() and "## Eval run" in summary.read_text()
    assert "status=0" in output.read_text()
