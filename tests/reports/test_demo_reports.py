"""Issue 6 "done means": on the monitoring demo data, both reports in all three formats, with
the indicator table equal to the database and the demo flag shown."""

from __future__ import annotations

from decimal import Decimal

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest

from nengji.monitoring.models import Observation, Target
from nengji.plan.selectors import plan_get
from nengji.reports.services import report_generate
from tests.django_fixtures import demo_monitoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(plan, office_user):
    assert demo_monitoring(by=office_user)
    return plan


def expected(plan, year: int) -> dict[str, tuple[Decimal | None, ...]]:
    out = {}
    for ind in plan.indicators.all():
        obs = (
            Observation.objects.filter(indicator=ind, year__lte=year, quarter=0)
            .order_by("-year", "-vintage")
            .first()
        )
        target = Target.objects.filter(indicator=ind).first()
        # the office's target, else the one the plan's text states (issue 10: "2–3 示范园")
        stated = ind.stated_target_min if ind.stated_target_year else None
        out[ind.name_zh] = (
            ind.baseline_value,
            obs.value if obs else None,
            target.target_value if target else stated,
        )
    return out


def number(text: str | float | None) -> Decimal | None:
    if text is None or text == "—":
        return None
    if isinstance(text, str) and "—" in text:  # the plan's range "2—3": its lower end
        text = text.split("—")[0]
    return Decimal(str(text).replace(",", ""))


@pytest.mark.parametrize(("kind", "year"), [("annual", 2024), ("midterm", 2023)])
def test_both_reports_on_the_demo_data(tmp_path, demo, kind: str, year: int, artifacts_dir):
    paths = {
        fmt: report_generate(
            plan=plan_get(code="yangpu-2021"),
            kind=kind,
            year=year,
            fmt=fmt,
            out=tmp_path / f"{kind}.{fmt}",
        )
        for fmt in ("docx", "pdf", "xlsx")
    }
    want = expected(demo, year)
    assert sum(1 for v in want.values() if v[1] is not None) > 30

    document = docx.Document(paths["docx"])
    assert any("演示数据" in p.text for p in document.paragraphs[:5])
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "指标")
    header = [c.text for c in table.rows[0].cells]
    at = [header.index(h) for h in ("基期值", "监测值", "目标值")]
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if cells[1].endswith("（计算值）"):  # the index, computed from the panel (test_signable)
            continue
        got = tuple(number(cells[i]) for i in at)
        assert got == want[cells[1]], cells

    wb = openpyxl.load_workbook(paths["xlsx"])
    sheet = next(wb[n] for n in wb.sheetnames if "指标监测" in n)
    for row in sheet.iter_rows(min_row=3, max_row=2 + len(want), values_only=True):
        if str(row[1]).endswith("（计算值）"):
            continue
        got = tuple(number(row[i]) for i in at)
        assert got == want[str(row[1])], row

    pdf = pdfium.PdfDocument(paths["pdf"])
    assert len(pdf) >= 5
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "演示数据" in text
    out = artifacts_dir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    pdf[0].render(scale=100 / 72).to_pil().save(out / f"demo-{kind}-{year}-p1.png")
