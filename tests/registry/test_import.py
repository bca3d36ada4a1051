"""Bulk import: real CSV and .xlsx files, all or nothing, errors by row and field."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from nengji.registry.errors import RegistryError
from nengji.registry.models import Designation, Enterprise, YearFigures
from nengji.registry.services.access import SYSTEM
from nengji.registry.services.imports import registry_import
from tests.registry import make

pytestmark = pytest.mark.django_db


def _csv(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = [
    "统一社会信用代码",
    "企业名称",
    "成立日期",
    "街道",
    "行业代码",
    "年份",
    "职工总数",
    "科技人员数",
    "营业收入",
]


def test_import_creates_and_records_figures(district, office):
    a, b = make.code(), make.code()
    data = _csv(
        [
            HEADER,
            [a, "甲公司", "2018-01-02", "五角场街道", "I6513", 2023, 50, 10, "1200.5"],
            [b, "乙公司", "", "", "", "", "", "", ""],
        ]
    )
    report = registry_import(district=district, data=data, filename="list.csv", by=office)
    assert (report.created, report.figures) == (2, 1)
    e = Enterprise.objects.get(uscc=a)
    assert e.street == "310110019" and e.industry == "I6513"
    f = YearFigures.objects.get(enterprise=e)
    assert (f.employees, f.source) == (50, "import")
    # the same file again changes nothing
    again = registry_import(district=district, data=data, filename="list.csv", by=office)
    assert (again.created, again.updated, again.figures, again.unchanged) == (0, 0, 0, 2)


def test_xlsx_works_the_same(district, office):
    code = make.code()
    data = _xlsx([HEADER, [code, "丙公司", None, None, None, 2022, 10, 2, 300]])
    assert registry_import(district=district, data=data, filename="x.xlsx", by=office).created == 1


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (["91310110MA1234567X", "坏码公司", "", "", "", "", "", "", ""], "uscc"),
        (["{code}", "", "", "", "", "", "", "", ""], "name_zh"),
        (["{code}", "x", "", "火星街道", "", "", "", "", ""], "street"),
        (["{code}", "x", "", "", "", 2023, 10, 11, ""], "st_staff"),
        (["{code}", "x", "", "", "", 2023, "", "", -5], "revenue"),
        (["{code}", "x", "", "", "", 2023, "", "", "=1+1"], "revenue"),
    ],
)
def test_one_bad_row_imports_nothing(district, office, row, field):
    good = [make.code(), "好公司", "", "", "", "", "", "", ""]
    bad = [c.replace("{code}", make.code()) if isinstance(c, str) else c for c in row]
    with pytest.raises(RegistryError) as err:
        registry_import(
            district=district, data=_csv([HEADER, good, bad]), filename="l.csv", by=office
        )
    detail = [d for d in err.value.detail if d.field == field]
    assert detail and detail[0].row == 3
    assert not Enterprise.objects.filter(name_zh="好公司").exists()


def test_duplicate_code_in_one_file(district, office):
    code = make.code()
    with pytest.raises(RegistryError) as err:
        registry_import(
            district=district,
            data=_csv([HEADER[:2], [code, "a"], [code, "b"]]),
            filename="l.csv",
            by=office,
        )
    assert err.value.detail[0].row == 3 and "2" in err.value.detail[0].message


def test_missing_and_unknown_columns(district, office):
    with pytest.raises(RegistryError) as err:
        registry_import(
            district=district,
            data=_csv([["企业名称", "利润"], ["a", "1"]]),
            filename="l.csv",
            by=office,
        )
    fields = {d.field for d in err.value.detail}
    assert {"uscc", "利润"} <= fields


def test_bounds_before_parsing(district, office):
    with pytest.raises(RegistryError):
        registry_import(
            district=district, data=b"x" * (10 * 1024 * 1024 + 1), filename="l.csv", by=office
        )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    with pytest.raises(RegistryError) as err:
        registry_import(district=district, data=bomb.getvalue(), filename="b.xlsx", by=office)
    assert "unpacks" in str(err.value) or "解压" in str(err.value)
    with pytest.raises(RegistryError):
        registry_import(district=district, data=b"PK\x03\x04garbage", filename="b.xlsx", by=office)


def test_dry_run_writes_nothing(district, office):
    data = _csv([HEADER[:2], [make.code(), "试运行公司"]])
    report = registry_import(
        district=district, data=data, filename="l.csv", by=office, dry_run=True
    )
    assert report.created == 1 and not Enterprise.objects.filter(name_zh="试运行公司").exists()


def test_certificate_list_by_name_and_code(district, office):
    a = make.enterprise(district, office, name="名单甲科技有限公司")
    make.enterprise(district, office, name="名单乙科技有限公司")
    header = ["企业名称", "资质类别", "证书编号", "认定日期"]
    ok = _csv([header, ["名单甲科技有限公司", "高新技术企业", "GR202331001234", "2023-11-15"]])
    report = registry_import(
        district=district, data=ok, filename="hte.csv", by=SYSTEM, kind="designations"
    )
    assert report.designations == 1
    d = Designation.objects.get(number="GR202331001234")
    assert d.enterprise == a and d.kind == "high_tech"
    ambiguous = _csv([header, ["名单科技有限公司", "高新技术企业", "GR2", "2023-11-15"]])
    with pytest.raises(RegistryError) as err:
        registry_import(
            district=district, data=ambiguous, filename="hte.csv", by=office, kind="designations"
        )
    message = err.value.detail[0].message
    assert "名单甲科技有限公司" in message and "名单乙科技有限公司" in message


def test_only_the_office_imports(district, acme_user):
    with pytest.raises(RegistryError) as err:
        registry_import(
            district=district,
            data=_csv([HEADER[:2], [make.code(), "x"]]),
            filename="l.csv",
            by=acme_user,
        )
    assert err.value.code == "permission"
