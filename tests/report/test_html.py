"""The HTML report of a real (oracle) run of a flawed solution: what it shows, that it is
self-contained, that hostile text stays text, and that a real browser renders it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.schema import Report, SampleScore
from harness.report.diff import file_diff, read_source
from harness.report.html import render_html, write_html
from harness.report.transcript import (
    MAX_BLOCKS,
    MAX_TEXT_CHARS,
    MAX_TRANSCRIPT_CHARS,
    clip,
    transcript_view,
)
from harness.scoring.score import errored_sample
from tests.report.browser import CHROMIUM, NO_CHROMIUM, Page, chromium

INJECTION = '</pre></details><script>window.pwned = 1</script><img src=x onerror="alert(1)">'


@pytest.fixture
def flawed_run(tasks_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A real run of the oracle writing health-db's `http-exc` flaw (ARCH101, failing cases)."""
    out = tmp_path / "run"
    argv = ["run", "--agent", "baseline", "--model", "oracle:http-exc", "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr()
    return out


def load(run_dir: Path) -> Report:
    return Report.model_validate_json((run_dir / "report.json").read_text())


def test_report_shows_headline_findings_on_their_lines_and_failing_cases(flawed_run: Path) -> None:
    page = Page(render_html(flawed_run, load(flawed_run)))
    headline = " ".join(page.by_id("headline").text.split())
    assert "Run run" in headline and "oracle:http-exc" in headline
    assert "0%" in headline and "resolved · 0 of 1 scored samples" in headline
    assert "ARCH101 http-exception-in-service 0%" in headline  # compliance per rule
    assert "cache read" in headline and "$0.0000" in headline

    findings = page.by_class("finding")
    [arch101] = [f for f in findings if "ARCH101" in f.text]
    assert "app/services/health_service.py:9" in arch101.text
    assert "raise HTTPException(503)" in arch101.text  # the source lines, inside the finding
    [marked] = [e for e in page.by_class("mark") if "HTTPException(503)" in e.text]
    assert marked.tag == "tr" and marked.text.split()[0] == "9"

    assert not page.by_class("failing-case")  # every HTTP case passes: the rules fail it
    evidence = " ".join(page.by_id("sample-baseline-health-db-house-style-1").text.split())
    assert "Rule evidence from running the code (1 against a rule, of 2)" in evidence
    assert "architecture-probe import imports-framework ARCH501" in evidence
    assert "service-check success success-value" in evidence

    anchor = "sample-baseline-health-db-house-style-1"
    assert page.by_id(anchor).tag == "article"
    assert [a for a in page.tags("a") if a.attrs.get("href") == f"#{anchor}"]
    diff_paths = [e.text for e in page.by_class("diff")]
    assert any("app/services/health_service.py" in text and "added" in text for text in diff_paths)


def test_report_loads_nothing_from_the_network(flawed_run: Path) -> None:
    html = render_html(flawed_run, load(flawed_run))
    page = Page(html)
    for element in page.elements:
        for name in ("src", "href", "action", "data", "poster"):
            value = element.attrs.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (element.tag, name, value)
    assert not page.tags("link") and not page.tags("iframe")
    assert all(not s.attrs.get("src") for s in page.tags("script"))
    styles = "".join(s.text for s in page.tags("style"))
    assert "url(" not in styles and "@import" not in styles


def test_hostile_transcript_text_is_escaped(flawed_run: Path) -> None:
    path = flawed_run / "samples/baseline/health-db/house-style/1/transcript.json"
    transcript = json.loads(path.read_text())
    transcript["messages"].append(
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": INJECTION},
                {
                    "type": "tool_use",
                    "id": "evil",
                    "name": INJECTION,
                    "input": {"command": "create", "path": INJECTION, "file_text": INJECTION},
                },
            ],
        }
    )
    transcript["messages"].append(
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "evil", "content": INJECTION}],
        }
    )
    path.write_text(json.dumps(transcript))
    html = render_html(flawed_run, load(flawed_run))
    page = Page(html)
    [script] = page.tags("script")  # only the report's own
    assert "pwned" not in script.text and not page.tags("img")
    assert "window.pwned = 1" in page.by_id("sample-baseline-health-db-house-style-1").text
    assert html.count("&lt;script&gt;window.pwned") >= 4  # text, tool name, path, result


def test_the_report_renders_from_the_run_directory_alone(
    flawed_run: Path, tasks_root: Path
) -> None:
    """The diff and the statement come from the sample's folder (changes.json, the starter's
    versions kept at scoring time, the transcript), so deleting or editing the tasks folder
    later changes nothing."""
    before = render_html(flawed_run, load(flawed_run))
    (tasks_root / "health-db" / "task.yaml").write_text("id: health-db\ntitle: changed\n")
    shutil.rmtree(tasks_root / "_starters")
    assert render_html(flawed_run, load(flawed_run)) == before
    shutil.rmtree(tasks_root / "health-db")
    page = Page(render_html(flawed_run, load(flawed_run)))
    assert any("health_service.py" in d.text for d in page.by_class("diff"))
    assert "GET /health" in page.by_id("sample-baseline-health-db-house-style-1").text


