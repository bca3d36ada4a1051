"""Findings 7 and 8: user text became live formulas in exports; control characters broke
exports for everyone.

Every cell from user input is text in xlsx (a string cell, never a formula) and in CSV (an
apostrophe before a formula-looking start); characters XML cannot hold are dropped at input
and never break an export, even when they are already in the database."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from nengji.monitoring import services
from nengji.monitoring.excel import COL, DATA_SHEET, FIRST_ROW
from nengji.monitoring.models import Submission
from nengji.plan import services as plan_services
from nengji.portal.models import Comment
from nengji.portal.services import comment_moderate, comment_post

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1-1"]


def _approved_comment(plan, office, text):  # type: ignore[no-untyped-def]
    c = comment_post(plan=plan, text=text, client="k", name="=1+1")
    return comment_moderate(comment=c, approve=True, by=office)


def _all_cells(book):  # type: ignore[no-untyped-def]
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_is_text_in_xlsx_and_csv(client, plan, office_user, text):
    _approved_comment(plan, office_user, text)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/open-data/comments.xlsx").content))
    cells = list(_all_cells(book))
    assert not [c for c in cells if c.data_type == "f"], "a formula cell in the export"
    assert text in [c.value for c in cells]  # the text itself, exactly
    rows = list(csv.reader(io.StringIO(client.get("/open-data/comments.csv").content.decode())))
    fields = [f for row in rows for f in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r") and f != "-"]
    assert "'" + text in fields


def test_control_characters_dropped_at_input(plan, office_user):
    c = _approved_comment(plan, office_user, "意见\x01内容\x0b")
    assert Comment.objects.get(pk=c.pk).text == "意见内容"


def test_control_characters_already_stored_never_break_the_export(client, plan, office_user):
    c = _approved_comment(plan, office_user, "意见")
    Comment.objects.filter(pk=c.pk).update(text="坏\x01数据\x0b")  # rows from before the fix
    r = client.get("/open-data/comments.xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "坏数据" in [cell.value for cell in _all_cells(book)]


def test_template_writes_key_project_titles_and_narratives_as_text(as_user, office, stc, yp):
    task = yp["plan"].sections.get(code="T01.M1").parent
    kp = plan_services.key_project_save(
        plan=yp["plan"], parent=task, by=office, code="KP-EVIL", title_zh='=HYPERLINK("x")'
    )
    services.assignment_set(plan=yp["plan"], section=kp, lead=yp["STC"], by=office)
    services.submission_create(round=yp["round"], assignment=kp.assignments.get(), by=office)
    sub = Submission.objects.get(round=yp["round"], assignment=yp["a_m"], sequence=1)
    services.submission_save(submission=sub, by=stc, narrative="=1+2 进展\x0b说明")
    r = as_user(stc).get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = book[DATA_SHEET]
    assert not [c for c in _all_cells(book) if c.data_type == "f"]
    values = [c.value for c in _all_cells(book)]
    assert '=HYPERLINK("x")' in values and "=1+2 进展说明" in values
    narrative_col = openpyxl.utils.column_index_from_string(COL["narrative"])
    assert any(
        ws.cell(row=r, column=narrative_col).value == "=1+2 进展说明"
        for r in range(FIRST_ROW, ws.max_row + 1)
    )
