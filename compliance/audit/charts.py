"""Geometry for the report's inline SVG charts: numbers in, boxes and arcs out.

The template draws them; nothing here writes markup, so every label goes through the
template's autoescaping (a creator name is user input like any other).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

VERDICT_ORDER = ("fail", "needs_review", "pass")
VERDICT_LABEL = {"fail": "fail", "needs_review": "needs review", "pass": "pass"}


@dataclass
class Segment:
    x: float
    y: float
    w: float
    h: float
    cls: str
    value: int
    title: str


@dataclass
class Bar:
    label: str
    y: float
    total: int
    note: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class HBarChart:
    width: int
    height: int
    label_w: int
    bars: list[Bar]
    row_h: int


def hbars(
    rows: list[tuple[str, Counter[str] | dict[str, int]]],
    classes: tuple[str, ...] = VERDICT_ORDER,
    width: int = 560,
    label_w: int = 170,
    row_h: int = 24,
    notes: list[str] | None = None,
) -> HBarChart:
    """Horizontal bars, one per row, stacked by `classes`, scaled to the largest total."""
    area = width - label_w - 110  # room for the count and share after the longest bar
    biggest = max((sum(c.get(k, 0) for k in classes) for _, c in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        y = i * row_h
        x = float(label_w)
        total = sum(counts.get(k, 0) for k in classes)
        bar = Bar(label, y, total, notes[i] if notes else "")
        for k in classes:
            v = counts.get(k, 0)
            if not v:
                continue
            w = area * v / biggest
            title = f"{label}: {v:,} {VERDICT_LABEL.get(k, k)}"
            bar.segments.append(Segment(x, y + 3, max(w, 1.0), row_h - 6, k, v, title))
            x += w
        bars.append(bar)
    return HBarChart(width, max(row_h, len(rows) * row_h), label_w, bars, row_h)


@dataclass
class Column:
    label: str
    x: float
    w: float
    total: int
    show_label: bool
    segments: list[Segment] = field(default_factory=list)


@dataclass
class ColumnChart:
    width: int
    height: int
    plot_h: int
    top: int
    columns: list[Column]
    ticks: list[tuple[float, int]]


def _nice_max(n: int) -> int:
    if n <= 5:
        return max(n, 1)
    mag = 10 ** int(math.log10(n))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if n <= step * mag:
            return int(step * mag)
    return n


def columns(
    buckets: list[tuple[str, Counter[str]]],
    classes: tuple[str, ...] = VERDICT_ORDER,
    width: int = 1000,
    plot_h: int = 180,
) -> ColumnChart:
    """Stacked columns over time, with a few y ticks and at most ~12 x labels."""
    left, top = 48, 10
    n = max(len(buckets), 1)
    slot = (width - left - 10) / n
    w = max(1.0, min(slot * 0.8, 40.0))
    top_value = _nice_max(max((sum(c.values()) for _, c in buckets), default=0))
    every = max(1, math.ceil(n / 12))
    cols = []
    for i, (label, counts) in enumerate(buckets):
        x = left + i * slot + (slot - w) / 2
        col = Column(label, x, w, sum(counts.values()), i % every == 0)
        base = float(top + plot_h)
        for k in reversed(classes):  # pass at the bottom, fail on top
            v = counts.get(k, 0)
            if not v:
                continue
            h = plot_h * v / top_value
            base -= h
            title = f"{label}: {v:,} {VERDICT_LABEL.get(k, k)}"
            col.segments.append(Segment(x, base, w, h, k, v, title))
        cols.append(col)
    ticks = [(top + plot_h - plot_h * f, round(top_value * f)) for f in (0, 0.5, 1)]
    return ColumnChart(width, top + plot_h + 36, plot_h, top, cols, ticks)


@dataclass
class Arc:
    path: str
    cls: str
    value: int
    share: float
    label: str


def donut(counts: Counter[str], classes: tuple[str, ...] = VERDICT_ORDER) -> list[Arc]:
    """Ring segments (SVG path data) around (0, 0), outer radius 1, inner 0.62."""
    total = sum(counts.get(k, 0) for k in classes)
    arcs: list[Arc] = []
    if not total:
        return arcs
    start = -math.pi / 2
    r1, r0 = 1.0, 0.62
    for k in classes:
        v = counts.get(k, 0)
        if not v:
            continue
        share = v / total
        end = start + 2 * math.pi * min(share, 0.99999)
        large = 1 if end - start > math.pi else 0

        def pt(r: float, a: float) -> str:
            return f"{r * math.cos(a):.4f} {r * math.sin(a):.4f}"

        path = (
            f"M {pt(r1, start)} A {r1} {r1} 0 {large} 1 {pt(r1, end)} "
            f"L {pt(r0, end)} A {r0} {r0} 0 {large} 0 {pt(r0, start)} Z"
        )
        arcs.append(Arc(path, k, v, share, VERDICT_LABEL.get(k, k)))
        start += 2 * math.pi * share
    return arcs
