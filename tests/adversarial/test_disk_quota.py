"""A hostile workspace that writes until its disk quota stops it: the writes fail with "No
space left on device" inside the sandbox, the sample is scored, and the harness, the run
directory and the sample beside it are untouched.

Two places write: the agent's commands (the workspace is a tmpfs of its own while the agent
works, which needs root to mount) and the app while it is graded (it runs on its own copy
of the workspace, a tmpfs the sandbox sizes, so the graded workspace stays as it was).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.schema import Report
from harness.grading.grader import grade_workspace
from harness.run import runner
from harness.sandbox import disk
from harness.sandbox.run import Limits
from harness.tasks.loader import load_task
from harness.tasks.workspace import render_workspace, snapshot
from tests.adversarial.hostile import ScriptedProvider, bash

QUOTA_BYTES, QUOTA_FILES = 24 * 1024**2, 2048
FILE_BYTES = 4_000_000
FILL = bash(  # a template: {{i}} is the script's own {i}
    f"i=0; while head -c {FILE_BYTES} /dev/zero > fill-$i; do i=$((i+1)); done; "
    'echo "files: $i"; python3 -c \'import os\n'
    'for i in range(100000): os.close(os.open(f"tiny-{{i}}", os.O_CREAT | os.O_WRONLY))\'; '
    "echo end"
)
FILL_AT_IMPORT = """import itertools, os

for directory in ("/tmp", os.getcwd()):
    try:
        for i in itertools.count():
            with open(os.path.join(directory, f"fill-{i}"), "wb") as handle:
                handle.write(bytes(4_000_000))
    except OSError as exc:
        stopped = exc
raise RuntimeError(f"the disk stopped the app: {stopped}")
"""
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed"),
]


def tree_bytes(root: Path) -> tuple[int, int]:
    """The bytes of the regular files under `root`, and the number of entries."""
    entries = list(root.rglob("*"))
    return sum(p.lstat().st_size for p in entries if p.is_file()), len(entries)


def quotas_under(root: Path) -> list[str]:
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    return [line for line in mounts if str(root.resolve()) in line]


@pytest.mark.skipif(os.geteuid() != 0, reason="the workspace quota is a tmpfs: mounting needs root")
def test_an_agent_that_fills_its_workspace_is_stopped_and_its_neighbour_is_untouched(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quota = functools.partial(Limits, workspace_bytes=QUOTA_BYTES, workspace_files=QUOTA_FILES)
    monkeypatch.setattr(disk, "Limits", quota)
    oracle = runner.sample_provider

    def provider(options, spec, shared):  # type: ignore[no-untyped-def]
        if spec.epoch == 1:  # the hostile sample; epoch 2 is the oracle, side by side
            return ScriptedProvider([[FILL]], {})
        return oracle(options, spec, shared)

    monkeypatch.setattr(runner, "sample_provider", provider)
    out = tmp_path / "run"
    code = main(["run", "--agent", "baseline", "--model", "oracle", "--epochs", "2", "--out", str(out)])  # fmt: skip
    assert code == 0
    hostile, neighbour = Report.model_validate_json((out / "report.json").read_text()).samples
    samples = out / "samples" / "baseline" / "health-db" / "house-style"
    transcript = json.loads((samples / "1" / "transcript.json").read_text())
    said = json.dumps(transcript["messages"])
    assert said.count("No space left on device") >= 2 and "end" in said  # bytes, then files
    written = int(re.search(r"files: (\d+)", said).group(1))  # type: ignore[union-attr]
    assert 0 < written * FILE_BYTES <= QUOTA_BYTES  # what the sandbox saw, not the copy
    assert hostile.status == "scored" and hostile.error is None and not hostile.resolved
    assert hostile.tests.passed + hostile.tests.failed + hostile.tests.errored == 1
    size, entries = tree_bytes(samples / "1" / "workspace")
    assert FILE_BYTES < size <= QUOTA_BYTES and entries < QUOTA_FILES
    assert neighbour.status == "scored" and neighbour.resolved
    assert tree_bytes(samples / "2" / "workspace")[0] < FILE_BYTES
    assert (out / "summary.md").is_file() and (out / "report.html").is_file()
    assert quotas_under(tmp_path) == []  # every quota unmounted, its files on the disk


def test_an_app_that_fills_its_disk_while_graded_is_scored_and_leaves_the_workspace(
    tasks_root: Path, tmp_path: Path
) -> None:
    task = load_task(tasks_root / "health-db")
    workspace = render_workspace(task, "house-style", tmp_path / "ws")
    (workspace / "app" / "__init__.py").write_text(FILL_AT_IMPORT)
    before = snapshot(workspace)
    score = grade_workspace(task, "house-style", workspace, sandbox="bwrap")
    assert score.status == "scored" and score.error is None and not score.resolved
    [case] = score.tests.cases
    assert "the disk stopped the app" in case.message and "No space left on device" in case.message
    assert snapshot(workspace) == before  # the app wrote to its own copy only
    assert tree_bytes(workspace)[0] < FILE_BYTES
