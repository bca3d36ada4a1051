"""Report charts with matplotlib (Agg), sized for the 156 mm text block, in an installed CJK font.

The font is looked up at run time among the installed fonts (Debian's `fonts-noto-cjk` gives
"Noto Sans CJK SC"). A glyph missing from the font would be drawn as a box; here it is an error
instead (`ChartFontError`), so a chart never ships with boxes.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import ParamSpec

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import MaxNLocator

# Preferred families, most wanted first: Simplified-Chinese sans faces read best in small charts.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
)

WIDTH_MM = 156
DPI = 200
MM = 1 / 25.4
P = ParamSpec("P")

# A sober palette (print-friendly, distinguishable in greyscale by lightness).
INK = "#1f2d3d"
GRID = "#d9d9d9"
SERIES = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6")
# by status code (a band of an indicator, or a task status; "" = not reported)
STATUS_COLOURS = {
    "achieved": "#1f4e79",
    "ahead": "#2e75b6",
    "on_track": "#548235",
    "moderate": "#bf9000",
    "limited": "#c00000",
    "away": "#7f0000",
    "not_assessed": "#bfbfbf",
    "unknown": "#d9d9d9",
    "completed": "#1f4e79",
    "on_schedule": "#548235",
    "not_started": "#a6a6a6",
    "lagging": "#c00000",
    "": "#d9d9d9",
}


class ChartFontError(RuntimeError):
    """No CJK font is installed, or a glyph is missing from the one found."""


@functools.cache
def cjk_font_family() -> str:
    """The first installed CJK family from `CJK_FAMILIES`."""
    for rebuilt in (False, True):
        if rebuilt:
            # matplotlib caches the font list on first use; fonts installed after that (e.g. by
            # ./test's system-package step) appear only once the list is built again.
            # Updated in place, as matplotlib itself does, so every reference sees the new list.
            fresh = font_manager.FontManager()
            font_manager.json_dump(
                fresh,
                str(
                    Path(
                        matplotlib.get_cachedir(),
                        f"fontlist-v{font_manager.FontManager.__version__}.json",
                    )
                ),
            )
            vars(font_manager.fontManager).update(vars(fresh))
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in installed:
                return family
    raise ChartFontError(
        "No CJK font found for charts; install one (Debian: apt-get install fonts-noto-cjk)."
    )


def _figure(height_mm: float) -> MplFigure:
    family = cjk_font_family()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "font.size": 9,
            "axes.edgecolor": INK,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "svg.fonttype": "none",
        }
    )
    fig = plt.figure(figsize=(WIDTH_MM * MM, height_mm * MM), dpi=DPI)
    return fig


def _png(fig: MplFigure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    plt.close(fig)
    return out.getvalue()


def _no_boxes(chart: Callable[P, bytes]) -> Callable[P, bytes]:
    """Turn matplotlib's "Glyph … missing from font" warnings into `ChartFontError`."""

    @functools.wraps(chart)
    def checked(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                png = chart(*args, **kwargs)
            finally:
                plt.close("all")
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        if missing:
            raise ChartFontError("; ".join(sorted(set(missing))))
        return png

    return checked


def _style_axes(ax) -> None:  # type: ignore[no-untyped-def]
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


@_no_boxes
def index_chart(
    *,
    years: Sequence[int],
    series: Mapping[str, Sequence[float | None]],
    base_label: str = "",
    height_mm: float = 86,
) -> bytes:
    """Lines: the composite index (first series, thick) and its dimensions."""
    fig = _figure(height_mm)
    ax = fig.add_subplot(1, 1, 1)
    for i, (name, values) in enumerate(series.items()):
        points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(
            xs,
            ys,
            label=name,
            color=SERIES[i % len(SERIES)],
            linewidth=2.4 if i == 0 else 1.2,
            marker="o" if i == 0 else None,
            markersize=3,
            linestyle="-" if i == 0 else (0, (4, 1.5)),
        )
        if i == 0:
            ax.annotate(
                f"{ys[-1]:.1f}",
                (xs[-1], ys[-1]),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=8,
                color=SERIES[0],
            )
    ax.set_xticks(list(years))
    ax.set_xticklabels([str(y) for y in years], fontsize=8)
    if base_label:
        ax.axhline(100, color="#7f7f7f", linewidth=0.6)
        ax.set_ylabel(base_label, fontsize=8)
    _style_axes(ax)
    ax.legend(
        frameon=False,
        fontsize=8,
        ncol=min(5, len(series)),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
    )
    fig.tight_layout()
    return _png(fig)


@_no_boxes
def contribution_chart(
    *, labels: Sequence[str], values: Sequence[float], total_label: str, height_mm: float = 70
) -> bytes:
    """Horizontal bars: each dimension's contribution to a year's change, and the total."""
    fig = _figure(height_mm)
    ax = fig.add_subplot(1, 1, 1)
    names = [*labels, total_label]
    data = [*values, sum(values)]
    colours = [SERIES[0] if v >= 0 else "#c00000" for v in values] + [INK]
    positions = list(range(len(names)))[::-1]
    ax.barh(positions, data, color=colours, height=0.55)
    span = max(abs(v) for v in data) or 1.0
    for pos, value in zip(positions, data, strict=True):
        ax.text(
            value + (span * 0.02 if value >= 0 else -span * 0.02),
            pos,
            f"{value:+.2f}",
            va="center",
            ha="left" if value >= 0 else "right",
            fontsize=8,
        )
    ax.set_yticks(positions)
    ax.set_yticklabels(names)
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_xlim(min(0, min(data)) - span * 0.2, max(0, max(data)) + span * 0.2)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _png(fig)


@_no_boxes
def status_chart(*, counts: dict[str, int], labels: dict[str, str], height_mm: float = 55) -> bytes:
    """Horizontal bars: how many items are in each status (codes → counts; `labels` names
    them in the report's language)."""
    fig = _figure(height_mm)
    ax = fig.add_subplot(1, 1, 1)
    codes = list(counts)
    names = [labels.get(c, c) for c in codes]
    positions = list(range(len(names)))[::-1]
    values = [counts[c] for c in codes]
    ax.barh(
        positions,
        values,
        color=[STATUS_COLOURS.get(c, SERIES[0]) for c in codes],
        height=0.55,
    )
    for pos, value in zip(positions, values, strict=True):
        ax.text(value + 0.1, pos, f"{value}", va="center", fontsize=8)
    ax.set_yticks(positions)
    ax.set_yticklabels(names)
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _png(fig)


@_no_boxes
def stacked_status_chart(
    *,
    groups: Sequence[str],
    statuses: Sequence[str],
    labels: dict[str, str],
    counts: Sequence[Sequence[int]],
) -> bytes:
    """One horizontal stacked bar per group (area or department), segments by status."""
    height = 18 + 9 * len(groups)
    fig = _figure(height)
    ax = fig.add_subplot(1, 1, 1)
    positions = list(range(len(groups)))[::-1]
    left = [0] * len(groups)
    for s, status in enumerate(statuses):
        widths = [row[s] for row in counts]
        ax.barh(
            positions,
            widths,
            left=left,
            color=STATUS_COLOURS.get(status, SERIES[s % len(SERIES)]),
            height=0.6,
            label=labels.get(status, status),
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(positions)
    ax.set_yticklabels(groups, fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(
        frameon=False, fontsize=8, ncol=len(statuses), loc="lower left", bbox_to_anchor=(0, 1)
    )
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    fig.tight_layout()
    return _png(fig)
