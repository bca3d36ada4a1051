from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.reports.document import Column, cn_number, format_value, heading_prefix, plain_number
from tests.reports.sample import sample_report


class TestCnNumber:
    @pytest.mark.parametrize(
        ("n", "text"),
        [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")],
    )
    def test_numbers(self, n: int, text: str) -> None:
        assert cn_number(n) == text

    def test_prefixes_follow_gbt9704(self) -> None:
        assert [heading_prefix(level, 3) for level in (1, 2, 3, 4)] == [
            "三、",
            "（三）",
            "3.",
            "（3）",
        ]


class TestNumbering:
    def test_levels_restart_under_a_new_parent(self) -> None:
        report = sample_report()
        headings = [b.full for b in report.blocks if hasattr(b, "level")]
        assert headings == [
            "一、总体情况",
            "（一）指标",
            "1.小节",
            "（1）细目",
            "二、第二部分",
            "（一）第二部分第一节",
        ]
        assert [t.caption for t in report.tables] == ["表1　主要指标"]
        assert [f.caption for f in report.figures] == ["图1　评价分布"]


class TestFormatValue:
    def test_missing_is_a_dash_never_zero(self) -> None:
        assert format_value(None, Column("x", kind="number")) == "—"

    def test_numbers_print_as_stored(self) -> None:
        assert format_value(Decimal("99.040000"), Column("x", kind="number")) == "99.04"
        assert format_value(Decimal("973.000000"), Column("x", kind="number")) == "973"
        assert plain_number(Decimal("123456.5")) == "123456.5"
        assert plain_number(Decimal("2345678")) == "2,345,678"
        assert plain_number(2023) == "2023"

    def test_fixed_decimals(self) -> None:
        assert format_value(261.44, Column("x", kind="number", decimals=1)) == "261.4"
