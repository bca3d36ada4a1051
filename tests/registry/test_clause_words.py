"""The words of comparisons that are not numbers: booleans as yes / no, ``==``, ``in`` and
``contains`` as phrases, designation codes by their names, in Chinese and in English; the
comparison signs of numbers as ≥ ≤."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from nengji.registry.clauses import rule_evaluate

DISTRICT = {
    "id": "D",
    "fact": "registered_in_district",
    "op": "==",
    "value": True,
    "label": "注册在本区",
    "label_en": "Registered in the district",
    "source": "第一条",
}
NOT_FALSE = {**DISTRICT, "id": "D2", "op": "!=", "value": False}
HTE = {"id": "H", "fact": "designations", "op": "contains", "value": "high_tech", "source": "s"}
NOT_LISTED = {**HTE, "id": "L", "op": "not_contains", "value": "listed"}
SECTION = {"id": "S", "fact": "industry_section", "op": "in", "value": ["I", "M"], "source": "s"}
RD = {"id": "R", "fact": "rd_intensity", "op": ">=", "value": 3, "source": "s"}
RULE = [DISTRICT, NOT_FALSE, HTE, NOT_LISTED, SECTION, RD]


def words(lang: str, facts: dict) -> dict[str, str]:  # type: ignore[type-arg]
    with translation.override(lang):
        return {c.id: c.words for c in rule_evaluate(RULE, facts).clauses}


FACTS = {
    "registered_in_district": False,
    "designations": ["tech_sme"],
    "industry_section": "C",
    "rd_intensity": Decimal("2.5"),
}


def test_chinese_words() -> None:
    w = words("zh-hans", FACTS)
    assert w["D"] == "注册在本区：否（应为是）。"
    assert w["D2"] == w["D"]  # “≠ 否” reads as “应为是”
    assert w["H"] == "有效资质：科技型中小企业（需包含高新技术企业）。"
    assert w["L"] == "有效资质：科技型中小企业（不得包含上市企业）。"
    assert w["S"] == "行业门类为 C（应为以下之一：I、M）。"
    assert w["R"].startswith("研发费用占营业收入比例为 2.5 %，需 ≥ 3 %。")
    unknown = words("zh-hans", {})
    assert unknown["D"] == "注册在本区数据缺失（应为是）。"
    assert unknown["H"] == "有效资质数据缺失（需包含高新技术企业）。"
    assert (
        words("zh-hans", {**FACTS, "designations": []})["H"]
        == "有效资质：无（需包含高新技术企业）。"
    )


def test_english_words() -> None:
    w = words("en", FACTS)
    assert w["D"] == "Registered in the district: no (needs yes)."
    assert w["H"] == "active designations: tech-based SME (needs high-tech enterprise among them)."
    assert w["S"] == "industry section is C (needs one of I, M)."
    assert "≥ 3 %" in w["R"]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_no_raw_operators_or_codes(lang: str) -> None:
    for facts in (FACTS, {}, {**FACTS, "designations": ["high_tech", "listed"]}):
        for text in words(lang, facts).values():
            for raw in ("==", "!=", ">=", "contains", "not_in", "high_tech", "tech_sme", "True"):
                assert raw not in text, (raw, text)
