"""Charts of the service-quality index as inline SVG, drawn on the server.

No JavaScript and no external library: the page works offline and prints.
Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
(its accessible name and description) and comes with the same figures as a
table (``Chart.columns`` and ``Chart.rows``), which the page shows beside it
for screen readers, keyboard users and anyone who wants the exact numbers.
Series are told apart by dash pattern and marker shape, not by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
PALETTE = ("#0b3a6e", "#b3121f", "#136f3a", "#a86b00", "#5a2a8a", "#4a5561")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
TRACK = "#e3e8ee"
GRID = "#d5dbe1"
TEXT = "#1b1f24"
MUTED = "#4a5561"


def fmt(value: Decimal | int | float | None, places: int = 2) -> str:
    """A number in the reader's language (85,71 in Vietnamese), or an em dash for none."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=places, use_l10n=True)


@dataclass
class Cell:
    """One cell of a chart's data table; ``href`` makes it a link (a drill-down)."""

    text: str
    href: str = ""


@dataclass
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Bar:
    label: str
    value: Decimal | None
    maximum: Decimal
    href: str = ""
    note: str = ""


@dataclass
class Series:
    name: str
    values: list[Decimal | None]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open_svg(chart_id: str, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bars(chart_id: str, title: str, description: str, items: list[Bar], *,
         item_label: str, value_label: str, maximum_label: str) -> Chart:
    """Horizontal bars: each item's value against its own maximum (a score out of its points).

    The grey track is the maximum; the label after the bar reads "12,50 / 18".
    An item without a value has no bar and reads "—".
    """
    row_h, top, label_w, bar_x, bar_w = 30, 8, 220, 230, 300
    height = top + row_h * max(len(items), 1) + 8
    parts = _open_svg(chart_id, height, title, description)
    for i, item in enumerate(items):
        y = top + i * row_h
        parts.append('<g class="chart-row">')
        parts.append(f"<title>{escape(item.label)}: {escape(fmt(item.value))} / "
                     f"{escape(fmt(item.maximum))}</title>")
        label = escape(_clip(item.label, 34))
        if item.href:
            label = f'<a href="{escape(item.href)}">{label}</a>'
        parts.append(f'<text x="{label_w}" y="{y + 19}" text-anchor="end" fill="{TEXT}">'
                     f"{label}</text>")
        parts.append(f'<rect x="{bar_x}" y="{y + 6}" width="{bar_w}" height="18" '
                     f'fill="{TRACK}" rx="2"/>')
        if item.value is not None and item.maximum:
            share = max(Decimal(0), min(Decimal(1), Decimal(item.value) / Decimal(item.maximum)))
            width = round(float(share) * bar_w, 1)
            parts.append(f'<rect x="{bar_x}" y="{y + 6}" width="{width}" height="18" '
                         f'fill="{PALETTE[0]}" rx="2"/>')
        text = f"{fmt(item.value)} / {fmt(item.maximum)}"
        parts.append(f'<text x="{bar_x + bar_w + 8}" y="{y + 19}" fill="{TEXT}">'
                     f"{escape(text)}</text>")
        parts.append("</g>")
    parts.append("</svg>")
    rows = [[Cell(item.label, item.href), Cell(fmt(item.value)), Cell(fmt(item.maximum))]
            for item in items]
    return Chart(chart_id, title, description, mark_safe("".join(parts)),  # noqa: S308 - every text is escaped above
                 [item_label, value_label, maximum_label], rows)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<polygon points="{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}" '
                f'fill="{colour}"/>')
    if shape == "diamond":
        return (f'<polygon points="{x},{y - 5} {x + 5},{y} {x},{y + 5} {x - 5},{y}" '
                f'fill="{colour}"/>')
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'


def lines(chart_id: str, title: str, description: str, labels: list[str],
          series: list[Series], *, maximum: Decimal = Decimal(100),
          period_label: str, unit: str = "") -> Chart:
    """A line per series over the periods (oldest left), on a 0..maximum scale.

    A missing value (no data in that period) breaks the line rather than
    drawing it down to zero.
    """
    left, right, top = 52, 44, 12
    legend_h = 20 * len(series)
    plot_h = 200
    height = top + plot_h + 44 + legend_h
    plot_w = WIDTH - left - right
    steps = max(len(labels) - 1, 1)
    maximum = Decimal(maximum) if maximum else Decimal(100)

    def x_of(i: int) -> float:
        return round(left + (plot_w * i / steps if len(labels) > 1 else plot_w / 2), 1)

    def y_of(value: Decimal) -> float:
        share = max(Decimal(0), min(Decimal(1), Decimal(value) / maximum))
        return round(top + plot_h * (1 - float(share)), 1)

    parts = _open_svg(chart_id, height, title, description)
    for k in range(5):
        tick = maximum * k / 4
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{WIDTH - right}" y2="{y}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" fill="{MUTED}">'
                     f"{escape(fmt(tick, 0))}{escape(unit)}</text>")
    # Labels stand under their points; with many periods, every other one is written.
    stride = 1 if len(labels) <= 8 else 2
    for i, label in enumerate(labels):
        if i % stride and i != len(labels) - 1:
            continue
        parts.append(f'<text x="{x_of(i)}" y="{top + plot_h + 18}" text-anchor="middle" '
                     f'fill="{TEXT}">{escape(_clip(label, 16))}</text>')
    for s_index, item in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        dash = DASHES[s_index % len(DASHES)]
        shape = MARKERS[s_index % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(item.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_of(i), y_of(value)))
        parts.append(f'<g class="chart-series"><title>{escape(item.name)}</title>')
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x},{y}" for x, y in run)
                parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"{dash_attr}/>')
        for i, value in enumerate(item.values):
            if value is not None:
                parts.append(f"<g><title>{escape(item.name)}, {escape(labels[i])}: "
                             f"{escape(fmt(value))}{escape(unit)}</title>"
                             f"{_marker(shape, x_of(i), y_of(value), colour)}</g>")
        parts.append("</g>")
        ly = top + plot_h + 40 + 20 * s_index
        parts.append(f'<line x1="{left}" y1="{ly - 4}" x2="{left + 28}" y2="{ly - 4}" '
                     f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.append(_marker(shape, left + 14, ly - 4, colour))
        parts.append(f'<text x="{left + 36}" y="{ly}" fill="{TEXT}">{escape(item.name)}</text>')
    parts.append("</svg>")
    rows = [[Cell(label)] + [Cell(fmt(s.values[i])) for s in series]
            for i, label in enumerate(labels)]
    return Chart(chart_id, title, description, mark_safe("".join(parts)),  # noqa: S308 - every text is escaped above
                 [period_label] + [s.name for s in series], rows)
