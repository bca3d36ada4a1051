"""Generate a report: read the year's evidence, build the content once, write docx, PDF or xlsx.

`report_generate` is what the CLI, the web job and tests call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone, translation

from nengji.plan.models import Plan
from nengji.reports.content.annual import annual_report
from nengji.reports.content.midterm import midterm_report
from nengji.reports.document import Report
from nengji.reports.evidence import evidence_for_year

Kind = Literal["annual", "midterm"]
Format = Literal["docx", "pdf", "xlsx"]
KINDS: dict[str, str] = {"annual": "年度监测报告", "midterm": "中期评估报告"}
FORMATS: dict[str, str] = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel"}
LANGS: dict[str, str] = {"zh": "zh-hans", "en": "en"}
Progress = Callable[[int, str], None]


class ReportError(Exception):
    """A report cannot be generated as asked (unknown kind or format, year outside the plan)."""


def _noop(_percent: int, _message: str) -> None:
    return None


def report_build(
    *,
    kind: str,
    year: int,
    plan: Plan,
    date: dt.date | None = None,
    issuer: str | None = None,
    with_charts: bool = True,
    progress: Progress | None = None,
    lang: str = "zh",
) -> Report:
    """The report's content for `year`, read from the database now, in `lang` (zh or en)."""
    step = progress or _noop
    if kind not in KINDS:
        raise ReportError(f"unknown report kind {kind!r}; choose one of {', '.join(KINDS)}")
    if lang not in LANGS:
        raise ReportError(f"unknown language {lang!r} (--lang); choose one of {', '.join(LANGS)}")
    if not plan.period_start - 1 <= year <= plan.period_end:
        raise ReportError(
            f"--year {year} is outside the plan period {plan.period_start}–{plan.period_end}"
        )
    step(5, "读取监测数据")
    with translation.override(LANGS[lang]):
        evidence = evidence_for_year(plan=plan, year=year)
        step(30, "生成图表" if with_charts else "整理内容")
        build = annual_report if kind == "annual" else midterm_report
        report = build(
            evidence,
            date=date or default_date(evidence.rounds, year=year),
            issuer=issuer,
            with_charts=with_charts,
        )
        if not with_charts:  # the workbook: every column and value for analysts
            from nengji.reports.content.workbook import indicators_sheet, series_sheet

            report.data_tables = [indicators_sheet(evidence), series_sheet(evidence)]
    report.generated_at = timezone.localtime()
    step(60, "内容已生成")
    return report


def default_date(rounds: list[Any], *, year: int) -> dt.date:
    """成文日期 when the office gives none: the date the year's round was published (the
    evaluation date the office set for the round); without one, today, but never later than the
    spring after the year (a report on 2023 is not dated 2026)."""
    published = [r.published_at for r in rounds if getattr(r, "published_at", None)]
    if published:
        return timezone.localtime(max(published)).date()
    return min(timezone.localdate(), dt.date(year + 1, 4, 30))


def render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        from nengji.reports.gbt9704 import build_docx

        return build_docx(report)
    if fmt == "pdf":
        from nengji.reports.pdf import build_pdf

        return build_pdf(report)
    if fmt == "xlsx":
        from nengji.reports.xlsx import build_xlsx

        return build_xlsx(report)
    raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def default_filename(
    *, kind: str, year: int, fmt: str, plan: Plan | None = None, lang: str = "zh"
) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if lang == "en":
        name = f"monitoring-report-{year}" if kind == "annual" else f"midterm-evaluation-{year}"
    else:
        name = f"{year}年度监测报告" if kind == "annual" else f"{year}年中期评估报告"
    return f"{name}-{stamp}.{fmt}"


def reports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_generate(
    *,
    plan: Plan,
    kind: str,
    year: int,
    fmt: str,
    by: Any = None,
    out: Path | None = None,
    issuer: str | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
    lang: str = "zh",
) -> Path:
    """Generate the report and write it to `out` (default: the data dir's reports folder).

    `by` is the user asking (None from the command line); it is recorded by the web job.
    `date` is the 成文日期 printed at the end (default: `default_date`). The file is
    written whole or not at all (a temporary file renamed into place).
    """
    step = progress or _noop
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    report = report_build(
        plan=plan,
        kind=kind,
        year=year,
        issuer=issuer,
        date=date,
        with_charts=fmt != "xlsx",
        progress=step,
        lang=lang,
    )
    step(70, f"排版 {FORMATS[fmt]} 文件")
    data = render(report, fmt)
    path = out or reports_dir() / default_filename(kind=kind, year=year, fmt=fmt, lang=lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    step(100, "完成")
    return path
