"""The Yangpu plan package and its reader/validator (no Django, no database)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nengji.plan.package import PackageError, PackageInvalid, PlanPackage, read_package
from nengji.plan.quotes import display_text, locate, locate_loose

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "data" / "plans" / "yangpu-2021"
SEED = REPO.parent / "shared" / "seed" / "000_a5779c3ddd0e5604.txt"


@pytest.fixture(scope="module")
def pkg() -> PlanPackage:
    return read_package(PACKAGE)


# ------------------------------------------------------------------ the shipped package


def test_shipped_package_reads_without_error(pkg: PlanPackage) -> None:
    assert pkg.meta.code == "yangpu-2021"
    assert pkg.meta.doc_number == "杨府发〔2021〕3号"
    assert pkg.meta.issuer_zh == "上海市杨浦区人民政府"
    assert str(pkg.meta.adopted_on) == "2021-06-15"
    assert str(pkg.meta.issued_on) == "2021-07-27"
    assert "第138次常务会议" in pkg.meta.adopted_at_zh
    assert (pkg.meta.period_start, pkg.meta.period_end, pkg.meta.vision_year) == (2021, 2025, 2035)
    assert "2021年6月15日区政府第138次常务会议通过" in pkg.meta.adoption_span.quote


def _spans(node: object):
    """Every ``{start, end, quote}`` mapping anywhere in loaded YAML."""
    if isinstance(node, dict):
        if {"start", "end", "quote"} <= node.keys():
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spans(value)


def test_every_span_in_the_files_equals_its_quote() -> None:
    """Read the YAML directly (not through the reader) and slice source.txt."""
    source = (PACKAGE / "source.txt").read_text(encoding="utf-8")
    count = 0
    for name in ("plan.yaml", "sections.yaml", "indicators.yaml"):
        data = yaml.safe_load((PACKAGE / name).read_text(encoding="utf-8"))
        for span in _spans(data):
            assert source[span["start"] : span["end"]] == span["quote"], (name, span)
            count += 1
    assert count > 250


def test_every_span_read_equals_its_quote(pkg: PlanPackage) -> None:
    spans = [pkg.meta.title_span, pkg.meta.doc_number_span, pkg.meta.adoption_span]
    for s in pkg.sections:
        spans += [x for x in (s.title, s.text) if x is not None]
    for i in pkg.indicators:
        spans += [x.quote for x in (i.baseline, i.stated_target) if x is not None]
    for span in spans:
        assert pkg.source_text[span.start : span.end] == span.quote


@pytest.mark.skipif(not SEED.exists(), reason="seed folder not present in this checkout")
def test_source_is_byte_identical_to_the_seed() -> None:
    assert (PACKAGE / "source.txt").read_bytes() == SEED.read_bytes()


def test_structure_counts(pkg: PlanPackage) -> None:
    kinds = [s.kind for s in pkg.sections]
    assert [s.code for s in pkg.children(None)] == [
        "NOTICE",
        "PREAMBLE",
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
        "C6",
        "ANNEX",
    ]
    assert kinds.count("chapter") == 6
    assert [a.code for a in pkg.children("C5")] == ["A1", "A2", "A3", "A4", "A5"]
    tasks = pkg.of_kind("task")
    assert [t.code for t in tasks] == [f"T{n:02d}" for n in range(1, 13)]
    assert [t.number for t in tasks] == [f"{n}." for n in range(1, 13)]
    for task in tasks:
        assert pkg.section(task.parent).kind == "area"
        measures = pkg.children(task.code)
        assert measures, task.code
        assert all(m.kind == "measure" for m in measures)
    assert [len(pkg.children(a.code)) for a in pkg.children("C5")] == [3, 2, 2, 3, 2]
    assert len(pkg.of_kind("measure")) == 33
    assert len(pkg.of_kind("term")) == 8
    assert len(pkg.of_kind("principle")) == 5
    assert len(pkg.of_kind("problem")) == 4
    assert [s.code for s in pkg.children("C1")] == [
        "C1.P1",
        "C1.P2",
        "C1.P3",
        "C1.P4",
        "C1.P5",
        "C1.Q",
    ]
    assert [s.code for s in pkg.children("C2")] == ["C2.P1", "C2.P2", "C2.P3", "C2.P4"]
    assert [s.code for s in pkg.children("C6")] == ["C6.S1", "C6.S2", "C6.S3", "C6.S4"]
    assert [s.code for s in pkg.children("G2025")] == [f"G2025.{n}" for n in range(1, 5)]
    assert pkg.section("G2035").text is not None


def test_measures_quote_their_lead_and_paragraph(pkg: PlanPackage) -> None:
    m = pkg.section("T01.M1")
    assert m.title is not None and m.text is not None
    assert m.title.quote == m.title_zh == "打造区校融合升级版"
    assert m.text.quote.startswith("打造区校融合升级版。")
    assert m.lead == "bold"
    for measure in pkg.of_kind("measure"):
        assert measure.title is not None and measure.text is not None
        assert measure.title.start == measure.text.start
        assert display_text(measure.title.quote) == measure.title_zh
        if measure.lead == "bold":
            assert pkg.source_text[measure.title.end] == "。"
    clause = [m for m in pkg.of_kind("measure") if m.lead == "clause"]
    assert {m.parent for m in clause} == {"T11", "T12"}
    assert pkg.section("T11.M1").title.quote == "拓展长三角双创示范基地联盟功能"
    assert len(pkg.children("T11")) == 3
    assert len(pkg.children("T12")) == 4


def test_principles_goals_and_terms(pkg: PlanPackage) -> None:
    assert pkg.section("C3.PR1").title.quote == "坚持区校联动，强化创新策源"
    assert pkg.section("G2025.1").title.quote == "知识型创业的生态活力显著增强"
    assert pkg.section("TERM2").title.quote == "杨浦双创综合指数"
    assert "2013 年 100 分为基期" in pkg.section("TERM2").text.quote
    assert pkg.section("C1.P1.1").title.quote == "创新机构高度集聚"
    assert pkg.section("C1.Q1").title.quote == "创新要素流动仍存障碍"


# code -> (value, qualifier, value_text, year)
FIGURES = {
    "SHUANGCHUANG_INDEX": (261.4, "exact", "261.4", 2019),
    "SHUANGCHUANG_INDEX_AVG_GROWTH": (17.4, "exact", "17.4%", 2019),
    "INVENTION_PATENTS_PER_10K": (99.04, "exact", "99.04", 2020),
    "HIGH_TECH_ENTERPRISES": (973, "exact", "973", 2020),
    "UNIVERSITIES": (10, "lower_bound", "10 余", 2020),
    "NATIONAL_UNIVERSITY_SCIENCE_PARKS": (7, "exact", "7", 2020),
    "NATIONAL_UNIVERSITY_SCIENCE_PARKS_CITY_SHARE": (54, "exact", "54%", 2020),
    "RESEARCH_INSTITUTES": (100, "lower_bound", "100 多", 2020),
    "ENGINEERING_RESEARCH_CENTERS": (21, "exact", "21", 2020),
    "ENGINEERING_RESEARCH_CENTERS_CITY_SHARE": (10, "exact", "1/10", 2020),
    "KEY_LABORATORIES": (33, "exact", "33", 2020),
    "KEY_LABORATORIES_CITY_SHARE": (20, "exact", "1/5", 2020),
    "MAKER_SPACES_MOST_FILED": (14, "exact", "14", 2020),
    "MAKER_SPACES_MOST_FILED_CITY_SHARE": (20, "exact", "1/5", 2020),
    "NEW_OVERSEAS_HIGH_LEVEL_TALENTS": (201, "exact", "201", 2020),
    "NEW_STUDENT_STARTUPS": (2322, "exact", "2322", 2020),
    "ACADEMICIANS": (66, "exact", "66", 2020),
    "ACADEMICIANS_CITY_SHARE": (33.33, "exact", "1/3", 2020),
    "NATIONAL_OVERSEAS_TALENTS_CUMULATIVE": (256, "exact", "256", 2020),
    "OVERSEAS_TALENT_STARTUPS_CUMULATIVE": (689, "exact", "689", 2020),
    "SHANGHAI_LEADING_TALENTS_CUMULATIVE": (21, "exact", "21", 2020),
    "PUJIANG_TALENTS_STARTUP_CUMULATIVE": (32, "exact", "32", 2020),
    "GOV_PARENT_FUNDS": (3, "exact", "3", 2020),
    "GOV_PARENT_FUNDS_SIZE": (96.48, "exact", "96.48", 2020),
    "SUB_FUNDS": (26, "exact", "26", 2020),
    "SUB_FUNDS_SIZE": (276, "lower_bound", "超过 276", 2020),
    "GOV_INDUSTRY_FUNDS": (4, "exact", "4", 2020),
    "GOV_INDUSTRY_FUNDS_SIZE": (130, "lower_bound", "超过 130", 2020),
    "GOV_FUNDS_INVESTEE_FIRMS": (60, "exact", "60", 2020),
    "GOV_FUNDS_INVESTMENT_BROUGHT_IN": (64, "exact", "64", 2020),
    "KNOWLEDGE_SERVICES_AVG_GROWTH": (12.8, "exact", "12.8%", 2020),
    "STRATEGIC_EMERGING_INDUSTRIES_AVG_GROWTH": (16.2, "exact", "16.2%", 2020),
    "KNOWLEDGE_SERVICES_SHARE_OF_TERTIARY": (43.9, "exact", "43.9%", 2020),
    "MNC_REGIONAL_HQ_AND_RD_CENTERS": (31, "exact", "31", 2020),
    "LISTED_COMPANIES": (104, "exact", "104", 2020),
    "SHUANGCHUANG_LITTLE_GIANTS": (39, "exact", "39", 2020),
    "TECH_SMES": (8000, "lower_bound", "8000 余", 2020),
    "AI_BIG_DATA_ENTERPRISES": (300, "lower_bound", "300 多", 2020),
    "DESIGN_SMES_TONGJI_CIRCLE": (18000, "approx", "约 1.8 万", 2020),
    "SCIENCE_PARKS": (20, "exact", "20", 2020),
    "INNOVATION_STREETS": (4, "exact", "四", 2020),
    "CROSS_PROVINCE_SERVICE_ITEMS": (88, "exact", "88", 2020),
    "MASS_INNOVATION_WEEK_2017_VISITORS": (150000, "exact", "15万", 2017),
    "STARTUP_STAR_CONTEST_ENTRANTS": (1000, "lower_bound", "1000余", 2020),
    "INTERNATIONAL_FRIENDLY_CITIES": (5, "exact", "5", 2020),
    "YRD_ALLIANCE_MEMBER_BASES": (25, "exact", "25", 2021),
}


@pytest.mark.parametrize("code", sorted(FIGURES))
def test_named_figures(pkg: PlanPackage, code: str) -> None:
    value, qualifier, value_text, year = FIGURES[code]
    ind = pkg.indicator(code)
    assert ind.baseline is not None
    assert ind.baseline.value == pytest.approx(value)
    assert ind.baseline.qualifier == qualifier
    assert ind.baseline.value_text == value_text
    assert ind.baseline.year == year
    assert value_text in ind.baseline.quote.quote


def test_indicator_details(pkg: PlanPackage) -> None:
    growth = pkg.indicator("SHUANGCHUANG_INDEX_AVG_GROWTH").baseline
    assert growth is not None and growth.period_start == 2013
    assert pkg.indicator("INVENTION_PATENTS_PER_10K").note_zh == "位居全市前列"
    assert str(pkg.indicator("HIGH_TECH_ENTERPRISES").baseline.as_of) == "2020-12-31"
    share = pkg.indicator("NATIONAL_UNIVERSITY_SCIENCE_PARKS_CITY_SHARE")
    assert (share.kind, share.unit_zh, share.share_of) == (
        "share",
        "%",
        "NATIONAL_UNIVERSITY_SCIENCE_PARKS",
    )
    target = pkg.indicator("UNIVERSITY_SCIENCE_PARK_FLAGSHIPS")
    assert target.baseline is None
    assert target.stated_target is not None
    assert (target.stated_target.value_min, target.stated_target.value_max) == (2, 3)
    assert target.stated_target.year == 2025
    codes = [i.code for i in pkg.indicators]
    assert len(codes) == len(set(codes))
    # a national figure is not a district indicator
    assert all(i.baseline is None or i.baseline.value != 137 for i in pkg.indicators)
    for ind in pkg.indicators:
        assert ind.direction in (1, -1)
        section = pkg.section(ind.section)
        assert section.text is not None


def test_departments_are_a_template(pkg: PlanPackage) -> None:
    codes = {d.code for d in pkg.departments}
    assert {"STC", "DRC", "FIN", "HRSS", "AMR", "EDU", "SASAC", "DATA"} <= codes
    assert {"BINJIANG", "DCZ", "DCG", "HTJ"} <= codes
    assert all(d.template for d in pkg.departments)
    assert {d.kind for d in pkg.departments} == {"district_body", "functional_zone"}
    stc = next(d for d in pkg.departments if d.code == "STC")
    assert stc.name_zh == "区科委"
    assert stc.line == 2


def test_dataclasses_know_where_they_came_from(pkg: PlanPackage) -> None:
    t01 = pkg.section("T01")
    lines = (PACKAGE / "sections.yaml").read_text(encoding="utf-8").splitlines()
    assert t01.file == "sections.yaml"
    assert lines[t01.line - 1] == "- code: T01"
    ind = pkg.indicator("HIGH_TECH_ENTERPRISES")
    lines = (PACKAGE / "indicators.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[ind.line - 1] == "- code: HIGH_TECH_ENTERPRISES"
    assert pkg.meta.file == "plan.yaml"


# ------------------------------------------------------------------ quotes


def test_display_text_joins_page_breaks(pkg: PlanPackage) -> None:
    m = pkg.section("T01.M1").text
    assert m is not None
    assert "基础\n\n学科" in m.quote  # the page break the seed has inside this paragraph
    clean = display_text(m.quote)
    assert "\n" not in clean
    assert "基础学科和医工交叉" in clean
    assert clean == m.quote.replace("\n\n", "")
    assert display_text(m.quote, pkg.source_text, m.start) == clean


def test_display_text_keeps_real_paragraph_breaks(pkg: PlanPackage) -> None:
    task = pkg.section("T01").text
    assert task is not None
    clean = display_text(task.quote)
    paragraphs = clean.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("打造区校融合升级版")
    assert paragraphs[1].startswith("激发高校创新溢出活力")
    preamble = display_text(pkg.section("PREAMBLE").text.quote)
    assert len(preamble.split("\n\n")) == 2


def test_display_text_of_a_quote_starting_mid_line(pkg: PlanPackage) -> None:
    title = pkg.section("T12.M2").title
    assert title is not None and "\n\n" in title.quote
    assert display_text(title.quote) == "深化与美国帕罗奥多市、意大利科莫市等友好城市建设"
    assert display_text(title.quote, pkg.source_text, title.start) == display_text(title.quote)


def test_every_multi_line_quote_displays_without_page_breaks(pkg: PlanPackage) -> None:
    """Each measure, paragraph and term is one paragraph: no break may survive display."""
    one_paragraph = {
        "measure",
        "paragraph",
        "problem",
        "principle",
        "goal_item",
        "term",
        "safeguard",
    }
    for s in pkg.sections:
        if s.kind in one_paragraph and s.text is not None:
            assert "\n" not in display_text(s.text.quote, pkg.source_text, s.text.start), s.code


def test_locate(pkg: PlanPackage) -> None:
    source = pkg.source_text
    m = pkg.section("T01.M2").title
    assert locate(source, m.quote) == [(m.start, m.end)]
    assert len(locate(source, "杨府发〔2021〕3号")) == 1
    assert locate(source, "不在原文中的句子") == []
    assert locate(source, "") == []
    clean = display_text(pkg.section("T01.M1").text.quote)
    (start, end), *_ = locate_loose(source, clean)
    assert source[start:end] == pkg.section("T01.M1").text.quote


def test_reader_does_not_import_django() -> None:
    code = (
        "import sys; import nengji.plan.package, nengji.plan.quotes; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    env_path = str(REPO / "src")
    result = subprocess.run(  # noqa: S603  fixed argv, our own interpreter
        [sys.executable, "-c", code],
        env={"PYTHONPATH": env_path},
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ broken packages


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(PACKAGE, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in ``path``; return the 1-based line where the edit starts."""
    text = path.read_text(encoding="utf-8")
    pos = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, pos) + 1


