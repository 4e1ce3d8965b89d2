"""The comparison renderers: rich table, Markdown for a pull request, JSON."""

from __future__ import annotations

import io
import json

from rich.console import Console

from harness.compare.metrics import Comparison, compare_samples
from harness.compare.output import render_json, render_markdown, render_table
from harness.core.usage import Usage
from tests.report.test_compare import finding, grid, sample, side


def one_epoch() -> Comparison:
    """Two tasks, one epoch: head breaks ARCH101 in t1 and fixes a raw-sql finding in t2."""
    spent = Usage(input_tokens=1000, output_tokens=200, cost_usd=0.5)
    base = [
        sample("t1", usage=spent),
        sample("t2", resolved=False, findings=[finding("ARCH602", 7)], usage=spent),
    ]
    head = [
        sample(
            "t1", resolved=False, passed=2, findings=[finding("ARCH101", 12)], usage=spent + spent
        ),
        sample("t2", usage=spent),
    ]
    return compare_samples(base, head, base_label="main", head_label="pr-42")


def worse() -> Comparison:
    keys = grid(4, 2)
    head = [
        sample(t, e, resolved=False, findings=[finding()]) if i < 6 else sample(t, e)
        for i, (t, e) in enumerate(keys)
    ]
    return compare_samples(side(keys, set(range(8))), head, base_label="main", head_label="pr")


def test_every_format_names_the_cases_that_changed_with_their_message(capsys) -> None:  # type: ignore[no-untyped-def]
    """Not only "100% -> 67%": which case newly fails, and what it said."""
    comparison = one_epoch()
    [change] = [c for c in comparison.case_changes if c.change == "newly-failing"]
    assert (change.task_id, change.case, change.epoch) == ("t1", "case-3", 1)
    text = render_markdown(comparison)
    assert (
        "### Newly failing cases (1)\n\n- `t1` on `house-style` epoch 1: `case-3`: "
        "expected 201, got 500 (t1)" in text
    )
    assert "### Newly passing cases (0)" in text
    assert '"case": "case-3"' in render_json(comparison)
    render_table(comparison, Console(width=200))
    assert "`case-3`: expected 201, got 500 (t1)" in capsys.readouterr().out


def test_markdown_has_the_headline_tasks_rules_findings_and_usage() -> None:
    text = render_markdown(one_epoch())
    assert text.startswith("## Comparison: `main` → `pr-42`\n")
    assert "**Resolved rate** 50% → 50% = 0 pp · **Test pass rate** 100% → 83%" in text
    assert "**Too few samples for a verdict**: one epoch" in text
    assert (
        "Point changes: test pass rate ↓ -16.7 pp, http-exception-in-service ↓ -50 pp, raw-sql ↑ +50 pp."
        in text
    )
    assert (
        "| t1 | 100% → 0% ↓ -100 pp | 100% → 67% ↓ -33.3 pp | 1 | 0 | $0.5000 → $1.0000 |" in text
    )
    assert "| t2 | 0% → 100% ↑ +100 pp | 100% → 100% = 0 pp | 0 | 1 | $0.5000 → $0.5000 |" in text
    assert (
        "| http-exception-in-service | ARCH101 | 100% | 50% | ↓ -50 pp | 0 → 1 | - | too few samples |"
        in text
    )
    assert "| raw-sql | ARCH602 | 50% | 100% | ↑ +50 pp | 1 → 0 | - | too few samples |" in text
    assert "12 other rules: no findings on either side." in text
    assert (
        "### New findings (1)\n\n- `t1` on `house-style` epoch 1: `app/services/users.py:12` ARCH101"
        in text
    )
    assert (
        "### Fixed findings (1)\n\n- `t2` on `house-style` epoch 1: `app/services/users.py:7` ARCH602"
        in text
    )
    assert "| input tokens | 2,000 | 3,000 | +1,000 (+50%) |" in text
    assert "| cost (USD) | $1.0000 | $1.5000 | +$0.5000 (+50%) |" in text


def test_markdown_states_verdicts_with_their_interval() -> None:
    text = render_markdown(worse())
    assert (
        "**Worse** (95% confidence): resolved rate (↓ -75 pp), "
        "http-exception-in-service (↓ -75 pp).\n"
    ) in text
    row = next(line for line in text.splitlines() if line.startswith("| http-exception-in-service"))
    assert row.endswith("| worse |") and " to " in row and "Too few samples" not in text


def test_markdown_without_change_says_so() -> None:
    keys = grid(3, 2)
    same = side(keys, {0, 1})
    text = render_markdown(compare_samples(same, same, base_label="a", head_label="b"))
    assert "**No detectable change** in any metric (95% confidence)." in text
    assert "| (none) |" in text and "### New findings (0)\n\nNone." in text


def test_markdown_keeps_a_pipe_in_a_message_inside_its_cell() -> None:
    base = [sample("t1")]
    head = [sample("t1", findings=[finding(message="a | b\nc")])]
    text = render_markdown(compare_samples(base, head, base_label="a", head_label="b"))
    assert "ARCH101 http-exception-in-service: a \\| b c" in text


def test_the_table_renders_plain_text() -> None:
    out = io.StringIO()
    render_table(one_epoch(), Console(file=out, width=100, color_system=None))
    text = out.getvalue()
    assert "main → pr-42" in text
    assert "http-exception-in-service" in text and "raw-sql" in text
    assert "too few samples: one epoch" in text
    assert "new findings: 1" in text and "fixed findings: 1" in text
    assert "input tokens 2,000 → 3,000" in text


def test_json_round_trips() -> None:
    comparison = one_epoch()
    data = json.loads(render_json(comparison))
    assert next(iter(data)) == "schema_version" and data["base"]["label"] == "main"
    assert Comparison.model_validate(data) == comparison
