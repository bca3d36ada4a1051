from __future__ import annotations

import pytest

from nengji.monitoring.models import Assignment, Observation, Round, Submission, Target
from tests.django_fixtures import demo_monitoring


def test_demo_is_flagged_complete_and_idempotent(client, plan, office):
    assert demo_monitoring() is True
    assert not Assignment.objects.filter(is_demo=False).exists()
    leads = set(Assignment.objects.values_list("lead__code", flat=True))
    assert {"STC", "DRC"} <= leads and len(leads) > 4
    assert Target.objects.exists() and not Target.objects.filter(is_demo=False).exists()
    years = sorted(Round.objects.filter(status="published").values_list("year", flat=True))
    assert years == [2021, 2022, 2023, 2024]
    assert Round.objects.get(year=2025).status == "open"
    assert not Observation.objects.filter(is_demo=False).exists()
    assert not Observation.objects.filter(published_at__isnull=True).exists()
    assert not Observation.objects.filter(indicator__code__contains="INDEX").exists()
    assert Submission.objects.filter(status="approved", task_status="lagging").exists()
    counts = (Assignment.objects.count(), Observation.objects.count())
    assert demo_monitoring() is False
    assert (Assignment.objects.count(), Observation.objects.count()) == counts
    page = client.get("/monitoring/published/").content.decode()
    assert "演示数据" in page
    assert any(word in page for word in ("提前实现", "符合预期", "基本符合预期", "滞后"))


def test_demo_needs_an_office_user(plan):
    with pytest.raises(RuntimeError):
        demo_monitoring()


def test_demo_key_projects_are_flagged_assigned_and_reported(client, plan, office):
    from nengji.plan.models import Section

    demo_monitoring()
    projects = Section.objects.filter(kind=Section.Kind.PROJECT)
    assert projects.count() == 2 and all(p.is_demo and "演示" in p.title_zh for p in projects)
    assert all(p.parent.code == "T06.M3" and p.origin == "office" for p in projects)
    for p in projects:
        a = Assignment.objects.get(section=p)
        assert a.is_demo
        assert Submission.objects.filter(assignment=a, status="approved").exists()
    page = client.get("/plan/").content.decode()
    assert "长阳创谷四期（演示）" in page and "演示数据" in page