def errors_of(root: Path) -> list[PackageError]:
    with pytest.raises(PackageInvalid) as info:
        read_package(root)
    return info.value.errors


def find(errors: list[PackageError], file: str, field: str) -> PackageError:
    hits = [e for e in errors if e.file == file and e.field == field]
    assert hits, "\n".join(map(str, errors))
    return hits[0]


def test_bad_yaml_reports_its_line(broken: Path) -> None:
    sections = broken / "sections.yaml"
    line = edit(
        sections,
        "- code: T05\n  kind: task\n  parent: A2\n",
        "- code: T05\n  kind: task\n parent: A2\n",
    )
    err = find(errors_of(broken), "sections.yaml", "")
    assert err.line == line + 2
    assert "YAML syntax error" in err.message
    assert str(err).startswith(f"sections.yaml:{line + 2}: YAML syntax error")


def test_unknown_parent(broken: Path) -> None:
    line = edit(
        broken / "sections.yaml",
        "- code: T05\n  kind: task\n  parent: A2\n",
        "- code: T05\n  kind: task\n  parent: A9\n",
    )
    err = find(errors_of(broken), "sections.yaml", "T05.parent")
    assert err.line == line
    assert "unknown parent 'A9'" in err.message


def test_duplicate_code(broken: Path) -> None:
    line = edit(broken / "sections.yaml", "- code: T02\n", "- code: T01\n")
    err = find(errors_of(broken), "sections.yaml", "T01.code")
    assert err.line == line
    assert "duplicate code" in err.message


