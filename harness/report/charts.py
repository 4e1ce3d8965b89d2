"""Inline SVG charts for the HTML report, as pure functions: plain data in, an SVG string out.

The report must open from disk with no network, so charts are drawn here rather than by a
JavaScript library. Every label is escaped: task ids, arm names and rule slugs come from
files the harness does not control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from itertools import pairwise
from typing import NamedTuple

CELL_WIDTH = 58
CELL_HEIGHT = 30
ROW_LABEL_WIDTH = 300
COLUMN_LABEL_HEIGHT = 28
BAR_LABEL_WIDTH = 300
BAR_WIDTH = 360
BAR_HEIGHT = 20
BAR_GAP = 6
VALUE_WIDTH = 64
FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px"
EMPTY_FILL = "#eef0f2"
NO_DATA = "n/a"
TRACK_FILL = "#eef0f2"
# Light tones from red (0% clean) through amber to green (100% clean): dark text stays readable.
SCALE = (
    (0.0, (248, 196, 192)),
    (0.5, (252, 226, 160)),
    (0.85, (222, 236, 170)),
    (1.0, (186, 226, 190)),
)
BAR_GOOD, BAR_FAIR, BAR_BAD = "#2da44e", "#d4a72c", "#cf222e"
TEXT, TEXT_BAD = "#24292f", "#a40e26"


class HeatCell(NamedTuple):
    """How many of a row's scored samples are clean of a rule, out of how many."""

    clean: int
    scored: int

    @property
    def share(self) -> float | None:
        return self.clean / self.scored if self.scored else None


class Bar(NamedTuple):
    """One bar: a label, a rate in [0, 1] and an optional tooltip."""

    label: str
    value: float
    title: str = ""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def shade(share: float | None) -> str:
    """The fill of a heat-map cell: light red at 0, light green at 1, grey without data."""
    if share is None:
        return EMPTY_FILL
    share = min(max(share, 0.0), 1.0)
    for (low, low_rgb), (high, high_rgb) in pairwise(SCALE):
        if share <= high:
            t = (share - low) / (high - low)
            rgb = (round(a + (b - a) * t) for a, b in zip(low_rgb, high_rgb, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*SCALE[-1][1])


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[tuple[str, str]],
    cells: Mapping[tuple[str, str], HeatCell],
) -> str:
    """A rows x columns grid: each cell the share of the row's samples clean of the column's
    rule, coloured and labelled with the counts (`clean/scored`).

    Args:
        rows: row labels (tasks, or `arm · task`), top to bottom.
        columns: (key, label) of each rule column, left to right; `key` indexes `cells`.
        cells: {(row, column key): HeatCell}; a missing cell is drawn as "no data".
    """
    width = ROW_LABEL_WIDTH + CELL_WIDTH * len(columns) + 2
    height = COLUMN_LABEL_HEIGHT + CELL_HEIGHT * len(rows) + 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" style="{FONT}">',
        "<title>Share of scored samples clean of each rule, per task</title>",
    ]
    for j, (key, label) in enumerate(columns):
        x = ROW_LABEL_WIDTH + CELL_WIDTH * j + (CELL_WIDTH - 2) / 2
        parts.append(
            f'<text x="{x:g}" y="{COLUMN_LABEL_HEIGHT - 10}" text-anchor="middle" '
            f'font-size="11" letter-spacing="-0.2" fill="{TEXT}">'
            f"{_text(_clip(label, 9))}<title>{_text(key)}</title></text>"
        )
    for i, row in enumerate(rows):
        y = COLUMN_LABEL_HEIGHT + CELL_HEIGHT * i
        parts.append(
            f'<text x="{ROW_LABEL_WIDTH - 8}" y="{y + CELL_HEIGHT / 2 + 4:g}" text-anchor="end" '
            f'fill="{TEXT}">{_text(_clip(row, 42))}<title>{_text(row)}</title></text>'
        )
        for j, (key, label) in enumerate(columns):
            cell = cells.get((row, key), HeatCell(0, 0))
            x = ROW_LABEL_WIDTH + CELL_WIDTH * j
            share = cell.share
            counts = f"{cell.clean}/{cell.scored}" if cell.scored else NO_DATA
            tip = (
                f"{row} · {label}: {cell.clean} of {cell.scored} scored samples clean"
                if cell.scored
                else f"{row} · {label}: no scored samples"
            )
            parts.append(
                f'<g class="cell"><rect x="{x}" y="{y}" width="{CELL_WIDTH - 2}" '
                f'height="{CELL_HEIGHT - 2}" rx="3" fill="{shade(share)}"/>'
                f'<text x="{x + (CELL_WIDTH - 2) / 2:g}" y="{y + CELL_HEIGHT / 2 + 3:g}" '
                f'text-anchor="middle" fill="{TEXT}">{_text(counts)}</text>'
                f"<title>{_text(tip)}</title></g>"
            )
    parts.append("</svg>")
    return "".join(parts)


NOT_MEASURED = "n/a"


def percent(value: float | None) -> str:
    """`25%`, `72.7%`: one decimal only when needed, and never `100%` (or `0%`) for a rate
    that is only close to it, since "fully compliant" must mean it; `n/a` when nothing was
    measured (never 0%, which would read as total failure)."""
    if value is None:
        return NOT_MEASURED
    text = f"{value * 100:.1f}"
    exact = (
        text.endswith(".0")
        and not (text == "100.0" and value < 1)
        and not (text == "0.0" and value > 0)
    )
    return (text[:-2] if exact else text) + "%"


def _bar_fill(value: float) -> str:
    if value >= 1.0:
        return BAR_GOOD
    return BAR_FAIR if value >= 0.8 else BAR_BAD


def bar_chart_svg(bars: Sequence[Bar]) -> str:
    """Horizontal bars of rates in [0, 1], one per item, with the percentage at the end."""
    width = BAR_LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = (BAR_HEIGHT + BAR_GAP) * len(bars) + BAR_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" style="{FONT}">',
        "<title>Rule compliance: share of scored samples with no finding of the rule</title>",
    ]
    for i, bar in enumerate(bars):
        value = min(max(bar.value, 0.0), 1.0)
        y = BAR_GAP + (BAR_HEIGHT + BAR_GAP) * i
        text_y = y + BAR_HEIGHT / 2 + 4
        tip = bar.title or f"{bar.label}: {percent(value)}"
        colour, weight = (TEXT, "") if value >= 1.0 else (TEXT_BAD, ' font-weight="600"')
        parts.append(
            f'<g class="bar"><text x="{BAR_LABEL_WIDTH - 8}" y="{text_y:g}" text-anchor="end" '
            f'fill="{colour}"{weight}>{_text(_clip(bar.label, 44))}</text>'
            f'<rect x="{BAR_LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="{TRACK_FILL}"/>'
            f'<rect x="{BAR_LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH * value:.1f}" '
            f'height="{BAR_HEIGHT}" rx="3" fill="{_bar_fill(value)}"/>'
            f'<text x="{BAR_LABEL_WIDTH + BAR_WIDTH + 8}" y="{text_y:g}" fill="{colour}" '
            f'font-weight="600">{percent(value)}</text>'
            f"<title>{_text(tip)}</title></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
