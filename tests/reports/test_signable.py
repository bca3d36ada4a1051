"""Issue 10: reports a plan office can sign, on a demo that tells a coherent story.

Read the generated files as an office would: whole counts, the method of each rating, the plan's
own target, the index in the text equal to its table, rows that never split, honest core
properties, a sensible 成文日期, the English version, and the analysts' workbook.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from docx.oxml.ns import qn

from nengji.index.examples import build_example_index
from nengji.indexing.services import index_run_ensure
from nengji.monitoring.demo import WHOLE_UNITS
from nengji.monitoring.models import Assignment, Observation
from nengji.plan.selectors import plan_get
from nengji.reports.services import ReportError, report_generate
from tests.django_fixtures import demo_monitoring, load_demo_panel

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def story(plan, office_user):
    """The whole demo story, as `nengji demo` makes it: history, panel, the index run."""
    assert demo_monitoring(by=office_user)
    load_demo_panel()
    index_run_ensure(plan=plan, trigger="demo")
    return plan_get(code="yangpu-2021")


def test_computed_demo_index_reproduces_the_published_figures():
    scores = build_example_index().scores.xs("YANGPU")["SHUANGCHUANG_INDEX"]
    assert scores.loc[2013] == pytest.approx(100.0)
    assert abs(scores.loc[2019] - 261.4) < 0.5
    growth = (scores.loc[2019] / scores.loc[2013]) ** (1 / 6) - 1
    assert round(growth * 100, 1) == 17.4


def test_demo_values_respect_units_and_events(story):
    values = Observation.objects.filter(indicator__plan=story, is_demo=True).select_related(
        "indicator"
    )
    assert values.count() > 300
    for obs in values:
        if obs.indicator.unit_zh in WHOLE_UNITS:
            assert obs.value == obs.value.to_integral_value(), (obs.indicator.code, obs.value)
        if obs.indicator.unit_zh.strip() == "%":
            assert 0 <= obs.value <= 100, (obs.indicator.code, obs.value)
    years = Observation.objects.filter(
        indicator__code="STARTUP_STAR_CONTEST_YEARS", year__gte=2021
    ).order_by("year")
    assert [int(o.value) for o in years] == [6, 7, 8, 9]  # one more each year
    # the 2017 event is a fact of the past, not monitored against 2025
    assert not Assignment.objects.filter(
        plan=story, indicator__code="MASS_INNOVATION_WEEK_2017_VISITORS"
    ).exists()
    # the reports and the index read the same demo values for the index's indicators
    assert Observation.objects.get(
        indicator__code="HIGH_TECH_ENTERPRISES", year=2023, is_demo=True
    ).value == Decimal(1323)


def test_demo_leads_follow_what_each_measure_is_about(story):
    leads = {
        a.section.code: a.lead.code
        for a in Assignment.objects.filter(plan=story, section__isnull=False).select_related(
            "section", "lead"
        )
    }
    assert leads["T08.M2"] == "CAST"  # 营造创新创业文化氛围
    assert leads["T07.M1"] == "STC"  # 推动大学科技园高质量发展
    assert leads["T09.M1"] == "TALENT"
    assert leads["T10.M1"] == "FINO"


def _table(document, first_header: str):  # type: ignore[no-untyped-def]
    for t in document.tables:
        if [c.text for c in t.rows[0].cells][:2] == ["序号", first_header]:
            return t
    raise AssertionError(f"no table starting 序号 | {first_header}")


def _rows(table):  # type: ignore[no-untyped-def]
    header = [c.text for c in table.rows[0].cells]
    return [dict(zip(header, [c.text for c in r.cells], strict=True)) for r in table.rows[1:]]


@pytest.mark.parametrize(("kind", "year"), [("midterm", 2023), ("annual", 2024)])
def test_the_docx_an_office_can_sign(tmp_path, story, kind, year, artifacts_dir):
    path = report_generate(
        plan=story, kind=kind, year=year, fmt="docx", out=tmp_path / f"{kind}.docx"
    )
    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    units = {i.name_zh: i for i in story.indicators.all()}
    rows = _rows(_table(document, "指标"))
    assert len(rows) == story.indicators.count()
    for row in rows:
        ind = units[row["指标"].removesuffix("（计算值）")]
        for column in ("基期值", "监测值", "目标值"):
            if ind.unit_zh in WHOLE_UNITS and row[column] != "—" and "—" not in row[column]:
                assert "." not in row[column], (ind.code, column, row[column])
        # the method of each rating, from the indicator's kind: no growth rate for a share
        assert (
            row["评价方法"]
            == {"cagr": "年均增速", "linear": "年均变化", "none": "是否达标"}[ind.progress_method]
        ), ind.code
        assert row["属性"] in ("预期性", "约束性", "—")
    by_name = {r["指标"]: r for r in rows}
    assert by_name["具有一定影响力和品牌效应的大学科技园示范园数"]["目标值"] == "2—3"
    visitors = by_name["2017年全国双创活动周主会场参观人次"]
    assert visitors["评价"] == "不作趋势评价"
    # the index: the text says the value that 表 prints, and the published 2019 figure agrees
    index_row = by_name["杨浦双创综合指数（计算值）"]
    assert index_row["监测年份"] == str(year)
    assert f"杨浦双创综合指数为{index_row['监测值']}" in text
    assert "数据不足" not in index_row["评价"]
    assert "261.4" in text
    # one set of rating words, sentences without formulas
    for word in ("进展良好", "进展一般", "R=", "按方向调整", "nengji 指数引擎"):
        assert word not in text
    for heading in ("评估工作开展情况", "评估方法", "主要成效", "存在的问题", "规划调整建议"):
        if kind == "midterm":
            assert heading in text
    assert "附件：" in text and "附件1" in text
    # layout: no row split across pages, header rows repeated, short tables kept together
    for table in document.tables:
        for r, row in enumerate(table.rows):
            tr_pr = row._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
            if r == 0:
                assert tr_pr.find(qn("w:tblHeader")) is not None
        first = table.rows[0].cells[0].paragraphs[0].paragraph_format
        assert first.keep_with_next  # the header never stays alone at a page foot
    props = document.core_properties
    assert props.author == "上海市杨浦区科学技术委员会"
    created = props.created
    assert created is not None
    if created.tzinfo is None:  # python-docx reads W3CDTF "Z" as naive UTC in some versions
        created = created.replace(tzinfo=dt.UTC)
    assert abs(created - timezone.now()) < dt.timedelta(hours=1)
    assert props.keywords == "演示数据"
    # 成文日期: the date the year's round was published, not today
    assert f"{year + 1}年4月30日" in text
    _render(path, artifacts_dir, f"{kind}-{year}-zh")


def _render(path, artifacts_dir, stem: str) -> None:  # type: ignore[no-untyped-def]
    """Every page as PNG (LibreOffice → PDF → pdfium), kept as test artefacts to look at."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return
    out = artifacts_dir / "reports" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - LibreOffice on our own file
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pdfium.PdfDocument(path.with_suffix(".pdf"))
    assert len(pdf) >= 8
    for i in range(len(pdf)):
        pdf[i].render(scale=60 / 72).to_pil().save(out / f"{stem}-p{i + 1:02d}.png")