def test_mismatched_quote_suggests_the_right_offsets(broken: Path, pkg: PlanPackage) -> None:
    title = pkg.section("T01.M2").title
    old = f"title: {{start: {title.start}, end: {title.end}, "
    line = edit(
        broken / "sections.yaml", old, f"title: {{start: {title.start + 1}, end: {title.end + 1}, "
    )
    err = find(errors_of(broken), "sections.yaml", "T01.M2.title")
    assert err.line == line
    assert err.message == (
        f"quote does not match source[{title.start + 1}:{title.end + 1}] "
        f"(found at {title.start}–{title.end})"
    )


def test_quote_not_in_source(broken: Path) -> None:
    edit(broken / "sections.yaml", 'quote: "打造区校融合升级版"}', 'quote: "打造区校融合升級版"}')
    err = find(errors_of(broken), "sections.yaml", "T01.M1.title")
    assert "not found in source" in err.message


def test_span_out_of_range(broken: Path) -> None:
    edit(
        broken / "plan.yaml",
        "doc_number: {start: 16, end: 27,",
        "doc_number: {start: 16, end: 99999,",
    )
    err = find(errors_of(broken), "plan.yaml", "spans.doc_number")
    assert "out of range" in err.message


def test_non_numeric_value(broken: Path) -> None:
    line = edit(broken / "indicators.yaml", "    value: 973\n", "    value: 973家\n")
    err = find(errors_of(broken), "indicators.yaml", "HIGH_TECH_ENTERPRISES.baseline.value")
    assert err.line == line
    assert err.message == "not a number: '973家'"


