"""Reads of the portal: only what is published (official values of published rounds, progress
of published rounds, approved comments), plus the index series with its demo flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import get_language

from nengji.cockpit.selectors import IndexView, index_view
from nengji.monitoring.models import Observation, Target
from nengji.monitoring.rating import rating_label
from nengji.monitoring.selectors import (
    IndicatorStatus,
    ProgressNode,
    indicator_statuses,
    progress_nodes,
    task_progress,
)
from nengji.plan.models import Plan, Section
from nengji.portal.models import Comment


@dataclass
class Published:
    plan: Plan
    index: IndexView
    indicators: list[IndicatorStatus]
    progress: list[ProgressNode]

    @property
    def tasks(self) -> list[ProgressNode]:
        """Tasks, measures and key projects in plan order."""
        return progress_nodes(
            self.progress, Section.Kind.TASK, Section.Kind.MEASURE, Section.Kind.PROJECT
        )


def published_get(*, plan: Plan) -> Published:
    """What the public sees: monitoring's read models on published rounds only (the same
    values, bands and roll-ups as the cockpit and the reports), and the index."""
    return Published(
        plan,
        index_view(plan),
        indicator_statuses(plan=plan, published_only=True),
        task_progress(plan=plan, published_only=True),
    )


def comments_approved(*, plan: Plan, **target: Any) -> QuerySet[Comment]:
    return Comment.objects.filter(plan=plan, status=Comment.Status.APPROVED, **target).order_by(
        "created_at"
    )


def comments_for_moderation() -> QuerySet[Comment]:
    return Comment.objects.select_related("plan", "section", "indicator", "moderated_by").order_by(
        "status", "-created_at"
    )


# ---- open data -------------------------------------------------------------------------------


@dataclass
class Column:
    name: str
    type: str
    zh: str
    en: str


@dataclass
class Table:
    key: str
    title_zh: str
    title_en: str
    columns: list[Column]
    rows: list[list[Any]]

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh


def _col(name: str, type_: str, zh: str, en: str) -> Column:
    return Column(name, type_, zh, en)


def table_indicators(pub: Published) -> Table:
    cols = [
        _col("code", "string", "指标代码", "indicator code"),
        _col("name_zh", "string", "指标名称（中文）", "name in Chinese"),
        _col("name_en", "string", "指标名称（英文）", "name in English"),
        _col("unit_zh", "string", "单位", "unit"),
        _col("baseline_year", "integer", "基期年份", "baseline year"),
        _col("baseline_value", "number", "基期值（规划原文）", "baseline value (plan text)"),
        _col("latest_year", "integer", "最新公布值年份", "year of the latest published value"),
        _col("latest_value", "number", "最新公布值", "latest published value"),
        _col("target_year", "integer", "目标年份", "target year"),
        _col("target_value", "number", "目标值", "target value"),
        _col("target_source", "string", "目标来源（plan/office）", "target source (plan/office)"),
        _col("progress_method", "string", "评价方法", "progress method (cagr/linear/none)"),
        _col("status", "string", "进展状态代码", "on-track status code"),
        _col("status_zh", "string", "进展状态", "on-track status (Chinese)"),
        _col("is_demo", "boolean", "是否演示数据", "demo data"),
    ]
    rows = []
    for s in pub.indicators:
        ind, latest = s.indicator, s.latest
        with translation.override("zh-hans"):
            label_zh = rating_label(s.band)
        rows.append(
            [
                ind.code,
                ind.name_zh,
                ind.name_en,
                ind.unit_zh,
                ind.baseline_year,
                float(ind.baseline_value) if ind.baseline_value is not None else None,
                latest.year if latest else None,
                float(latest.value) if latest else None,
                s.target_year,
                s.target_value,
                s.target.source if s.target else None,
                s.method,
                str(s.band),
                label_zh,
                s.is_demo,
            ]
        )
    return Table("indicators", "规划指标及进展", "Plan indicators and progress", cols, rows)


def table_observations(plan: Plan) -> Table:
    cols = [
        _col("indicator", "string", "指标代码", "indicator code"),
        _col("series", "string", "序列（非规划指标时）", "series (when no plan indicator)"),
        _col("year", "integer", "年份", "year"),
        _col("quarter", "integer", "季度（0=年度）", "quarter (0 = annual)"),
        _col("vintage", "integer", "版本（修订次序）", "vintage (revision number)"),
        _col("value", "number", "数值", "value"),
        _col("source", "string", "来源", "source"),
        _col("published_at", "datetime", "公布时间", "published at"),
        _col("is_demo", "boolean", "是否演示数据", "demo data"),
    ]
    rows = [
        [
            o.indicator.code if o.indicator is not None else "",
            o.series,
            o.year,
            o.quarter,
            o.vintage,
            float(o.value),
            o.source_note or o.get_source_display(),
            o.published_at.isoformat() if o.published_at else None,
            o.is_demo,
        ]
        for o in Observation.objects.filter(published_at__isnull=False)
        .filter(indicator__plan=plan)
        .select_related("indicator")
        .order_by("indicator__order", "year", "quarter", "vintage")
    ]
    return Table(
        "observations",
        "公布的指标数值（含历次修订）",
        "Published indicator values (every vintage)",
        cols,
        rows,
    )


def table_index(pub: Published) -> Table:
    r = pub.index.results
    fw = pub.index.run.framework if pub.index.run else []
    names = {f["code"]: f for f in fw}
    aggs = r.aggregates if r else []
    cols = [_col("year", "integer", "年份", "year")]
    for c in aggs:
        cols.append(_col(c, "number", names[c]["name_zh"], names[c].get("name_en") or c))
    cols += [
        _col("official", "number", "官方公布值", "official published value"),
        _col("is_demo", "boolean", "计算是否使用演示数据", "computed with demo data"),
    ]
    official = {f.year: f.value for f in pub.index.official}
    demo = bool(pub.index.run and pub.index.run.is_demo)
    rows = (
        [[y, *[r.score(c, y) for c in aggs], official.get(y), demo] for y in r.years] if r else []
    )
    root = names.get(r.root, {}) if r else {}
    return Table(
        "index",
        root.get("name_zh") or "综合指数",
        root.get("name_en") or "Composite index",
        cols,
        rows,
    )


def table_tasks(pub: Published) -> Table:
    cols = [
        _col("code", "string", "任务/举措代码", "task or measure code"),
        _col("number", "string", "编号", "number"),
        _col("title_zh", "string", "标题", "title (Chinese)"),
        _col("kind", "string", "类型（task/measure）", "kind (task/measure)"),
        _col("area", "string", "所属领域", "area"),
        _col("status", "string", "进展状态代码", "progress status code"),
        _col("percent", "number", "完成百分比", "percent complete"),
        _col("round", "string", "报告期", "reporting round"),
    ]
    rows = [
        [
            t.section.code,
            t.section.number,
            t.section.title_zh,
            t.section.kind,
            t.area.title_zh if t.area else "",
            t.status,
            float(t.percent) if t.percent is not None else None,
            t.round_label,
        ]
        for t in pub.tasks
    ]
    return Table("tasks", "主要任务与举措进展", "Progress of tasks and measures", cols, rows)


def table_comments(plan: Plan) -> Table:
    cols = [
        _col("id", "integer", "编号", "id"),
        _col("target", "string", "意见对象", "commented item"),
        _col("name", "string", "署名（可匿名）", "name (may be anonymous)"),
        _col("text", "string", "意见内容", "comment"),
        _col("posted_at", "datetime", "提交时间", "posted at"),
        _col("reply", "string", "规划办公室答复", "reply of the plan office"),
    ]
    rows = [
        [
            c.pk,
            c.indicator.code
            if c.indicator is not None
            else (c.section.code if c.section is not None else "plan"),
            c.name,
            c.text,
            c.created_at.isoformat(),
            c.reply,
        ]
        for c in comments_approved(plan=plan).select_related("indicator", "section")
    ]
    return Table(
        "comments", "公开的公众意见及答复", "Published public comments and replies", cols, rows
    )


OPEN_TABLES = ("indicators", "observations", "index", "tasks", "comments")


def open_table(*, plan: Plan, key: str, pub: Published | None = None) -> Table:
    if key in ("observations", "comments"):
        return table_observations(plan) if key == "observations" else table_comments(plan)
    pub = pub or published_get(plan=plan)
    return {"indicators": table_indicators, "index": table_index, "tasks": table_tasks}[key](pub)


def open_catalogue(*, plan: Plan) -> list[Table]:
    pub = published_get(plan=plan)
    return [open_table(plan=plan, key=k, pub=pub) for k in OPEN_TABLES]


def dictionary_table(tables: list[Table]) -> Table:
    cols = [
        _col("table", "string", "数据表", "table"),
        _col("column", "string", "字段", "column"),
        _col("type", "string", "类型", "type"),
        _col("description_zh", "string", "说明（中文）", "description (Chinese)"),
        _col("description_en", "string", "说明（英文）", "description (English)"),
    ]
    rows = [[t.key, c.name, c.type, c.zh, c.en] for t in tables for c in t.columns]
    return Table("dictionary", "数据字典", "Data dictionary", cols, rows)


# ---- one page per indicator and per task -----------------------------------------------------


@dataclass
class IndicatorPage:
    """An indicator as the public sees it: the plan's words, the published series only."""

    status: IndicatorStatus
    comments: QuerySet[Comment]

    @property
    def indicator(self) -> Any:
        return self.status.indicator

    @property
    def nature_label(self) -> str:
        """预期性 / 约束性 of an office target, in the page language ("" for a plan target)."""
        t = self.status.target
        if t is None or t.source != "office" or not t.nature:
            return ""
        return str(Target.Nature(t.nature).label)


