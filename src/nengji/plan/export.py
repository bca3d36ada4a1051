"""The plan as a JSON-ready dict: what `nengji plan export` prints and the open-data API serves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nengji.plan.models import Indicator, Plan, Section
from nengji.plan.quotes import display_text
from nengji.plan.selectors import Node, area_tree, indicator_list, section_tree


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _source(start: int | None, end: int | None, quote: str) -> dict[str, Any] | None:
    if start is None:
        return None
    return {"start": start, "end": end, "quote": quote}


def _section(node: Node, child_key: str | None = None) -> dict[str, Any]:
    s = node.section
    data: dict[str, Any] = {
        "code": s.code,
        "kind": s.kind,
        "number": s.number,
        "title_zh": s.title_zh,
        "title_en": s.title_en,
        "text_zh": display_text(s.text_quote) if s.text_quote else "",
        "title_source": _source(s.title_start, s.title_end, s.title_quote),
        "text_source": _source(s.text_start, s.text_end, s.text_quote),
    }
    if s.kind == Section.Kind.PROJECT:
        data["origin"] = s.origin
        data["description_zh"] = s.description_zh
        data["is_demo"] = s.is_demo
    plain = [c for c in node.children if c.section.kind != Section.Kind.PROJECT]
    if child_key is not None:
        data[child_key] = [_section(c) for c in plain]
    if s.kind in (Section.Kind.TASK, Section.Kind.MEASURE):
        # Key projects the plan office added; `measures` stays the plan's own measures.
        data["key_projects"] = [
            _section(c) for c in node.children if c.section.kind == Section.Kind.PROJECT
        ]
    return data


def indicator_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name_zh": indicator.name_zh,
        "name_en": indicator.name_en,
        "unit": indicator.unit_zh,
        "unit_en": indicator.unit_en,
        "direction": indicator.direction,
        "kind": indicator.kind,
        "section": indicator.section.code if indicator.section else None,
        "share_of": indicator.share_of.code if indicator.share_of else None,
        "note_zh": indicator.note_zh,
        "baseline": {
            "year": indicator.baseline_year,
            "as_of": indicator.baseline_as_of.isoformat() if indicator.baseline_as_of else None,
            "period_start": indicator.baseline_period_start,
            "value": _num(indicator.baseline_value),
            "value_text": indicator.baseline_value_text,
            "qualifier": indicator.baseline_qualifier,
            "quote": indicator.baseline_quote,
            "source": _source(
                indicator.baseline_start, indicator.baseline_end, indicator.baseline_quote
            ),
        },
    }


def plan_export(*, plan: Plan) -> dict[str, Any]:
    areas = []
    for area in area_tree(plan=plan):
        data = _section(area)
        data["tasks"] = [_section(task, "measures") for task in area.children]
        areas.append(data)
    other = [
        _section(n, "children")
        for n in section_tree(plan=plan)
        if n.section.kind != Section.Kind.CHAPTER
        or not any(c.section.kind == Section.Kind.AREA for c in n.children)
    ]
    return {
        "plan": {
            "code": plan.code,
            "title_zh": plan.title_zh,
            "title_en": plan.title_en,
            "issuer_zh": plan.issuer_zh,
            "doc_number": plan.doc_number,
            "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
            "adopted_at_zh": plan.adopted_at_zh,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "period": [plan.period_start, plan.period_end],
            "vision_year": plan.vision_year,
            "source_sha256": plan.source_sha256,
        },
        "areas": areas,
        "sections": other,
        "indicators": [indicator_dict(i) for i in indicator_list(plan=plan)],
    }
