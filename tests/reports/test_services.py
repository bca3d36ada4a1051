"""Both reports in all three formats, on the test data: layout, and every number against the
database (issue 6)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from nengji.monitoring.models import Observation, Target
from nengji.plan.selectors import plan_get
from nengji.reports.services import ReportError, report_generate
from tests.django_fixtures import load_demo_panel
from tests.reports.conftest import REPORT_DATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_index(plan):
    """A stored index run on the flagged demo panel, as the cockpit shows it."""
    from nengji.indexing.services import index_run_compute

    load_demo_panel()
    return index_run_compute(plan=plan, trigger="demo")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: REPORT_DATE)


def generate(tmp_path: Path, kind: str, year: int, fmt: str) -> Path:
    return report_generate(
        plan=plan_get(code="yangpu-2021"),
        kind=kind,
        year=year,
        fmt=fmt,
        out=tmp_path / f"{kind}-{year}.{fmt}",
    )


def decimal(text: str) -> Decimal | None:
    if text == "—":
        return None
    if "—" in text:  # the plan's range "2—3": its lower end is the target judged against
        text = text.split("—")[0]
    return Decimal(text.replace(",", ""))


def columns(table) -> dict[str, int]:
    return {c.text: i for i, c in enumerate(table.rows[0].cells)}


def db_values(plan) -> dict[str, dict[str, Decimal | None]]:
    """What the database says, by indicator name: baseline, latest (year ≤ 2023), target."""
    out = {}
    for ind in plan.indicators.all():
        obs = (
            Observation.objects.filter(indicator=ind, year__lte=2023, quarter=0)
            .order_by("-year", "-vintage")
            .first()
        )
        target = Target.objects.filter(indicator=ind).first()
        stated = ind.stated_target_min if ind.stated_target_year else None
        out[ind.name_zh] = {
            "baseline": ind.baseline_value,
            "latest": obs.value if obs else None,
            "target": target.target_value if target else stated,  # the office's, else the plan's
        }
    return out


def indicator_table(document):
    return next(t for t in document.tables if t.rows[0].cells[1].text == "指标")


class TestAnnualDocx:
    def test_layout_and_numbers(self, tmp_path, plan, seeded, with_index, today) -> None:
        document = docx.Document(generate(tmp_path, "annual", 2023, "docx"))
        section = document.sections[0]
        assert round(section.page_width / Mm(1)) == 210
        assert round(section.top_margin / Mm(1), 1) == 37.0
        assert document.settings.odd_and_even_pages_header_footer
        assert document.paragraphs[0].text == plan.title_zh
        assert document.paragraphs[1].text == "2023年度实施监测报告"
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings[0] == "一、总体情况"
        assert any(h.endswith("双创综合指数") for h in headings)
        texts = "\n".join(p.text for p in document.paragraphs)
        assert "演示数据" in texts
        # 成文日期: the date the office published the year's round (not today), then the 附件
        # (each on a new page) with the data notes last
        assert texts.index("2024年3月1日") < texts.index("附件1\n")
        assert "附件4\n数据来源与说明" in texts

        expected = db_values(plan)
        table = indicator_table(document)
        col = columns(table)
        assert len(table.rows) == 1 + plan.indicators.count()
        checked = 0
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            name = cells[1]
            if name.endswith("（计算值）"):
                continue
            assert decimal(cells[col["基期值"]]) == expected[name]["baseline"]
            assert decimal(cells[col["监测值"]]) == expected[name]["latest"]
            assert decimal(cells[col["目标值"]]) == expected[name]["target"]
            checked += expected[name]["latest"] is not None
        assert checked >= 5

    def test_fonts_in_the_runs(self, tmp_path, plan, seeded, today) -> None:
        document = docx.Document(generate(tmp_path, "annual", 2023, "docx"))
        body = next(p for p in document.paragraphs if p.text.startswith("根据《"))
        fonts = body.runs[0]._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "FangSong_GB2312"
        footer = document.sections[0].footer.paragraphs[0]
        assert footer.text == "— 1 —"

    def test_a_year_with_missing_data_says_so(self, tmp_path, plan, today) -> None:
        document = docx.Document(generate(tmp_path, "annual", 2021, "docx"))
        texts = "\n".join(p.text for p in document.paragraphs)
        assert "2021年未开展监测填报轮次" in texts
        assert "尚无审核通过的监测数据" in texts
        assert "双创综合指数尚无测算结果" in texts  # no run stored: said, not faked
        table = indicator_table(document)
        col = columns(table)
        latest = {row.cells[col["监测值"]].text for row in table.rows[1:]}
        assert latest == {"—"}
        # nothing to judge: no data, except the one-off events and counts of years, which are
        # never judged by a trend
        assert {row.cells[col["评价"]].text for row in table.rows[1:]} == {
            "数据不足",
            "不作趋势评价",
        }


class TestMidtermDocx:
    def test_structure_and_placeholders(self, tmp_path, plan, seeded, today) -> None:
        document = docx.Document(generate(tmp_path, "midterm", 2023, "docx"))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert [h.split("、", 1)[1] for h in headings] == [
            "评估工作开展情况",
            "总体评价",
            "主要成效",
            "主要指标完成情况",
            "主要任务推进情况",
            "存在的问题",
            "下一步工作建议",
            "规划调整建议",
        ]
        placeholders = [p for p in document.paragraphs if p.text.startswith("【待区科委填写")]
        assert len(placeholders) >= 4
        assert all(p.runs[0]._r.rPr.find(qn("w:highlight")) is not None for p in placeholders)
        texts = "\n".join(p.text for p in document.paragraphs)
        assert "约束性指标共2项" in texts
        assert "滞后" in texts


class TestWorkbook:
    def test_one_sheet_per_table_with_units_and_sources(
        self, tmp_path, plan, seeded, with_index
    ) -> None:
        path = generate(tmp_path, "annual", 2023, "xlsx")
        document = docx.Document(generate(tmp_path, "annual", 2023, "docx"))
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[0] == "说明"
        # the analysts' two sheets, then one sheet per table of the report
        assert len(wb.sheetnames) == 1 + 2 + len(document.tables)
        sheet = next(wb[n] for n in wb.sheetnames if "指标监测" in n)
        headers = [c.value for c in sheet[2]]
        assert "评价方法" in headers and "属性" in headers
        expected = db_values(plan)
        rows = list(
            sheet.iter_rows(min_row=3, max_row=2 + plan.indicators.count(), values_only=True)
        )
        at = {key: headers.index(h) for key, h in (("baseline", "基期值"), ("latest", "监测值"))}
        for row in rows:
            name = str(row[1])
            if name.endswith("（计算值）"):
                continue
            for key, col in at.items():
                want = expected[name][key]
                assert (row[col] is None) if want is None else Decimal(str(row[col])) == want
        footer = [r[0] for r in sheet.iter_rows(min_row=3 + len(rows), values_only=True) if r[0]]
        assert any(str(v).startswith("数据来源：") for v in footer)
        assert any("演示数据" in str(v) for v in footer)
        for name in wb.sheetnames[3:]:
            assert wb[name]["A1"].value.startswith("表")


class TestPdf:
    @pytest.mark.parametrize("kind", ["annual", "midterm"])
    def test_pages_render(
        self, tmp_path, plan, seeded, with_index, today, artifacts_dir, kind
    ) -> None:
        path = generate(tmp_path, kind, 2023, "pdf")
        pdf = pdfium.PdfDocument(path)
        assert len(pdf) >= 3
        width, height = pdf[0].get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        first = pdf[0].get_textpage().get_text_range()
        assert plan.title_zh[:6] in first
        assert "— 1 —" in first
        assert "— 2 —" in pdf[1].get_textpage().get_text_range()
        out = artifacts_dir / "reports"
        out.mkdir(parents=True, exist_ok=True)
        for i in range(len(pdf)):
            image = pdf[i].render(scale=100 / 72).to_pil()
            image.save(out / f"{kind}-2023-p{i + 1}.png")
        assert (out / f"{kind}-2023-p1.png").stat().st_size > 10_000


class TestErrors:
    def test_unknown_kind_and_format(self, tmp_path, plan) -> None:
        with pytest.raises(ReportError):
            generate(tmp_path, "weekly", 2023, "docx")
        with pytest.raises(ReportError):
            generate(tmp_path, "annual", 2023, "odt")
        with pytest.raises(ReportError):
            generate(tmp_path, "annual", 1999, "docx")


def test_docx_bytes_open(tmp_path, plan, seeded) -> None:
    data = generate(tmp_path, "annual", 2023, "docx").read_bytes()
    assert docx.Document(io.BytesIO(data)).tables


class TestDataNotes:
    def test_sources_and_vintages_per_indicator(self, tmp_path, plan, seeded, today) -> None:
        from tests.reports.monitoring_data import REVISED

        document = docx.Document(generate(tmp_path, "annual", 2023, "docx"))
        table = next(t for t in document.tables if t.rows[0].cells[2].text == "版本")
        rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
        revised = seeded.indicators[REVISED].name_zh
        assert rows[revised][1:3] == ["2023", "2"]
        assert rows[revised][4] == "2024-03-31"  # the revision's publication date
        assert len(rows) == 5
        texts = "\n".join(p.text for p in document.paragraphs)
        assert f"{revised}（第2版）" in texts

    def test_progress_detail_lists_every_assigned_measure(self, tmp_path, plan, seeded) -> None:
        wb = openpyxl.load_workbook(generate(tmp_path, "annual", 2023, "xlsx"))
        sheet = next(wb[n] for n in wb.sheetnames if "任务进展明细" in n)
        rows = list(sheet.iter_rows(min_row=3, max_row=2 + len(seeded.measures), values_only=True))
        assert sorted(r[2] for r in rows) == sorted(m.title_zh for m in seeded.measures)
        assert sorted(r[4] for r in rows).count("滞后") == 2
