"""The flagged demo registry of a plan (`data/demo/<plan>/registry/demo.yaml`): enterprises,
figures, designations and carriers generated from a seed so they agree with the plan's
published facts (e.g. 973 高新技术企业 at end-2020) and grow plausibly after them. Every row is
``is_demo`` and pages show 演示数据. Written in bulk (10,000 enterprises in seconds);
idempotent: a registry that already has demo enterprises is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind, Role
from nengji.plan.models import Plan
from nengji.registry.geo import point_inside
from nengji.registry.models import (
    Carrier,
    Designation,
    Enterprise,
    PlanRegistryData,
    Street,
    YearFigures,
)
from nengji.registry.uscc import uscc_check_character

ALNUM = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the code's alphabet (no I, O, S, V, Z)
WORDS = (
    "智能",
    "数据",
    "信息",
    "生物",
    "医疗",
    "设计",
    "材料",
    "能源",
    "网络",
    "软件",
    "检测",
    "环境",
    "文化",
    "教育",
    "机器人",
    "芯片",
)
TAILS = ("科技有限公司", "信息技术有限公司", "技术股份有限公司", "网络科技有限公司", "设计有限公司")
INDUSTRIES = (
    "I6513",
    "I6511",
    "I6421",
    "M7320",
    "M7491",
    "C3981",
    "C2720",
    "M7520",
    "I6550",
    "R8710",
    "C3562",
    "M7484",
)


def _config(demo_dir: Path) -> dict[str, Any] | None:
    path = demo_dir / "registry" / "demo.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def _code(rng: random.Random, used: set[str], division: str) -> str:
    """A valid 统一社会信用代码 registered in the district (its 行政区划代码 in places 3–8)."""
    while True:
        first17 = f"91{division}MA" + "".join(rng.choice(ALNUM) for _ in range(7))
        code = first17 + uscc_check_character(first17)
        if code not in used:
            used.add(code)
            return code


def _scaled(table: dict[Any, int], share: float) -> dict[int, int]:
    return {int(k): max(0, round(v * share)) for k, v in table.items()}


@transaction.atomic
def demo_registry_ensure(*, plan: Plan, demo_dir: Path, data_dir: Path, full: bool) -> int:
    """Create the demo registry (the whole of it when `full`); returns enterprises created."""
    config = _config(demo_dir)
    if config is None:
        return 0
    district = plan.district
    login = config.get("login") or {}
    if Enterprise.objects.filter(district=district, is_demo=True).exists():
        _login_ensure(plan=plan, data_dir=data_dir, login=login)
        return 0
    share = 1.0 if full else float(config.get("small_share", 0.02))
    rng = random.Random(int(config.get("seed", 1)))  # noqa: S311 - repeatable demo data, not secrets
    today = timezone.localdate()
    data = PlanRegistryData.objects.filter(plan=plan).first()
    boundary = data.boundary if data else None

    # carriers
    streets = list(Street.objects.filter(district=district).order_by("code"))
    carriers: list[Carrier] = list(Carrier.objects.filter(district=district))
    zones = ("west", "central", "east")
    areas = ("binjiang", "dachuangzhi", "dachuanggu", "huantongji", "")
    kinds_zh = {"science_park": "科技园", "incubator": "孵化器", "maker_space": "众创空间"}
    new_carriers = []
    for kind, n in (config.get("carriers") or {}).items():
        for i in range(int(n)):
            while True:
                lon, lat = rng.uniform(121.486, 121.569), rng.uniform(31.247, 31.346)
                if point_inside(lon, lat, boundary):
                    break
            place = streets[i % len(streets)].name_zh.removesuffix("街道") if streets else "杨浦"
            new_carriers.append(
                Carrier(
                    district=district,
                    code=f"demo-{kind}-{i + 1:02d}",
                    name_zh=f"{place}{kinds_zh.get(kind, '载体')}{i + 1:02d}（演示）",
                    kind=kind,
                    level=rng.choice(["national", "municipal", "district", "district"]),
                    group="parks" if kind == "science_park" else "",
                    zone=rng.choice(zones),
                    functional_area=rng.choice(areas),
                    lon=Decimal(f"{lon:.6f}"),
                    lat=Decimal(f"{lat:.6f}"),
                    coords_approximate=True,
                    area_m2=Decimal(rng.randrange(3_000, 120_000)),
                    operator=f"{place}园区运营公司（演示）",
                    is_demo=True,
                )
            )
    Carrier.objects.bulk_create(new_carriers, ignore_conflicts=True)
    carriers = list(Carrier.objects.filter(district=district))

    # enterprises: ranked by "strength" (index 0 strongest), founded over 30 years
    n = max(20, round(int(config.get("enterprises", 12000)) * share))
    used = set(Enterprise.objects.values_list("uscc", flat=True))
    names: set[str] = set()
    rows: list[Enterprise] = []
    for _ in range(n):
        while True:
            words = rng.choice(WORDS) + rng.choice(WORDS)
            name = f"杨浦{words}{rng.randrange(1, 999):03d}{rng.choice(TAILS)}（演示）"
            if name not in names:
                names.add(name)
                break
        # three in four founded before 2020 (the 8000余 科技型中小企业 of 2020 need them)
        age = rng.uniform(7.5, 25) if rng.random() < 0.75 else rng.uniform(0.3, 7.5)
        founded = today - dt.timedelta(days=int(age * 365.25))
        rows.append(
            Enterprise(
                district=district,
                uscc=_code(rng, used, district.code),
                name_zh=name,
                founded_on=founded,
                street=rng.choice(streets).code if streets else "",
                industry=rng.choice(INDUSTRIES),
                carrier=rng.choice(carriers) if carriers and rng.random() < 0.6 else None,
                is_demo=True,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    rows = list(Enterprise.objects.filter(district=district, is_demo=True).order_by("pk"))

    designations: list[Designation] = []

    def grant(
        e: Enterprise, kind: str, granted: dt.date, expires: dt.date | None, number: str, **kw: Any
    ) -> None:
        status, ended = Designation.Status.ACTIVE, None
        if expires is not None and expires < today:
            status, ended = Designation.Status.EXPIRED, expires + dt.timedelta(days=1)
        designations.append(
            Designation(
                enterprise=e,
                kind=kind,
                granted_on=granted,
                expires_on=expires,
                number=number,
                status=status,
                ended_on=ended,
                is_demo=True,
                issuer=kw.get("issuer", ""),
                board=kw.get("board", ""),
            )
        )

    def founded_by(e: Enterprise, day: dt.date) -> bool:
        return e.founded_on is not None and e.founded_on <= day - dt.timedelta(days=366)

    # 高新技术企业: grants each November, renewals first
    hte_by_year: dict[int, list[Enterprise]] = {}
    holders: set[int] = set()
    pool = iter(rows)
    for year, count in sorted(_scaled(config["high_tech_grants"], share).items()):
        day = dt.date(year, 11, 15)
        if day > today:
            continue
        due = hte_by_year.get(year - 3, [])
        renew = [e for e in due if rng.random() < float(config.get("renewal_share", 0.85))][:count]
        chosen = list(renew)
        for e in due:
            if e not in renew:
                holders.discard(e.pk)
        while len(chosen) < count:
            candidate = next(pool, None)
            if candidate is None:
                break
            if candidate.pk in holders or not founded_by(candidate, day):
                continue
            chosen.append(candidate)
        for k, e in enumerate(chosen):
            holders.add(e.pk)
            expires = dt.date(year + 3, 11, 14)
            grant(
                e,
                "high_tech",
                day,
                expires,
                f"GR{year}31{k + 1:06d}",
                issuer="上海市高新技术企业认定办公室",
            )
        hte_by_year[year] = chosen

    # 科技型中小企业: each year's list, HTE holders of that year first, then by strength
    hte_years: dict[int, set[int]] = {e.pk: set() for e in rows}
    for year, chosen in hte_by_year.items():
        for e in chosen:
            for y in (year, year + 1, year + 2):
                hte_years[e.pk].add(y)
    for year, count in sorted(_scaled(config["tech_sme"], share).items()):
        day = dt.date(year, 5, 20)
        if day > today:
            continue
        eligible = [e for e in rows if e.founded_on and e.founded_on <= day]
        eligible.sort(key=lambda e: (year not in hte_years[e.pk], e.pk))
        for k, e in enumerate(eligible[:count]):
            grant(
                e,
                "tech_sme",
                day,
                dt.date(year, 12, 31),
                f"{year}{district.code}A{k + 1:05d}",
                issuer="上海市科学技术委员会",
            )

    def simple(
        kind: str, table: dict[int, int], *, years: int | None, month: int, issuer: str, start: int
    ) -> None:
        offset = start
        for year, count in sorted(_scaled(table, share).items()):
            day = dt.date(year, month, 10)
            if day > today:
                continue
            for k in range(count):
                e = rows[(offset + k) % len(rows)]
                expires = None
                if years is not None:
                    expires = dt.date(year + years, month, 9)
                grant(
                    e,
                    kind,
                    day,
                    expires,
                    f"{kind[:2].upper()}{year}{k + 1:04d}",
                    issuer=issuer,
                    board="科创板" if kind == "listed" else "",
                )
            offset += count if kind in ("district_giant", "listed") else 0

    simple(
        "district_giant",
        config["district_giant"],
        years=None,
        month=9,
        issuer="杨浦区科学技术委员会",
        start=5,
    )
    simple("listed", config["listed"], years=None, month=6, issuer="证券交易所", start=400)
    simple(
        "specialised",
        config["specialised"],
        years=3,
        month=8,
        issuer="上海市经济和信息化委员会",
        start=40,
    )
    simple(
        "little_giant", config["little_giant"], years=3, month=7, issuer="工业和信息化部", start=40
    )
    simple(
        "gazelle", config["gazelle"], years=1, month=10, issuer="杨浦区科学技术委员会", start=120
    )
    simple(
        "unicorn", config["unicorn"], years=1, month=12, issuer="杨浦区科学技术委员会", start=401
    )
    Designation.objects.bulk_create(designations, batch_size=2000, ignore_conflicts=True)

    # yearly figures
    now = timezone.now()
    figures: list[YearFigures] = []
    for rank, e in enumerate(rows):
        strong = rank < len(rows) * 0.25
        employees = max(3, min(3000, int(rng.lognormvariate(3.3 if strong else 2.8, 0.9))))
        for year in config.get("figure_years", [2023, 2024, 2025]):
            if e.founded_on and e.founded_on.year > year:
                continue
            employees = max(3, int(employees * rng.uniform(0.95, 1.2)))
            st_staff = int(employees * rng.uniform(0.12 if strong else 0.05, 0.6))
            revenue = Decimal(employees * rng.uniform(20, 90)).quantize(Decimal("0.01"))
            rd = (revenue * Decimal(rng.uniform(0.03 if strong else 0.005, 0.12))).quantize(
                Decimal("0.01")
            )
            assets = (revenue * Decimal(rng.uniform(0.6, 1.6))).quantize(Decimal("0.01"))
            figures.append(
                YearFigures(
                    enterprise=e,
                    year=year,
                    vintage=1,
                    employees=employees,
                    st_staff=st_staff,
                    revenue=revenue,
                    total_assets=assets,
                    total_liabilities=(assets * Decimal(rng.uniform(0.2, 0.75))).quantize(
                        Decimal("0.01")
                    ),
                    rd_domestic=rd,
                    rd_foreign=Decimal(0),
                    high_tech_revenue=(
                        revenue * Decimal(rng.uniform(0.5 if strong else 0.1, 0.95))
                    ).quantize(Decimal("0.01")),
                    ip_invention_patents=rng.choice([0, 0, 1, 2, 3, 5])
                    if strong
                    else rng.choice([0, 0, 0, 1]),
                    ip_other_class1=0,
                    ip_utility_models=rng.randrange(0, 8),
                    ip_designs=rng.randrange(0, 3),
                    ip_software=rng.randrange(0, 12),
                    equity_financing=Decimal(rng.choice([0, 0, 0, 0, 500, 2000]))
                    if strong
                    else Decimal(0),
                    source=YearFigures.Source.DEMO,
                    recorded_at=now,
                    is_demo=True,
                )
            )
    YearFigures.objects.bulk_create(figures, batch_size=3000)
    if data is not None:
        audit_record(
            actor=None,
            action="demo-load",
            obj=data,
            after={
                "enterprises": len(rows),
                "designations": len(designations),
                "figures": len(figures),
            },
        )
    _login_ensure(plan=plan, data_dir=data_dir, login=login)
    return len(rows)


def _login_ensure(*, plan: Plan, data_dir: Path, login: dict[str, Any]) -> None:
    """The demo enterprise user and its enterprise: three years of figures, one clause (the
    high-tech revenue share) away from 高新技术企业."""
    if not login.get("username"):
        return
    from nengji.accounts.demo import demo_login_ensure

    district = plan.district
    street = f"{district.code}019"  # a street of the district (行政区划代码 + 3 digits)
    first17 = f"91{district.code}MA1D3M001"
    code = first17 + uscc_check_character(first17)
    org, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENTERPRISE,
        code=code,
        parent=None,
        defaults={"name_zh": login["name_zh"], "is_demo": True},
    )
    e, created = Enterprise.objects.get_or_create(
        uscc=code,
        defaults={
            "district": district,
            "organisation": org,
            "name_zh": login["name_zh"],
            "founded_on": dt.date(2017, 6, 1),
            "industry": "I6513",
            "is_demo": True,
            "street": street
            if Street.objects.filter(district=district, code=street).exists()
            else "",
        },
    )
    if created:
        now = timezone.now()
        for k, year in enumerate((2023, 2024, 2025)):
            YearFigures.objects.create(
                enterprise=e,
                year=year,
                vintage=1,
                employees=80 + 10 * k,
                st_staff=14 + 2 * k,
                revenue=Decimal(3000 + 500 * k),
                total_assets=Decimal(4000),
                total_liabilities=Decimal(1500),
                rd_domestic=Decimal(180 + 30 * k),
                rd_foreign=Decimal(0),
                high_tech_revenue=Decimal(1650 + 250 * k),
                ip_invention_patents=2,
                ip_other_class1=0,
                ip_utility_models=4,
                ip_designs=0,
                ip_software=6,
                equity_financing=Decimal(0),
                source=YearFigures.Source.DEMO,
                recorded_at=now,
                is_demo=True,
            )
    demo_login_ensure(
        data_dir=data_dir,
        username=login["username"],
        role=Role.ENTERPRISE,
        organisation=org,
        display_name=login.get("display_name", login["username"]),
    )
