"""`nengji report` with click's runner against the test database, and once from a clean shell."""

from __future__ import annotations

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from nengji.cli.report import report


@pytest.mark.django_db
class TestReportCommand:
    def test_annual_docx(self, tmp_path, plan) -> None:
        out = tmp_path / "a.docx"
        result = CliRunner().invoke(
            report,
            [
                *("annual", "--year", "2023", "--format", "docx", "--out", str(out)),
                *("--date", "2024-03-28", "--issuer", "杨浦区规划办"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert str(out) in result.output
        document = docx.Document(out)
        assert document.paragraphs[1].text == "2023年度实施监测报告"
        texts = [p.text for p in document.paragraphs if p.text]
        signed = texts.index("杨浦区规划办")
        assert texts[signed + 1] == "2024年3月28日"
        assert texts[signed + 2] == "附件1"  # the 附件 follow the signature, each on a new page

    def test_midterm_xlsx(self, tmp_path, plan) -> None:
        out = tmp_path / "m.xlsx"
        result = CliRunner().invoke(
            report, ["midterm", "--year", "2023", "--format", "xlsx", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert openpyxl.load_workbook(out).sheetnames[0] == "说明"

    def test_a_year_outside_the_plan_is_an_error(self, tmp_path, plan) -> None:
        result = CliRunner().invoke(
            report, ["annual", "--year", "1990", "--out", str(tmp_path / "x")]
        )
        assert result.exit_code != 0
        assert "outside the plan period" in result.output
