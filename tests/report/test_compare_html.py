"""`harness compare --format html` and a two-arm run's report.html: what a reviewer sees first
(the verdict), what changed (rules, cases, findings, prompt), in a real browser, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.app import main
from harness.compare.html import banner, prompt_diff, render_compare_html
from harness.compare.metrics import compare_samples, regressions
from tests.report.browser import CHROMIUM, NO_CHROMIUM, Page, chromium, page_requests
from tests.report.test_compare import finding, grid, sample, side

REPO = Path(__file__).resolve().parents[2]
ARCHITECT = REPO / "agents" / "fastapi-backend-architect.md"
# A flaw for the test task that both breaks a rule (HTTPException raised in the service)
# and a behaviour case (`healthy`: the body lacks "database").
RAISES_AND_FORGETS = {
    "expect.yaml": "description: raises HTTPException and forgets the database key\n"
    "rules: [ARCH101, ARCH501]\nfailing_cases: [healthy]\n",
    "app/services/health_service.py": (
        "from fastapi import HTTPException\nfrom sqlalchemy import select\n\n\n"
        "def check_database(db):\n    try:\n        db.execute(select(1))\n"
        "    except Exception:\n        raise HTTPException(503)\n    return 'ok'\n"
    ),
    "app/api/routes/health.py": (
        "from fastapi import APIRouter, Depends\n\nfrom app.api.deps import get_db\n"
        "from app.services.health_service import check_database\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/health')\ndef health(db=Depends(get_db)):\n"
        "    check_database(db)\n    return {'status': 'ok'}\n"
    ),
}
GATE = "name: gate\ngates: {max_compliance_drop: 0.1}\n"


def test_the_banner_says_regression_better_too_few_or_nothing_to_compare() -> None:
    keys = grid(4, 2)
    good = side(keys, set(range(8)))
    flawed = side(keys, set(range(8)), findings=[finding("ARCH101")])
    worse = compare_samples(good, flawed, base_label="b", head_label="h")
    found = regressions(worse, max_compliance_drop=0.1)
    assert banner(worse, found).kind == "regression"
    assert banner(worse, found).lines == found and "ARCH101" in found[0]
    assert banner(compare_samples(flawed, good, base_label="b", head_label="h"), []).kind == (
        "better"
    )
    same = compare_samples(good, good, base_label="b", head_label="h")
    assert banner(same, []).kind == "unchanged"
    one_epoch = grid(3, 1)
    few = compare_samples(
        side(one_epoch, {0, 1, 2}), side(one_epoch, {0}), base_label="b", head_label="h"
    )
    shown = banner(few, [])
    assert shown.kind == "too-few" and "resolved rate -66.7 pp" in shown.lines[1]
    errored = [sample(t, e, status="errored") for t, e in keys]
    empty = banner(compare_samples(good, errored, base_label="b", head_label="h"), [])
    assert empty.kind == "n/a" and "h has no scored sample" in empty.lines[0]


def test_hostile_text_stays_text_and_the_prompts_are_diffed() -> None:
    keys = grid(1, 1)
    hostile = "<script>window.pwned = 1</script>"
    head = side(keys, set(), findings=[finding("ARCH101", message=hostile)])
    head[0].tests.cases[2].message = hostile
    comparison = compare_samples(side(keys, {0}), head, base_label=hostile, head_label="h")
    html = render_compare_html(
        comparison, regressions=[], prompts=("Be terse.\nUse Result.\n", f"Be terse.\n{hostile}\n")
    )
    assert "<script>window.pwned" not in html and "&lt;script&gt;window.pwned" in html
    page = Page(html)
    [deleted] = [r for r in page.by_class("deleted") if r.tag == "tr"]
    assert "Use Result." in deleted.text
    assert prompt_diff("same\n", "same\n") is not None and prompt_diff(None, "x") is None
    unknown = Page(render_compare_html(comparison, regressions=[]))
    assert "do not keep both system prompts" in unknown.by_id("prompt").text


@pytest.fixture
def compared(tasks_root: Path, tmp_path: Path) -> Path:
    """Two real oracle runs of the test task, the second writing a flaw that breaks a rule and
    a case, compared as HTML with a gate that the flaw fails."""
    flaw = tasks_root / "health-db" / "solutions" / "house-style" / "raises-and-forgets"
    for name, text in RAISES_AND_FORGETS.items():
        (flaw / name).parent.mkdir(parents=True, exist_ok=True)
        (flaw / name).write_text(text)
    good, flawed = tmp_path / "good", tmp_path / "flawed"
    assert main(["run", "--agent", "baseline", "--model", "oracle", "--out", str(good)]) == 0
    argv = ["run", "--agent", "baseline", "--model", "oracle:raises-and-forgets"]
    assert main([*argv, "--out", str(flawed)]) == 0
    gate = tmp_path / "gate.yaml"
    gate.write_text(GATE)
    out = tmp_path / "pages" / "comparison.html"
    argv = ["compare", str(good), str(flawed), "--format", "html", "--out", str(out)]
    assert main([*argv, "--eval", str(gate)]) == 0
    return out


@pytest.mark.slow
def test_the_comparison_page_names_the_worse_rule_and_the_newly_failing_case(
    compared: Path,
) -> None:
    page = Page(compared.read_text())
    verdict = " ".join(page.by_id("verdict").text.split())
    assert verdict.startswith("Regression: head is worse than base")
    assert "http-exception-in-service (ARCH101) compliance fell from 100% to 0%" in verdict
    [rule] = [e for e in page.elements if e.attrs.get("data-rule") == "ARCH101"]
    assert "down" in rule.classes and "100%" in rule.text and "0%" in rule.text
    [case] = [e for e in page.by_class("case-change") if e.attrs.get("data-case") == "healthy"]
    assert "failing" in case.classes
    assert "identical" in page.by_id("prompt").text  # the same agent on both sides
    links = {e.attrs["href"] for e in page.tags("a") if e.attrs.get("href", "").endswith(".html")}
    assert links == {"../good/report.html", "../flawed/report.html"}


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_a_real_browser_shows_the_comparison_without_any_network_request(
    compared: Path, tmp_path: Path
) -> None:
    log = tmp_path / "net.json"
    result = chromium(tmp_path, f"--log-net-log={log}", "--dump-dom", compared.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    page = Page(result.stdout)
    assert "Regression" in page.by_id("verdict").text
    assert any("ARCH101" in e.text for e in page.by_class("rule"))
    assert any(e.attrs.get("data-case") == "healthy" for e in page.by_class("failing"))
    assert page_requests(log) == []
    # the check can fail: the same page with one remote image is caught
    leaky = tmp_path / "leaky.html"
    leaky.write_text(compared.read_text().replace("</main>", '<img src="http://127.0.0.1:9/x">'))
    log.unlink()
    assert chromium(tmp_path, f"--log-net-log={log}", "--dump-dom", leaky.as_uri()).returncode == 0
    assert page_requests(log) == ["http://127.0.0.1:9/x"]


@pytest.mark.slow
def test_a_two_arm_run_shows_its_arms_side_by_side_and_links_their_comparison(
    tasks_root: Path, tmp_path: Path
) -> None:
    run = tmp_path / "arms"
    argv = ["run", "--agent", "baseline", "--agent", str(ARCHITECT), "--model", "oracle"]
    assert main([*argv, "--out", str(run)]) == 0
    report = Page((run / "report.html").read_text())
    [link] = [e for e in report.tags("a") if e.attrs.get("href") == "comparison.html"]
    assert "baseline → fastapi-backend-architect" in link.text
    cards = [e for e in report.by_class("kpis") if e.attrs.get("data-arm")]
    assert [c.attrs["data-arm"] for c in cards] == ["baseline", "fastapi-backend-architect"]
    assert all(c.attrs["data-arm"] in c.text for c in cards)  # the arm named on every card
    bars = [e.attrs.get("data-arm") for e in report.by_class("bar")]
    assert bars.count("baseline") == bars.count("fastapi-backend-architect") > 10
    comparison = Page((run / "comparison.html").read_text())
    assert "arms/baseline" in comparison.by_id("headline").text
    added = [r for r in comparison.by_class("added") if r.tag == "tr"]
    assert any("Result" in r.text for r in added)  # the architect prompt's own lines
    assert (run / "prompts").is_dir() and len(list((run / "prompts").glob("*.md"))) == 2
