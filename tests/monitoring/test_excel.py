"""Real .xlsx round trips: the template's layout, then uploads accepted or rejected whole."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.excel import COL, DATA_SHEET, HEADERS, HELP_SHEET, META_SHEET, template_build
from nengji.monitoring.models import Submission
from tests.monitoring.helpers import fill, row_of


@pytest.fixture
def template(round_, mini):
    return template_build(round=round_, department=mini["STC"])


def test_template_layout(template, round_):
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == [DATA_SHEET, HELP_SHEET, META_SHEET]
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[3]] == HEADERS
    codes = [ws[f"{COL['code']}{r}"].value for r in range(4, ws.max_row + 1)]
    assert codes == ["HT", "RD", "M1"]  # only STC's assignments, not DRC's GDP
    assert ws.protection.sheet is True
    assert ws[f"{COL['code']}4"].protection.locked is True
    assert ws[f"{COL['value']}4"].protection.locked is False
    assert ws[f"{COL['task_status']}4"].protection.locked is True  # an indicator row
    assert ws[f"{COL['task_status']}6"].protection.locked is False  # the measure row
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"decimal", "list", "whole"}
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert "填报说明" in wb[HELP_SHEET]["A1"].value
    assert ws[f"{COL['previous']}4"].value == 100  # the baseline


def test_upload_saves_drafts_and_audits(template, round_, mini, stc):
    data = fill(
        template,
        {
            "HT": {"value": 120},
            "M1": {"task_status": "按计划推进", "percent_complete": 40, "narrative": "完成选址"},
        },
    )
    result = services.submissions_import(round=round_, department=mini["STC"], data=data, by=stc)
    assert result.updated == 2
    ht = Submission.objects.get(round=round_, assignment=mini["a1"])
    assert ht.value == 120 and ht.status == "draft" and ht.version == 2
    m1 = Submission.objects.get(round=round_, assignment=mini["a4"])
    assert (m1.task_status, m1.percent_complete) == ("on_schedule", 40)
    assert AuditEntry.objects.filter(object_type="submission", action="update").count() == 2


def test_upload_with_submit(template, round_, mini, stc):
    data = fill(template, {"HT": {"value": 120}})
    services.submissions_import(
        round=round_, department=mini["STC"], data=data, by=stc, submit=True
    )
    assert Submission.objects.get(round=round_, assignment=mini["a1"]).status == "submitted"


def test_broken_upload_changes_nothing_and_names_cells(template, round_, mini, stc):
    data = fill(
        template,
        {
            "HT": {"value": "一百二"},  # not a number
            "RD": {"value": 9},  # +260 %, no explanation
            "M1": {"task_status": "差不多", "percent_complete": 140},
        },
    )
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=data, by=stc)
    where = {(d.sheet, d.row, d.column, d.field) for d in exc.value.detail}
    assert (DATA_SHEET, row_of(template, "HT"), COL["value"], "value") in where
    assert (DATA_SHEET, row_of(template, "M1"), COL["task_status"], "task_status") in where
    assert (
        DATA_SHEET,
        row_of(template, "M1"),
        COL["percent_complete"],
        "percent_complete",
    ) in where
    assert (DATA_SHEET, row_of(template, "RD"), COL["explanation"], "explanation") in where
    assert set(Submission.objects.filter(round=round_).values_list("version", flat=True)) == {1}
    assert AuditEntry.objects.count() == before


def test_template_of_another_department_rejected(round_, mini, stc):
    drc_template = template_build(round=round_, department=mini["DRC"])
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=drc_template, by=stc)
    assert "其他轮次或部门" in str(exc.value)


def test_not_a_workbook(round_, mini, stc):
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=b"%PDF-1.4", by=stc)
    assert exc.value.detail[0].field == "file"


def test_stale_template_is_a_conflict(template, round_, mini, stc):
    s = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(submission=s, value=110, by=stc)
    data = fill(template, {"HT": {"value": 120}})
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=data, by=stc)
    assert exc.value.code == "conflict" and exc.value.detail[0].column == COL["version"]


def test_drc_cannot_upload_for_stc(template, round_, mini, drc):
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=template, by=drc)
    assert exc.value.code == "permission"


def test_errors_speak_the_active_language(template, round_, mini, stc):
    from django.utils import translation

    data = fill(template, {"HT": {"value": "abc"}})
    with pytest.raises(DomainError) as zh:
        services.submissions_import(round=round_, department=mini["STC"], data=data, by=stc)
    assert zh.value.detail[0].message == "“abc”不是数字。"
    with translation.override("en"), pytest.raises(DomainError) as en:
        services.submissions_import(round=round_, department=mini["STC"], data=data, by=stc)
    assert en.value.detail[0].message == "“abc” is not a number."


def test_oversized_upload_rejected(round_, mini, stc, monkeypatch):
    from nengji.monitoring.services import imports

    monkeypatch.setattr(imports, "MAX_WORKBOOK_BYTES", 10)
    with pytest.raises(DomainError) as exc:
        services.submissions_import(round=round_, department=mini["STC"], data=b"x" * 11, by=stc)
    assert exc.value.detail[0].field == "file"
