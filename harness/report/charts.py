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
    value: float | None
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
        value = min(max(bar.value or 0.0, 0.0), 1.0)
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


ARM_LABEL_WIDTH = 230
GROUP_GAP = 10
INTERVAL_WIDTH = 160
INTERVAL_HEIGHT = 18


def grouped_bar_chart_svg(groups: Sequence[tuple[str, Sequence[Bar]]]) -> str:
    """Rates of several arms per rule: the rule's label once, then one bar per arm, each named.

    A rate of None (the arm scored nothing) draws an empty track labelled n/a, never 0%."""
    rows = sum(len(bars) for _, bars in groups)
    width = BAR_LABEL_WIDTH + ARM_LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = (BAR_HEIGHT + BAR_GAP) * rows + GROUP_GAP * len(groups) + BAR_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart grouped" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" style="{FONT}">',
        "<title>Rule compliance per arm: share of scored samples with no finding of the rule</title>",
    ]
    y = BAR_GAP
    left = BAR_LABEL_WIDTH + ARM_LABEL_WIDTH
    for label, bars in groups:
        parts.append(
            f'<text x="{BAR_LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT / 2 + 4:g}" text-anchor="end" '
            f'fill="{TEXT}" font-weight="600">{_text(_clip(label, 44))}</text>'
        )
        for bar in bars:
            text_y = y + BAR_HEIGHT / 2 + 4
            value = None if bar.value is None else min(max(bar.value, 0.0), 1.0)
            shown = percent(value)
            colour = TEXT if value is None or value >= 1.0 else TEXT_BAD
            fill = (
                ""
                if value is None
                else (
                    f'<rect x="{left}" y="{y}" width="{BAR_WIDTH * value:.1f}" height="{BAR_HEIGHT}" '
                    f'rx="3" fill="{_bar_fill(value)}"/>'
                )
            )
            parts.append(
                f'<g class="bar" data-arm="{_text(bar.title)}">'
                f'<text x="{left - 8}" y="{text_y:g}" text-anchor="end" fill="{TEXT}">'
                f"{_text(_clip(bar.title, 32))}</text>"
                f'<rect x="{left}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" rx="3" '
                f'fill="{TRACK_FILL}"/>{fill}'
                f'<text x="{left + BAR_WIDTH + 8}" y="{text_y:g}" fill="{colour}" '
                f'font-weight="600">{shown}</text>'
                f"<title>{_text(f'{label} · {bar.title}: {shown}')}</title></g>"
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    parts.append("</svg>")
    return "".join(parts)


def interval_svg(delta: float | None, low: float | None, high: float | None) -> str:
    """A change on a -100..+100 pp axis: the 95% interval as a band, the point as a dot, and
    a line at zero; a band clear of zero is coloured by its side."""
    width, height, middle = INTERVAL_WIDTH, INTERVAL_HEIGHT, INTERVAL_HEIGHT / 2

    def x(value: float) -> float:
        return (min(max(value, -1.0), 1.0) + 1) / 2 * (width - 8) + 4

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="interval" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="4" x2="{width - 4}" y1="{middle}" y2="{middle}" stroke="{TRACK_FILL}" '
        'stroke-width="4"/>',
        f'<line x1="{x(0):g}" x2="{x(0):g}" y1="2" y2="{height - 2}" stroke="#8c959f"/>',
    ]
    if low is not None and high is not None:
        colour = BAR_GOOD if low > 0 else (BAR_BAD if high < 0 else BAR_FAIR)
        parts.append(
            f'<rect x="{x(low):.1f}" y="{middle - 4}" width="{max(x(high) - x(low), 2):.1f}" '
            f'height="8" rx="2" fill="{colour}" opacity="0.55"/>'
        )
    if delta is not None:
        parts.append(f'<circle cx="{x(delta):.1f}" cy="{middle}" r="3.5" fill="{TEXT}"/>')
    parts.append("</svg>")
    return "".join(parts)
