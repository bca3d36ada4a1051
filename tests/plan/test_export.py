"""`nengji plan export --format json` shape (nengji.plan.export)."""

from __future__ import annotations

import pytest

from nengji.plan.export import plan_export

pytestmark = pytest.mark.django_db


def test_export_has_areas_tasks_measures_and_indicators(plan):
    data = plan_export(plan=plan)
    assert len(data["areas"]) == 5
    tasks = [t for a in data["areas"] for t in a["tasks"]]
    assert len(tasks) == 12
    assert all(t["measures"] for t in tasks)
    assert tasks[0]["measures"][0]["title_zh"] == "打造区校融合升级版"
    indicator = next(i for i in data["indicators"] if i["baseline"]["value"] == 99.04)
    assert set(indicator) >= {"code", "name_zh", "unit", "baseline"}
    assert set(indicator["baseline"]) >= {"year", "value", "qualifier", "quote"}
    assert indicator["baseline"]["year"] == 2020
    assert "99.04" in indicator["baseline"]["quote"]
