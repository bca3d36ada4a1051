"""The enterprise facts a policy clause may name, with their types and words.

These are the keys of the flat mapping of an enterprise's facts that the registry gives
(`nengji.registry.selectors.enterprise_facts`); a catalogue clause naming any other key is an
error when the catalogue is read. Money is in yuan, shares in per cent, counts whole.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # number | text | bool | date | set
    label_zh: str
    label_en: str
    unit_zh: str = ""
    choices: frozenset[str] = frozenset()


#: designation kinds an enterprise can hold (the registry's codes)
DESIGNATIONS = frozenset(
    {
        "tech_sme",  # 科技型中小企业
        "innovative_sme",  # 创新型中小企业
        "high_tech",  # 高新技术企业
        "specialised",  # 专精特新中小企业
        "little_giant",  # 专精特新“小巨人”
        "district_little_giant",  # 区级双创小巨人
        "gazelle",  # 瞪羚
        "unicorn",  # 独角兽 / 潜在独角兽
        "listed",  # 上市
    }
)

_ALL = (
    FieldSpec("registered_in_district", "bool", "注册在本区", "registered in the district"),
    FieldSpec("founded_on", "date", "成立日期", "founded on"),
    FieldSpec("age_years", "number", "成立年限", "years since founding", "年"),
    FieldSpec("industry_code", "text", "行业代码（GB/T 4754）", "industry (GB/T 4754)"),
    FieldSpec("street", "text", "所在街道", "street"),
    FieldSpec("carrier", "text", "所在载体", "carrier"),
    FieldSpec("employees", "number", "从业人员", "employees", "人"),
    FieldSpec("st_staff", "number", "科技人员", "S&T staff", "人"),
    FieldSpec("st_staff_share", "number", "科技人员占比", "S&T staff share", "%"),
    FieldSpec("revenue", "number", "营业收入", "revenue", "元"),
    FieldSpec("revenue_growth", "number", "营业收入增长率", "revenue growth", "%"),
    FieldSpec("rd_expense", "number", "研发费用", "R&D expense", "元"),
    FieldSpec("rd_share", "number", "研发费用占营业收入比例", "R&D expense / revenue", "%"),
    FieldSpec(
        "high_tech_revenue_share", "number", "高新技术产品收入占比", "high-tech revenue share", "%"
    ),
    FieldSpec("invention_patents", "number", "有效发明专利", "invention patents in force", "件"),
    FieldSpec("ip_class1", "number", "Ⅰ类知识产权", "class I IP", "件"),
    FieldSpec("ip_class2", "number", "Ⅱ类知识产权", "class II IP", "件"),
    FieldSpec("equity_financing", "number", "股权融资额", "equity financing", "元"),
    FieldSpec(
        "designations",
        "set",
        "有效资质",
        "designations in force",
        choices=DESIGNATIONS,
    ),
    FieldSpec("credit_ok", "bool", "无严重失信记录", "no serious breach of trust"),
)

FIELDS: dict[str, FieldSpec] = {f.name: f for f in _ALL}
