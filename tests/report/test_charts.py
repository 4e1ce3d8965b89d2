"""The SVG chart builders: well-formed XML, one mark per item, hostile labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.report.charts import (
    EMPTY_FILL,
    NO_DATA,
    Bar,
    HeatCell,
    bar_chart_svg,
    heatmap_svg,
    percent,
    shade,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & \'"><img src=x onerror=alert(1)>'


def groups(svg: str, css_class: str) -> list[ET.Element]:
    root = ET.fromstring(svg)  # raises on malformed XML or unescaped markup
    assert root.tag == f"{SVG}svg"
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == css_class]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def test_heatmap_has_one_cell_per_row_and_rule_with_counts() -> None:
    rows = ["auth-login-lockout", "orders-create", "payments-webhook"]
    columns = [("http-exception-in-service", "ARCH101"), ("raw-sql", "ARCH602")]
    cells = {
        ("auth-login-lockout", "http-exception-in-service"): HeatCell(1, 2),
        ("orders-create", "raw-sql"): HeatCell(3, 3),
    }
    svg = heatmap_svg(rows, columns, cells)
    found = groups(svg, "cell")
    assert len(found) == len(rows) * len(columns)
    labels = [texts(g)[0] for g in found]
    assert labels[0] == "1/2" and labels[3] == "3/3"
    assert labels[1] == NO_DATA  # no scored sample: no data, not "0/0"
    fills = [g.find(f"{SVG}rect").get("fill") for g in found]
    assert fills[1] == EMPTY_FILL and fills[3] == shade(1.0) and fills[0] == shade(0.5)


def test_heatmap_escapes_hostile_task_and_rule_names() -> None:
    svg = heatmap_svg([HOSTILE], [(HOSTILE, HOSTILE)], {(HOSTILE, HOSTILE): HeatCell(0, 1)})
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith(("script", "img"))]
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any(title == HOSTILE for title in titles)  # the full name survives, as text


def test_bar_chart_has_one_bar_per_rule_scaled_to_its_rate() -> None:
    bars = [Bar("ARCH101 http-exception-in-service", 0.25), Bar("ARCH602 raw-sql", 1.0)]
    found = groups(bar_chart_svg(bars), "bar")
    assert len(found) == 2
    track, fill = found[0].findall(f"{SVG}rect")
    assert float(fill.get("width")) == float(track.get("width")) * 0.25
    assert texts(found[0]) == ["ARCH101 http-exception-in-service", "25%"]
    assert texts(found[1])[1] == "100%"


def test_bar_chart_clamps_rates_and_escapes_labels() -> None:
    found = groups(bar_chart_svg([Bar(HOSTILE, 1.7), Bar("x", -1)]), "bar")
    widths = [float(g.findall(f"{SVG}rect")[1].get("width")) for g in found]
    track = float(found[0].findall(f"{SVG}rect")[0].get("width"))
    assert widths == [track, 0.0]
    assert found[0].find(f"{SVG}title").text == f"{HOSTILE}: 100%"


def test_empty_inputs_still_make_valid_svg() -> None:
    assert groups(heatmap_svg([], [], {}), "cell") == []
    assert groups(bar_chart_svg([]), "bar") == []


def test_shade_runs_from_red_to_green() -> None:
    red, green = shade(0.0), shade(1.0)
    assert red != green and shade(None) == EMPTY_FILL
    assert int(red[1:3], 16) > int(red[3:5], 16)  # more red than green
    assert int(green[3:5], 16) > int(green[1:3], 16)
    assert shade(2.0) == green and shade(-1.0) == red


def test_percent_never_rounds_up_to_a_full_score() -> None:
    assert [percent(v) for v in (0.0, 0.25, 0.7273, 1.0)] == ["0%", "25%", "72.7%", "100%"]
    assert percent(0.99996) == "100.0%" and percent(0.0001) == "0.0%"