def indicator_page_get(*, plan: Plan, code: str) -> IndicatorPage | None:
    """None when the plan has no such indicator. Values come from `indicator_statuses` with
    ``published_only=True``: a draft, or an approved value of an unpublished round, never shows."""
    found = indicator_statuses(plan=plan, published_only=True, codes=[code])
    if not found:
        return None
    status = found[0]
    return IndicatorPage(status, comments_approved(plan=plan, indicator=status.indicator))


@dataclass
class TaskPage:
    """A task, measure or key project with its lead and the latest *published* progress."""

    node: ProgressNode
    indicators: list[IndicatorStatus]
    comments: QuerySet[Comment]

    @property
    def section(self) -> Section:
        return self.node.section

    @property
    def children(self) -> list[ProgressNode]:
        return self.node.children

    @property
    def lead(self) -> Any:
        """The section's own lead, else (for a task) the leads of its measures, deduplicated."""
        return self.node.lead

    @property
    def child_leads(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for child in self.node.children:
            if child.lead is not None:
                seen.setdefault(child.lead.pk, child.lead)
        return list(seen.values())


def task_page_get(*, plan: Plan, code: str) -> TaskPage | None:
    """None unless `code` is a task, measure or key project of the plan."""
    nodes = {
        n.section.code: n
        for n in progress_nodes(task_progress(plan=plan, published_only=True))
        if n.section.kind in (Section.Kind.TASK, Section.Kind.MEASURE, Section.Kind.PROJECT)
    }
    node = nodes.get(code)
    if node is None:
        return None
    codes = list(
        plan.indicators.filter(section__in=[n.section for n in node.walk()]).values_list(
            "code", flat=True
        )
    )
    indicators = indicator_statuses(plan=plan, published_only=True, codes=codes) if codes else []
    return TaskPage(node, indicators, comments_approved(plan=plan, section=node.section))
