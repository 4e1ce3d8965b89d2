"""`harness run --shard K/N` in parallel processes and `harness merge`: the merged run is the
single run of the same samples, and shards that do not make one run are refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.cli.app import main

REPO = Path(__file__).resolve().parents[1]
ARCHITECT = str(REPO / "agents" / "fastapi-backend-architect.md")
RUN = ["run", "--agent", "baseline", "--agent", ARCHITECT, "--epochs", "4"]
TIMES = ("id", "started_at", "finished_at")
SAMPLE_TIMES = ("duration_s", "score_s")


def harness(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip


def comparable(run_dir: Path) -> dict[str, Any]:
    """report.json without what differs between any two runs: ids and times."""
    report = json.loads((run_dir / "report.json").read_text())
    for key in TIMES:
        report["run"].pop(key)
    for sample in report["samples"]:
        for key in SAMPLE_TIMES:
            sample.pop(key, None)
    return report


@pytest.fixture
def shards(tasks_root: Path, tmp_path: Path) -> list[Path]:
    """Four shards of an oracle run, run as four processes at once (8 scored samples)."""
    dirs = [tmp_path / f"shard-{k}" for k in range(1, 5)]
    running = [
        harness(*RUN, "--model", "oracle", "--shard", f"{k}/4", "--out", str(d))
        for k, d in enumerate(dirs, 1)
    ]
    for process in running:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-2000:]
    return dirs


@pytest.mark.slow
def test_four_shards_merge_into_the_single_run_of_the_same_samples(
    shards: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    single = tmp_path / "single"
    assert main([*RUN, "--model", "oracle", "--out", str(single)]) == 0
    merged = tmp_path / "merged"
    assert main(["merge", *map(str, shards), "--out", str(merged)]) == 0
    assert sum(len(json.loads((d / "report.json").read_text())["samples"]) for d in shards) == 8
    assert comparable(merged) == comparable(single)
    for name in ("report.html", "summary.md", "comparison.html", "events.jsonl", "plan.json"):
        assert (merged / name).is_file(), name
    html = (merged / "report.html").read_text()
    assert "No workspace recorded" not in html and html.count('class="sample"') >= 8
    # a merged run is a run: compared, gated and resumed like one
    capsys.readouterr()
    assert main(["compare", str(single), str(merged), "--format", "json", "--base-arm",
                 "baseline", "--head-arm", "baseline"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["resolved_rate"]["delta"] == 0
    gate = tmp_path / "gate.yaml"
    gate.write_text("name: strict\ngates: {min_resolved_rate: 1.0, max_errored: 0}\n")
    assert main(["merge", *map(str, shards), "--out", str(tmp_path / "gated"),
                 "--eval", str(gate)]) == 0  # fmt: skip
    assert "gates of eval 'strict': passed" in capsys.readouterr().out
    assert main(["run", "--resume", str(merged)]) == 0  # nothing left to run
    assert comparable(merged) == comparable(single)


@pytest.mark.slow
def test_mismatched_overlapping_and_missing_shards_are_refused(
    shards: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*argv: str) -> str:
        capsys.readouterr()
        assert main(["merge", *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        return err[0]

    out = str(tmp_path / "out")
    other = tmp_path / "other-model"
    assert main([*RUN, "--model", "oracle:http-exc", "--shard", "2/4", "--out", str(other)]) == 0
    said = refused(str(shards[0]), str(other), *map(str, shards[2:]), "--out", out)
    assert "not of one run: they differ in model (oracle in" in said and "other-model" in said
    said = refused(*map(str, shards), str(shards[1]), "--out", out)
    assert "shard 2/4 given twice" in said
    said = refused(str(shards[0]), str(shards[1]), str(shards[3]), "--out", out)
    assert "missing shard(s) 3/4 of 4" in said and "--allow-partial" in said
    assert not (tmp_path / "out").exists()  # nothing written before the checks pass
    # --allow-partial: the missing shard's samples are there, skipped, saying why
    assert main(["merge", str(shards[0]), str(shards[1]), str(shards[3]), "--out", out,
                 "--allow-partial"]) == 0  # fmt: skip
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    skipped = [s for s in report["samples"] if s["status"] == "skipped"]
    third = json.loads((shards[2] / "report.json").read_text())["samples"]
    assert len(report["samples"]) == 8 and len(skipped) == len(third)
    assert all(s["error"]["kind"] == "shard-missing" for s in skipped)
    assert refused(*map(str, shards), "--out", out).startswith("harness: --out")  # not empty


@pytest.mark.slow
def test_a_shard_resumes_as_itself(shards: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    events = shards[0] / "events.jsonl"
    lines = events.read_text().splitlines()
    events.write_text("".join(f"{line}\n" for line in lines[:-1]))  # killed before its last
    assert main(["run", "--resume", str(shards[0])]) == 0
    assert len(events.read_text().splitlines()) == len(lines)
    report = json.loads((shards[0] / "report.json").read_text())
    assert report["run"]["shard"] == "1/4"
    capsys.readouterr()
    code = main(["run", "--resume", str(shards[0]), "--shard", "2/4"])
    assert code == 2 and "shard ('1/4' -> '2/4')" in capsys.readouterr().err
