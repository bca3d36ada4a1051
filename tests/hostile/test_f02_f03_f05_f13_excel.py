"""Findings 2, 3, 5 and 13: Excel uploads.

2  a decompression bomb is refused from the zip's directory, before openpyxl reads it;
3  no more rows are read than the template has, the error list is capped (with the count),
   and the file is parsed before the write transaction opens;
5  a fresh template still uploads after some of its reports were submitted or approved
   (unchanged rows of reports that cannot change are skipped, and reported as skipped);
13 a changed 类型 cell, a cleared version cell and a formula without a cached value are each
   a clear error (a missing version is a conflict), never a 500 or a silent overwrite."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from nengji.core.errors import DomainError
from nengji.monitoring import services
from nengji.monitoring.excel import COL, DATA_SHEET, FIRST_ROW, template_build
from nengji.monitoring.models import Submission
from tests.monitoring.helpers import fill, row_of


@pytest.fixture
def template(round_, mini):  # type: ignore[no-untyped-def]
    return template_build(round=round_, department=mini["STC"])


def _import(round_, mini, stc, data, **kw):  # type: ignore[no-untyped-def]
    return services.submissions_import(
        round=round_, department=mini["STC"], data=data, by=stc, **kw
    )


def _rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    """The workbook with entries added (or replaced)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename not in extra:
                dst.writestr(item, src.read(item.filename))
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


# --- finding 2 -------------------------------------------------------------------------------
def test_decompression_bomb_refused_before_parsing(template, round_, mini, stc, settings):
    settings.NENGJI_XLSX_MAX_UNCOMPRESSED = 4 * 1024 * 1024
    bomb = _rezip(template, {"xl/sharedStrings.xml": b"<" + b"0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, bomb)
    assert exc.value.by_field().keys() == {"file"}
    assert "MB" in exc.value.detail[0].message


def test_high_ratio_and_many_entries_refused(template, round_, mini, stc):
    ratio = _rezip(template, {"xl/media/pad.bin": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, ratio)
    assert exc.value.by_field().keys() == {"file"}
    many = _rezip(template, {f"xl/pad/{i}.xml": b"x" for i in range(2000)})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, many)
    assert exc.value.by_field().keys() == {"file"}


def test_not_a_zip_is_a_clear_error(round_, mini, stc):
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, b"PK\x03\x04 not really")
    assert exc.value.by_field().keys() == {"file"}


# --- finding 3 -------------------------------------------------------------------------------
def _with_junk_rows(template: bytes, n: int) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb[DATA_SHEET]
    start = ws.max_row + 1
    for r in range(start, start + n):
        ws.cell(row=r, column=1, value=900000 + r)
        ws.cell(row=r, column=2, value="指标")
        ws.cell(row=r, column=7, value="junk")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_rows_beyond_the_template_are_not_read(template, round_, mini, stc):
    data = _with_junk_rows(fill(template, {"HT": {"value": 120}}), 3000)
    result = _import(round_, mini, stc, data)
    assert result.updated == 1


def test_error_list_is_capped_with_the_count(template, round_, mini, stc, monkeypatch):
    from nengji.monitoring.services import imports

    monkeypatch.setattr(imports, "MAX_ERRORS", 2)
    data = fill(
        template,
        {"HT": {"value": "abc"}, "RD": {"value": "x"}, "M1": {"percent_complete": "many"}},
    )
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, data)
    detail = exc.value.detail
    assert len(detail) == 3
    assert "3" in detail[-1].message  # "… 3 errors in all; the first 2 are listed"


def test_a_bad_file_is_refused_without_a_write_transaction(round_, mini, stc):
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError):
        _import(round_, mini, stc, b"not a workbook")
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("UPDATE", "INSERT")]
    assert writes == []
    assert not any("FOR UPDATE" in q["sql"] for q in queries)


# --- finding 5 -------------------------------------------------------------------------------
def test_fresh_template_uploads_after_a_report_was_submitted(round_, mini, stc, office):
    ht = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(submission=ht, by=stc, value=120)
    services.submission_submit(submission=ht, by=stc)
    fresh = template_build(round=round_, department=mini["STC"])
    data = fill(
        fresh, {"M1": {"task_status": "按计划推进", "percent_complete": 40, "narrative": "选址"}}
    )
    result = _import(round_, mini, stc, data)
    assert (result.updated, result.skipped) == (1, 1)
    ht.refresh_from_db()
    assert ht.status == Submission.Status.SUBMITTED and ht.value == 120
    services.submission_approve(submission=ht, by=office)
    result = _import(round_, mini, stc, template_build(round=round_, department=mini["STC"]))
    assert result.skipped == 1


def test_a_changed_row_of_a_submitted_report_is_still_an_error(round_, mini, stc):
    ht = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(submission=ht, by=stc, value=120)
    services.submission_submit(submission=ht, by=stc)
    data = fill(template_build(round=round_, department=mini["STC"]), {"HT": {"value": 999}})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, data)
    assert exc.value.by_field().keys() == {"status"}


# --- finding 13 ------------------------------------------------------------------------------
def test_changed_type_cell_is_a_clear_error(template, round_, mini, stc):
    data = fill(template, {"HT": {"type": "任务", "value": 120}})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, data)
    d = exc.value.detail[0]
    assert (d.field, d.column, d.row) == ("type", COL["type"], row_of(template, "HT"))


def test_changed_type_cell_through_the_api_is_400(as_user, stc, yp):
    from nengji.api.monitoring import XLSX  # noqa: F401 - the endpoint's content type

    api = as_user(stc)
    tpl = api.get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx").content
    data = fill(tpl, {"T01.M1": {"type": "指标", "value": 1}})
    upload = io.BytesIO(data)
    upload.name = "t.xlsx"
    r = api.post(f"/monitoring/rounds/{yp['round'].pk}/upload", files={"file": upload})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "type"


def test_cleared_version_is_a_conflict(template, round_, mini, stc):
    ht = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(submission=ht, by=stc, value=110)  # a newer web edit
    data = fill(template, {"HT": {"value": 120, "version": None}})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, data)
    assert exc.value.code == "conflict" and "version" in exc.value.by_field()
    ht.refresh_from_db()
    assert ht.value == 110


def test_formula_without_cached_value_is_an_error(template, round_, mini, stc):
    data = fill(template, {"HT": {"value": "=100+20"}})
    with pytest.raises(DomainError) as exc:
        _import(round_, mini, stc, data)
    d = exc.value.detail[0]
    assert (d.field, d.column) == ("value", COL["value"])
    assert Submission.objects.get(round=round_, assignment=mini["a1"]).value is None


def test_text_typed_as_text_is_read_as_text(template, round_, mini, stc):
    data = fill(
        template,
        {"M1": {"narrative": "进展顺利", "task_status": "按计划推进", "percent_complete": 10}},
    )
    wb = load_workbook(io.BytesIO(data))
    cell = wb[DATA_SHEET][f"{COL['narrative']}{FIRST_ROW + 2}"]
    cell.value = "=SUM 不是公式"
    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    _import(round_, mini, stc, buf.getvalue())
    m1 = Submission.objects.get(round=round_, assignment=mini["a4"])
    assert m1.narrative == "=SUM 不是公式"
