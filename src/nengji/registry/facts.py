"""The catalogue of facts rules are evaluated against (`selectors.enterprise_facts`).

Each fact has a stable name, a label, a unit and a kind; ratios also name their numerator and
denominator, so a failed threshold can say how much more of the numerator would pass it
("再投入约 12.5 万元"). Percentages are in percent (5 means 5 %), amounts in 万元, ages in
years. A fact that cannot be known (no figures, a zero denominator) is ``None``: rules then
answer *unknown*, never a guess. Other apps may evaluate clauses over facts of their own;
names not listed here are shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Fact:
    name: str
    label: str | Promise
    unit: str | Promise = ""
    #: number, count, percent, bool, text, list
    kind: str = "number"
    #: for percent facts: (numerator fact, denominator fact); the percent is 100·num/den
    ratio_of: tuple[str, str] | None = None


_FACTS = (
    Fact("year", _("year of the figures"), "", "count"),
    Fact("age_years", _("years since founding"), _("years")),
    Fact("employees", _("employees"), _("persons"), "count"),
    Fact("st_staff", _("S&T staff"), _("persons"), "count"),
    Fact("st_staff_share", _("S&T staff share"), "%", "percent", ("st_staff", "employees")),
    Fact("revenue", _("revenue"), _("10k yuan")),
    Fact("revenue_growth", _("revenue growth on the year before"), "%", "percent"),
    Fact("total_assets", _("total assets"), _("10k yuan")),
    Fact("debt_ratio", _("debt ratio"), "%", "percent", ("total_liabilities", "total_assets")),
    Fact("total_liabilities", _("total liabilities"), _("10k yuan")),
    Fact("rd_spend", _("R&D spend"), _("10k yuan")),
    Fact("rd_domestic", _("R&D spend in China"), _("10k yuan")),
    Fact("rd_foreign", _("R&D spend abroad"), _("10k yuan")),
    Fact(
        "rd_intensity",
        _("R&D spend as a share of revenue"),
        "%",
        "percent",
        ("rd_spend", "revenue"),
    ),
    Fact("rd_spend_3y", _("R&D spend, last 3 years"), _("10k yuan")),
    Fact("revenue_3y", _("revenue, last 3 years"), _("10k yuan")),
    Fact(
        "rd_intensity_3y",
        _("R&D spend as a share of revenue, last 3 years"),
        "%",
        "percent",
        ("rd_spend_3y", "revenue_3y"),
    ),
    Fact(
        "rd_domestic_share_3y",
        _("share of R&D spent in China, last 3 years"),
        "%",
        "percent",
        ("rd_domestic_3y", "rd_spend_3y"),
    ),
    Fact("rd_domestic_3y", _("R&D spend in China, last 3 years"), _("10k yuan")),
    Fact("rd_spend_2y_avg", _("average R&D spend, last 2 years"), _("10k yuan")),
    Fact(
        "rd_intensity_min_2y",
        _("lower of the last 2 years' R&D share of revenue"),
        "%",
        "percent",
    ),
    Fact("high_tech_revenue", _("high-tech product revenue"), _("10k yuan")),
    Fact(
        "high_tech_revenue_share",
        _("high-tech product revenue share"),
        "%",
        "percent",
        ("high_tech_revenue", "revenue"),
    ),
    Fact("ip_class1", _("class I IP"), _("items"), "count"),
    Fact("ip_class2", _("class II IP"), _("items"), "count"),
    Fact("ip_invention_patents", _("invention patents"), _("items"), "count"),
    Fact("ip_utility_models", _("utility models"), _("items"), "count"),
    Fact("ip_designs", _("designs"), _("items"), "count"),
    Fact("ip_software", _("software copyrights"), _("items"), "count"),
    Fact("equity_financing", _("equity financing in the year"), _("10k yuan")),
    Fact("equity_financing_2y", _("equity financing, last 2 years"), _("10k yuan")),
    Fact("equity_financing_3y", _("equity financing, last 3 years"), _("10k yuan")),
    Fact("valuation", _("valuation"), _("10k yuan")),
    Fact("designations", _("active designations"), "", "list"),
    Fact("industry", _("industry (GB/T 4754)"), "", "text"),
    Fact("industry_section", _("industry section"), "", "text"),
    Fact("street", _("street"), "", "text"),
)

#: name → Fact
FACTS: dict[str, Fact] = {f.name: f for f in _FACTS}


def fact_spec(name: str) -> Fact:
    """The fact's description; a fact not in the catalogue (another app's) by its bare name.

    ``has_<kind>`` (an active designation of that kind) is a bool fact for every kind."""
    if name in FACTS:
        return FACTS[name]
    if name.startswith("has_"):
        from nengji.registry.models import DesignationKind

        kind = name[4:]
        label = DesignationKind(kind).label if kind in DesignationKind.values else kind
        return Fact(name, _("holds: %(kind)s") % {"kind": label}, "", "bool")
    return Fact(name, name)