def test_value_text_must_be_in_quote(broken: Path) -> None:
    line = edit(broken / "indicators.yaml", '    value_text: "973"\n', '    value_text: "974"\n')
    err = find(errors_of(broken), "indicators.yaml", "HIGH_TECH_ENTERPRISES.baseline.value_text")
    assert err.line == line


def test_csv_bad_row(broken: Path) -> None:
    csv_path = broken / "departments.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(
        text + "XYZ,某局,Some bureau,district_body,yes\nABC,只有三列,x\n", encoding="utf-8"
    )
    errors = errors_of(broken)
    lines = len(text.splitlines())
    err = find(errors, "departments.csv", "template")
    assert err.line == lines + 1
    assert "expected true or false" in err.message
    assert f"row {lines}" in err.message  # data rows are counted after the header
    short = [e for e in errors if e.file == "departments.csv" and e.line == lines + 2]
    assert short and "expected 5 columns" in short[0].message


def test_csv_duplicate_code_and_bad_header(broken: Path) -> None:
    csv_path = broken / "departments.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8") + "STC,区科委,dup,district_body,true\n",
        encoding="utf-8",
    )
    assert "duplicate code" in find(errors_of(broken), "departments.csv", "code").message
    edit(csv_path, "code,name_zh", "kode,name_zh")
    err = find(errors_of(broken), "departments.csv", "")
    assert err.line == 1 and "header" in err.message