def test_a_run_from_before_stored_diffs_reads_the_tasks_folder_and_says_so(
    flawed_run: Path, tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = flawed_run / "samples" / "baseline" / "health-db" / "house-style" / "1"
    (sample / "changes.json").unlink()
    shutil.rmtree(sample / "starter", ignore_errors=True)
    moved = tmp_path / "moved-tasks"
    shutil.move(tasks_root, moved)
    monkeypatch.setenv("HARNESS_TASKS_DIR", str(moved))
    page = Page(render_html(flawed_run, load(flawed_run)))
    notes = " ".join(n.text for n in page.by_class("note"))
    assert f"starter read from {moved}" in notes and "predates stored diffs" in notes
    assert any("health_service.py" in d.text for d in page.by_class("diff"))
    shutil.rmtree(moved / "health-db")
    page = Page(render_html(flawed_run, load(flawed_run)))
    notes = " ".join(n.text for n in page.by_class("note"))
    assert "task folder 'health-db' not found" in notes and "diff is skipped" in notes
    assert not page.by_class("diff")
    assert any("ARCH101" in f.text for f in page.by_class("finding"))  # from the workspace


def test_errored_and_skipped_samples_render_without_their_folders(flawed_run: Path) -> None:
    report = load(flawed_run)
    errored = errored_sample(
        "health-db", "house-style", 2, "baseline", "ProviderUnavailable", "<b>529</b>"
    )
    skipped = SampleScore(
        task_id="health-db", epoch=3, arm="baseline", status="skipped", resolved=False
    )
    report.samples += [errored, skipped]
    page = Page(render_html(flawed_run, report))
    second = page.by_id("sample-baseline-health-db-house-style-2")
    assert "errored" in second.text and "provider-unavailable: <b>529</b>" in " ".join(
        second.text.split()
    )
    assert "no workspace recorded" in second.text and "no transcript recorded" in second.text
    assert not page.tags("b") or all(b.text != "529" for b in page.tags("b"))
    assert "skipped" in page.by_id("sample-baseline-health-db-house-style-3").text


def test_write_html_defaults_to_the_run_folder(flawed_run: Path) -> None:
    path = write_html(flawed_run, load(flawed_run))
    assert path == flawed_run / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_long_text_and_transcripts_are_bounded() -> None:
    assert clip("x" * 30, 10) == "x" * 10 + "\n… [truncated: 20 more characters]"
    messages = [{"role": "assistant", "content": [{"type": "text", "text": "hi"}]}] * (
        MAX_BLOCKS + 5
    )
    view = transcript_view({"messages": messages})
    assert sum(len(t.blocks) for t in view.turns) == MAX_BLOCKS
    assert view.notes == [f"transcript truncated after {MAX_BLOCKS} blocks (800 characters)"]
    big = [{"role": "user", "content": "y" * MAX_TEXT_CHARS * 2}] * 200
    view = transcript_view({"messages": big})
    shown = sum(len(b.text) for t in view.turns for b in t.blocks)
    assert shown < MAX_TRANSCRIPT_CHARS + MAX_TEXT_CHARS + 100 and "truncated" in view.notes[0]
    assert transcript_view(["not", "a", "transcript"]).notes


def test_diff_escapes_code_and_never_follows_links(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.py").write_text("x = 1\ny = 2\n")
    (new / "a.py").write_text("x = 1\ny = '</td><script>alert(1)</script>'\n")
    diff = file_diff("a.py", "modified", read_source(old, "a.py"), read_source(new, "a.py"))
    assert [r.kind for r in diff.rows] == ["hunk", "context", "deleted", "added"]
    assert diff.rows[0].html == "@@ -1,2 +1,2 @@" and (diff.added, diff.deleted) == (1, 1)
    assert "<script>" not in diff.rows[3].html and "&lt;script&gt;" in diff.rows[3].html
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    (new / "link.py").symlink_to(secret)
    linked = read_source(new, "link.py")
    assert not linked.lines and "symbolic link" in linked.note
    assert "outside" in read_source(new, "../secret.txt").note


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_a_real_browser_renders_the_headline_and_a_finding(
    flawed_run: Path, tmp_path: Path
) -> None:
    path = write_html(flawed_run, load(flawed_run))
    result = chromium(tmp_path, "--dump-dom", path.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    page = Page(result.stdout)
    headline = " ".join(page.by_id("headline").text.split())
    assert "Run run" in headline and "test pass rate" in headline
    assert any(
        "ARCH101" in f.text and "health_service.py" in f.text for f in page.by_class("finding")
    )


@pytest.mark.screenshot
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_screenshot_of_the_report(flawed_run: Path, tmp_path: Path) -> None:
    path = write_html(flawed_run, load(flawed_run))
    png = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", path.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    print(f"screenshot: {png}")
