"""The change rule's reference value: same frequency, earlier period, latest vintage."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from nengji.monitoring.models import Observation
from nengji.monitoring.validation import check_indicator_value, plain, previous_value


def obs(ind, year, quarter, value, vintage=1, published=True):  # type: ignore[no-untyped-def]
    return Observation.objects.create(
        indicator=ind,
        year=year,
        quarter=quarter,
        value=Decimal(value),
        vintage=vintage,
        source="external",
        recorded_at=timezone.now(),
        published_at=timezone.now() if published else None,
    )


def test_previous_value(mini):
    a, ind = mini["a1"], mini["i1"]
    assert previous_value(a, year=2021) == 100  # the baseline
    obs(ind, 2021, 0, "110")
    obs(ind, 2021, 0, "111", vintage=2)
    obs(ind, 2022, 0, "130", published=False)
    obs(ind, 2022, 1, "30")
    obs(ind, 2022, 2, "70")
    assert previous_value(a, year=2022) == 111  # latest vintage of the last published year
    assert previous_value(a, year=2023) == 111  # 2022 not published
    assert previous_value(a, year=2022, quarter=2) == 30  # quarters compare with quarters
    assert previous_value(a, year=2022, quarter=1) == 100  # no earlier quarter: baseline
    assert previous_value(mini["a4"], year=2022) is None  # a measure has no value


def test_change_rule_with_zero_previous(mini):
    a = mini["a1"]
    errors = check_indicator_value(
        assignment=a, value=Decimal(1), explanation="", previous=Decimal(0), change_threshold=0.5
    )
    assert [e.field for e in errors] == ["explanation"]
    assert (
        check_indicator_value(
            assignment=a,
            value=Decimal(0),
            explanation="",
            previous=Decimal(0),
            change_threshold=0.5,
        )
        == []
    )


def test_plain_numbers():
    assert plain(Decimal("973.000000")) == "973"
    assert plain(Decimal("2.500000")) == "2.5"
    assert plain(Decimal("1E+3")) == "1000"