def test_wrong_kind_under_parent_and_cycles(broken: Path) -> None:
    sections = broken / "sections.yaml"
    edit(
        sections,
        "- code: T01.M1\n  kind: measure\n  parent: T01\n",
        "- code: T01.M1\n  kind: measure\n  parent: A1\n",
    )
    edit(
        sections,
        "- code: A2\n  kind: area\n  parent: C5\n",
        "- code: A2\n  kind: area\n  parent: T04\n",
    )
    errors = errors_of(broken)
    assert "cannot sit under a area" in find(errors, "sections.yaml", "T01.M1.parent").message
    cycle = [e for e in errors if "parent cycle" in e.message]
    assert cycle, "\n".join(map(str, errors))


def test_missing_unknown_and_wrong_type_fields(broken: Path) -> None:
    sections = broken / "sections.yaml"
    edit(sections, "- code: T03\n  kind: task\n", "- code: T03\n  colour: red\n  kind: task\n")
    edit(
        sections,
        "- code: T04\n  kind: task\n  parent: A2\n  order: 1\n",
        "- code: T04\n  kind: task\n  parent: A2\n  order: first\n",
    )
    edit(broken / "indicators.yaml", '  unit_en: "enterprises"\n', "")
    errors = errors_of(broken)
    assert find(errors, "sections.yaml", "T03.colour").message == "unknown field"
    assert "expected an integer" in find(errors, "sections.yaml", "T04.order").message
    missing = [e for e in errors if e.file == "indicators.yaml" and e.field.endswith(".unit_en")]
    assert missing and missing[0].message == "missing field"