def test_english_report(tmp_path, story, artifacts_dir):
    path = report_generate(
        plan=story, kind="midterm", year=2023, fmt="docx", lang="en", out=tmp_path / "en.docx"
    )
    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Mid-term evaluation" in text
    assert "1 How the evaluation was done" in text
    assert "DEMO DATA" in text
    assert "High-tech enterprises" in "\n".join(
        c.text for t in document.tables for c in t.columns[1].cells
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings and not any(CJK.search(h) for h in headings), headings
    assert document.core_properties.language == "en-GB"
    _render(path, artifacts_dir, "midterm-2023-en")


def test_workbook_for_analysts(tmp_path, story):
    path = report_generate(
        plan=story, kind="annual", year=2024, fmt="xlsx", out=tmp_path / "annual.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    ws = next(wb[n] for n in wb.sheetnames if "指标明细" in n)
    header = [c.value for c in ws[2]]
    for column in (
        "指标代码",
        "责任部门",
        "属性",
        "方向",
        "评价方法代码",
        "单位",
        "实际进度",
        "进度比",
    ):
        assert column in header, column
    assert ws.auto_filter.ref and ws.freeze_panes == "A3" and ws.print_title_rows
    codes = [ws.cell(r, 1).value for r in range(3, 3 + story.indicators.count())]
    assert "HIGH_TECH_ENTERPRISES" in codes
    ratio_col = header.index("进度比") + 1
    assert any(isinstance(ws.cell(r, ratio_col).value, float) for r in range(3, 50))
    series = next(wb[n] for n in wb.sheetnames if "数据序列" in n)
    head = [c.value for c in series[2]]
    published = head.index("发布日期") + 1
    years = {series.cell(r, 3).value for r in range(3, series.max_row) if series.cell(r, 1).value}
    assert {2013, 2020, 2024} <= years  # the whole series, not only the latest value
    assert isinstance(series.cell(3, published).value, dt.datetime)


def test_bad_year_names_the_option_and_writes_nothing(tmp_path, story):
    out = tmp_path / "x.docx"
    with pytest.raises(ReportError, match="--year"):
        report_generate(plan=story, kind="annual", year=2031, fmt="docx", out=out)
    assert not out.exists()
    with pytest.raises(ReportError, match="--lang"):
        report_generate(plan=story, kind="annual", year=2023, fmt="docx", lang="fr", out=out)
    assert not out.exists()
