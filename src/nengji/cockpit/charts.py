"""Every cockpit chart as data: an ECharts option, the same numbers as a table (for the table
view and the CSV/xlsx download) and a sentence that says what the chart shows (text alternative).

The option is built here, in Python, so the page script only hands it to ECharts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nengji.cockpit.selectors import Cockpit, IndexView
from nengji.indexing.results import StoredResults
from nengji.monitoring.models import TaskStatus
from nengji.monitoring.ontrack import Method
from nengji.monitoring.selectors import IndicatorStatus, ProgressNode

TASK_COLOURS = {
    TaskStatus.COMPLETED: "#116329",
    TaskStatus.ON_SCHEDULE: "#2da44e",
    TaskStatus.NOT_STARTED: "#8c959f",
    TaskStatus.LAGGING: "#cf222e",
    "": "#d0d7de",
}
SERIES_COLOURS = ["#0b5cad", "#2da44e", "#bf8700", "#8250df", "#d1550f", "#57606a"]


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    option: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    params: dict[str, str] = field(default_factory=dict)
    is_demo: bool = False
    height: int = 320
    # where the CSV/xlsx download answers: the cockpit's (login) or the open-data one (public)
    data_view: str = "cockpit-chart-data"

    @property
    def dom_id(self) -> str:
        return "chart-" + self.key  # one chart of a kind per page

    @property
    def option_id(self) -> str:
        return self.dom_id + "-o"

    @property
    def download_url_csv(self) -> str:
        return self.download_url("csv")

    @property
    def download_url_xlsx(self) -> str:
        return self.download_url("xlsx")

    @property
    def display_rows(self) -> list[list[tuple[Any, bool]]]:
        """Rows for the table view: (value, is_number) per cell."""
        return [
            [(x, isinstance(x, int | float) and not isinstance(x, bool)) for x in row]
            for row in self.rows
        ]

    def download_url(self, fmt: str) -> str:
        query = ("?" + urlencode(self.params)) if self.params else ""
        return reverse(self.data_view, args=[self.key, fmt]) + query


def _fmt(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:,.{digits}f}"


def _name(zh: str, en: str) -> str:
    return en if get_language() == "en" and en else zh


def _strip_common_prefix(names: list[str]) -> list[str]:
    """Shared leading words go: 双创要素, 双创环境 → 要素, 环境; "… inputs" → "inputs"."""
    if len(names) < 2:
        return names
    spaced = all(" " in n for n in names)
    parts = [n.split(" ") if spaced else list(n) for n in names]
    k = 0
    while all(len(p) > k + 1 for p in parts) and len({p[k] for p in parts}) == 1:
        k += 1
    joiner = " " if spaced else ""
    return [joiner.join(p[k:]) for p in parts]


def _fw_names(results: StoredResults, framework: list[dict[str, Any]]) -> dict[str, str]:
    """Display names; the dimensions (children of the root) without their shared prefix."""
    names = {
        r["code"]: _name(r.get("name_zh") or r["code"], r.get("name_en") or "") for r in framework
    }
    root = results.root
    dims = [r["code"] for r in framework if root and r.get("parent") == root]
    for code, short in zip(dims, _strip_common_prefix([names[c] for c in dims]), strict=True):
        names[code] = short
    return names


def _base(title: str) -> dict[str, Any]:
    return {
        "color": SERIES_COLOURS,
        "aria": {"enabled": True},
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 12, "right": 16, "top": 24, "bottom": 56, "containLabel": True},
        "legend": {"bottom": 0, "type": "scroll"},
    }


def chart_index(iv: IndexView) -> Chart:
    r = iv.results
    key = "index"
    if r is None or iv.run is None:
        return Chart(key, _("Composite index"), _("No index has been computed yet."), {}, [], [])
    names = _fw_names(r, iv.run.framework)
    years = r.years
    codes = r.aggregates
    option = _base("")
    official = {f.year: f.value for f in iv.official}
    option.update(
        {
            "xAxis": {"type": "category", "data": [str(y) for y in years]},
            "yAxis": {"type": "value", "scale": True},
            "series": [
                {
                    "name": names[c],
                    "type": "line",
                    "data": [r.score(c, y) for y in years],
                    "lineStyle": {"width": 4 if i == 0 else 1.5},
                    "symbolSize": 7 if i == 0 else 4,
                    "emphasis": {"focus": "series"},
                }
                for i, c in enumerate(codes)
            ]
            + [
                {
                    "name": _("Official published figure"),
                    "type": "scatter",
                    "symbol": "diamond",
                    "symbolSize": 16,
                    "itemStyle": {"color": "#cf222e"},
                    "data": [official.get(y) for y in years],
                    "label": {"show": True, "position": "top", "formatter": "{c}"},
                }
            ],
        }
    )
    rows = [[str(y), *[r.score(c, y) for c in codes], official.get(y)] for y in years]
    first, last = r.score(r.root, years[0]), r.score(r.root, years[-1])
    summary = _(
        "The composite index rose from %(first)s in %(y0)s to %(last)s in %(y1)s (%(y0)s = 100)."
    ) % {"first": _fmt(first), "last": _fmt(last), "y0": years[0], "y1": years[-1]}
    if iv.official:
        summary += " " + _("Official published figures: %(list)s.") % {
            "list": ", ".join(f"{f.year}: {_fmt(f.value)}" for f in iv.official)
        }
    return Chart(
        key,
        _("Composite index and its four dimensions"),
        summary,
        option,
        [_("Year"), *[names[c] for c in codes], _("Official published figure")],
        rows,
        is_demo=bool(iv.run and iv.run.is_demo),
        height=360,
    )


def chart_waterfall(iv: IndexView, *, level: str = "dimensions") -> Chart:
    key = "waterfall" if level == "dimensions" else "waterfall-indicators"
    c = iv.last_change
    if c is None or iv.results is None or iv.run is None:
        return Chart(key, _("Change in the latest year"), _("No change to show yet."), {}, [], [])
    names = _fw_names(iv.results, iv.run.framework)
    parts = c.aggregates if level == "dimensions" else c.indicators
    items = list(parts.items())
    if level != "dimensions":
        items.sort(key=lambda kv: -abs(kv[1] or 0))
    labels = [str(c.previous)] + [names.get(k, k) for k, _v in items] + [str(c.year)]
    base, up, down = [0.0], [c.start], [0.0]
    running = c.start
    for _k, v in items:
        v = v or 0.0
        if v >= 0:
            base.append(running)
            up.append(v)
            down.append(0.0)
        else:
            base.append(running + v)
            up.append(0.0)
            down.append(-v)
        running += v
    base.append(0.0)
    up.append(c.end)
    down.append(0.0)
    # start the axis a little below the lowest level the bars reach, so the steps are visible
    levels = [c.start, c.end, *[b for b in base[1:-1]]]
    span = max(levels) - min(levels) or abs(c.end) * 0.1 or 1.0
    floor = max(0.0, min(levels) - span * 0.6)
    floor = float(int(floor // 10 * 10))
    option = _base("")
    option.update(
        {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"show": False},
            "grid": {"left": 12, "right": 16, "top": 24, "bottom": 8, "containLabel": True},
            "xAxis": {
                "type": "category",
                "data": labels,
                "axisLabel": {
                    "interval": 0,
                    "rotate": 30 if level == "dimensions" else 45,
                    "width": 110,
                    "overflow": "truncate",
                },
            },
            "yAxis": {"type": "value", "min": floor},
            "series": [
                {
                    "type": "bar",
                    "stack": "w",
                    "silent": True,
                    "itemStyle": {"color": "transparent"},
                    "data": base,
                },
                {
                    "name": _("increase"),
                    "type": "bar",
                    "stack": "w",
                    "itemStyle": {"color": "#2da44e"},
                    "data": [
                        {"value": v, "itemStyle": {"color": "#0b5cad"}}
                        if i in (0, len(up) - 1)
                        else v
                        for i, v in enumerate(up)
                    ],
                    "label": {"show": level == "dimensions", "position": "top", "formatter": "{c}"},
                },
                {
                    "name": _("decrease"),
                    "type": "bar",
                    "stack": "w",
                    "itemStyle": {"color": "#cf222e"},
                    "data": down,
                },
            ],
        }
    )
    for s in option["series"][1:]:
        s["data"] = [
            (round(d, 2) if isinstance(d, float) else {**d, "value": round(d["value"], 2)})
            for d in s["data"]
        ]
    option["series"][0]["data"] = [round(b, 2) for b in base]
    rows = (
        [[str(c.previous), c.start]]
        + [[names.get(k, k), v] for k, v in items]
        + [[str(c.year), c.end]]
    )
    biggest = max(items, key=lambda kv: abs(kv[1] or 0)) if items else None
    summary = _(
        "From %(y0)s to %(y1)s the index changed by %(change)s (from %(a)s to %(b)s); "
        "the contributions add up exactly to the change."
    ) % {
        "y0": c.previous,
        "y1": c.year,
        "change": f"{c.change:+.1f}",
        "a": _fmt(c.start),
        "b": _fmt(c.end),
    }
    if biggest:
        summary += " " + _("Largest contribution: %(name)s (%(value)s).") % {
            "name": names.get(biggest[0], biggest[0]),
            "value": f"{biggest[1]:+.1f}",
        }
    return Chart(
        key,
        _("What moved the index in %(year)s") % {"year": c.year},
        summary,
        option,
        [_("Item"), _("Contribution (points)")],
        rows,
        is_demo=bool(iv.run and iv.run.is_demo),
        height=320 if level == "dimensions" else 420,
    )


def _task_groups(tasks: list[ProgressNode], by: str) -> dict[str, Counter[str]]:
    groups: dict[str, Counter[str]] = {}
    for t in tasks:
        if t.section.kind not in ("measure", "project"):
            continue
        if by == "area":
            label = t.area.localized("title") if t.area else _("(no area)")
        else:
            label = t.lead.localized("name") if t.lead else _("(not assigned)")
        groups.setdefault(label, Counter())[t.status] += 1
    return groups


def chart_tasks(tasks: list[ProgressNode], *, by: str) -> Chart:
    key = f"tasks-{by}"
    groups = _task_groups(tasks, by)
    labels = list(groups)
    statuses = [
        TaskStatus.LAGGING,
        TaskStatus.NOT_STARTED,
        TaskStatus.ON_SCHEDULE,
        TaskStatus.COMPLETED,
        "",
    ]
    status_names = {
        TaskStatus.LAGGING: _("lagging"),
        TaskStatus.NOT_STARTED: _("not started"),
        TaskStatus.ON_SCHEDULE: _("on schedule"),
        TaskStatus.COMPLETED: _("completed"),
        "": _("not reported"),
    }
    option = _base("")
    option.update(
        {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 0, "type": "scroll"},
            "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
            "yAxis": {
                "type": "category",
                "data": labels,
                "inverse": True,
                "axisLabel": {"width": 160, "overflow": "truncate"},
            },
            "xAxis": {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": status_names[s],
                    "type": "bar",
                    "stack": "t",
                    "itemStyle": {"color": TASK_COLOURS[s]},
                    "data": [groups[g][s] for g in labels],
                }
                for s in statuses
            ],
        }
    )
    rows = [[g, *[groups[g][s] for s in statuses]] for g in labels]
    total = sum(sum(c.values()) for c in groups.values())
    lagging = sum(c[TaskStatus.LAGGING] for c in groups.values())
    reported = total - sum(c[""] for c in groups.values())
    summary = _(
        "%(total)s measures; %(reported)s with approved progress reports, %(lagging)s lagging."
    ) % {"total": total, "reported": reported, "lagging": lagging}
    title = _("Measures by area") if by == "area" else _("Measures by lead department")
    return Chart(
        key,
        title,
        summary,
        option,
        [_("Area") if by == "area" else _("Department"), *[status_names[s] for s in statuses]],
        rows,
        is_demo=any(t.is_demo for t in tasks),
        height=max(200, 36 * len(labels) + 60),
    )


def chart_indicator(st: IndicatorStatus) -> Chart:
    ind = st.indicator
    key = "indicator"
    years = sorted(
        {p.year for p in st.points} | ({ind.baseline_year} if ind.baseline_year else set())
    )
    if st.target_year:
        years = sorted(set(years) | set(range(min(years or [st.target_year]), st.target_year + 1)))
    values = {p.year: p for p in st.points}
    path: dict[int, float] = {}
    base = float(ind.baseline_value) if ind.baseline_value is not None else None
    if base is not None and st.target_year and st.target_value is not None and ind.baseline_year:
        path = _required_path(
            base, ind.baseline_year, st.target_value, st.target_year, years, st.method
        )
    option = _base("")
    official = [
        float(values[y].value) if y in values and not values[y].is_demo else None for y in years
    ]
    demo = [float(values[y].value) if y in values and values[y].is_demo else None for y in years]
    series: list[dict[str, Any]] = [
        {
            "name": _("Official value"),
            "type": "line",
            "data": official,
            "symbolSize": 8,
            "lineStyle": {"width": 3},
            "connectNulls": True,
        },
    ]
    if any(v is not None for v in demo):
        series.append(
            {
                "name": _("Demo value"),
                "type": "line",
                "data": demo,
                "symbolSize": 6,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": "#8c959f"},
                "connectNulls": True,
            }
        )
    if base is not None and ind.baseline_year:
        series.append(
            {
                "name": _("Baseline (plan text)"),
                "type": "scatter",
                "symbol": "diamond",
                "symbolSize": 14,
                "itemStyle": {"color": "#0b5cad"},
                "data": [base if y == ind.baseline_year else None for y in years],
            }
        )
    if path:
        series.append(
            {
                "name": _("Required path to the target"),
                "type": "line",
                "symbol": "none",
                "lineStyle": {"type": "dotted", "width": 2},
                "itemStyle": {"color": "#bf8700"},
                "data": [path.get(y) for y in years],
            }
        )
    option.update(
        {
            "xAxis": {"type": "category", "data": [str(y) for y in years]},
            "yAxis": {"type": "value", "name": ind.localized("unit"), "scale": True},
            "series": series,
        }
    )
    option["grid"]["top"] = 40  # room for the unit above the axis
    rows = [
        [
            y,
            float(values[y].value) if y in values else None,
            (_("demo") if values[y].is_demo else _("official")) if y in values else "",
            base if y == ind.baseline_year else None,
            path.get(y),
        ]
        for y in years
    ]
    latest = st.latest
    summary = _("%(name)s: latest value %(value)s (%(year)s); status: %(band)s.") % {
        "name": ind.localized("name"),
        "value": _fmt(float(latest.value), 2) if latest else "—",
        "year": latest.year if latest else "—",
        "band": st.band_label,
    }
    if st.target_year:
        summary += " " + _("Target %(value)s by %(year)s.") % {
            "value": _fmt(st.target_value, 2),
            "year": st.target_year,
        }
    return Chart(
        key,
        _("Values, baseline and required path"),
        summary,
        option,
        [_("Year"), _("Value"), _("Source"), _("Baseline"), _("Required path")],
        rows,
        params={"code": ind.code},
        is_demo=st.is_demo,
    )


def _required_path(
    base: float, base_year: int, target: float, target_year: int, years: list[int], method: str
) -> dict[int, float]:
    """The values the target needs year by year: compound growth for levels and counts, a
    straight line for rates and shares, none for what is not judged by a trend."""
    n = target_year - base_year
    if n <= 0 or method == Method.NONE:
        return {}
    out = {}
    for y in years:
        if not base_year <= y <= target_year:
            continue
        if method == Method.LINEAR:
            out[y] = round(base + (target - base) * (y - base_year) / n, 4)
        elif base > 0 and target > 0:
            out[y] = round(base * (target / base) ** ((y - base_year) / n), 4)
    return out


def chart_whatif(iv: IndexView, whatif: StoredResults, weights: dict[str, float]) -> Chart:
    r = iv.results
    assert r is not None and iv.run is not None
    names = _fw_names(r, iv.run.framework)
    years = [str(y) for y in r.years]
    stored = [r.score(r.root, y) for y in r.years]
    changed = [whatif.score(r.root, y) for y in r.years]
    option = _base("")
    option.update(
        {
            "xAxis": {"type": "category", "data": years},
            "yAxis": {"type": "value", "scale": True},
            "series": [
                {
                    "name": _("Stored run"),
                    "type": "line",
                    "data": stored,
                    "lineStyle": {"width": 3},
                },
                {
                    "name": _("What-if weights"),
                    "type": "line",
                    "data": changed,
                    "lineStyle": {"type": "dashed", "width": 3},
                    "itemStyle": {"color": "#d1550f"},
                },
            ],
        }
    )
    rows = [
        [y, a, b, (b - a) if a is not None and b is not None else None]
        for y, a, b in zip(years, stored, changed, strict=True)
    ]
    w_text = ", ".join(f"{names.get(k, k)} {v:g}" for k, v in weights.items())
    summary = _("With weights %(weights)s the %(year)s index would be %(b)s instead of %(a)s.") % {
        "weights": w_text or "—",
        "year": years[-1],
        "a": _fmt(stored[-1]),
        "b": _fmt(changed[-1]),
    }
    params = {k: f"{v:g}" for k, v in weights.items()}
    return Chart(
        "whatif",
        _("Stored index and what-if, side by side"),
        summary,
        option,
        [_("Year"), _("Stored run"), _("What-if weights"), _("Difference")],
        rows,
        params=params,
        is_demo=bool(iv.run and iv.run.is_demo),
    )


def cockpit_charts(cp: Cockpit) -> dict[str, Chart]:
    return {
        "index": chart_index(cp.index),
        "waterfall": chart_waterfall(cp.index),
        "tasks_area": chart_tasks(cp.tasks, by="area"),
        "tasks_department": chart_tasks(cp.tasks, by="department"),
    }