def test_unknown_section_and_share_of_references(broken: Path) -> None:
    ind = broken / "indicators.yaml"
    edit(ind, "  section: C1.P1.1\n", "  section: C1.P9\n")
    edit(ind, "  share_of: KEY_LABORATORIES\n", "  share_of: KEY_LABS\n")
    errors = errors_of(broken)
    assert "unknown section" in find(errors, "indicators.yaml", "UNIVERSITIES.section").message
    assert (
        "unknown indicator"
        in find(errors, "indicators.yaml", "KEY_LABORATORIES_CITY_SHARE.share_of").message
    )


def test_all_errors_are_collected_across_files(broken: Path) -> None:
    edit(broken / "sections.yaml", "- code: T02\n", "- code: T01\n")
    edit(broken / "indicators.yaml", "    value: 973\n", "    value: lots\n")
    (broken / "departments.csv").write_text(
        (broken / "departments.csv").read_text(encoding="utf-8") + "bad code,x,y,zone,true\n",
        encoding="utf-8",
    )
    errors = errors_of(broken)
    assert {e.file for e in errors} >= {"sections.yaml", "indicators.yaml", "departments.csv"}
    assert len(errors) >= 4


def test_missing_file(broken: Path) -> None:
    (broken / "indicators.yaml").unlink()
    err = find(errors_of(broken), "indicators.yaml", "")
    assert err.message == "file not found"


def test_empty_file_and_names_outside_the_package(broken: Path) -> None:
    (broken / "sections.yaml").write_text("# nothing yet\n", encoding="utf-8")
    edit(
        broken / "plan.yaml",
        "  departments: departments.csv\n",
        "  departments: ../../etc/passwd\n",
    )
    errors = errors_of(broken)
    assert find(errors, "sections.yaml", "").message == "empty file"
    assert find(errors, "plan.yaml", "files.departments").message == "must be a file name"


def test_duplicate_yaml_key(broken: Path) -> None:
    line = edit(
        broken / "sections.yaml",
        "- code: T07\n  kind: task\n",
        "- code: T07\n  kind: task\n  kind: area\n",
    )
    err = find(errors_of(broken), "sections.yaml", "kind")
    assert err.line == line + 2
    assert err.message == "duplicate key in mapping"


def test_errors_in_a_parent_do_not_orphan_its_children(broken: Path) -> None:
    edit(broken / "sections.yaml", "- code: T07\n  kind: task\n", "- code: T07\n  kind: tusk\n")
    errors = errors_of(broken)
    assert "unknown kind 'tusk'" in find(errors, "sections.yaml", "T07.kind").message
    assert not [e for e in errors if e.field.startswith("T07.M")], "\n".join(map(str, errors))


def test_display_helper(pkg: PlanPackage) -> None:
    assert pkg.display(pkg.section("T01.M1").text) == display_text(pkg.section("T01.M1").text.quote)


def test_error_string_format() -> None:
    err = PackageError("sections.yaml", 123, "T01.M2.title", "quote does not match source[1:2]")
    assert str(err) == "sections.yaml:123: T01.M2.title: quote does not match source[1:2]"
    assert str(PackageError("departments.csv", None, "", "file not found")) == (
        "departments.csv: file not found"
    )
    exc = PackageInvalid([err])
    assert "sections.yaml:123" in str(exc)
