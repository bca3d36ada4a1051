"""Loading the Yangpu package into the database (nengji.plan.loader)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nengji.plan.loader import plan_load
from nengji.plan.models import Department, Indicator, Plan, Section
from nengji.plan.package import PackageInvalid, read_package
from nengji.plan.packages import package_path

pytestmark = pytest.mark.django_db


def test_plan_loaded_with_five_areas_and_twelve_tasks(plan):
    areas = plan.sections.filter(kind=Section.Kind.AREA)
    tasks = plan.sections.filter(kind=Section.Kind.TASK)
    assert areas.count() == 5
    assert tasks.count() == 12
    for task in tasks:
        assert task.parent.kind == Section.Kind.AREA
        assert task.children.filter(kind=Section.Kind.MEASURE).exists(), task.code
    assert plan.doc_number == "杨府发〔2021〕3号"
    assert (plan.period_start, plan.period_end, plan.vision_year) == (2021, 2025, 2035)


def test_every_stored_span_equals_its_quote(plan):
    text = plan.source_text
    for s in plan.sections.all():
        if s.title_start is not None:
            assert text[s.title_start : s.title_end] == s.title_quote, s.code
        if s.text_start is not None:
            assert text[s.text_start : s.text_end] == s.text_quote, s.code
    indicators = list(plan.indicators.all())
    assert all(
        i.baseline_start is not None or i.stated_target_start is not None for i in indicators
    )
    for i in indicators:
        if i.baseline_start is not None:
            assert text[i.baseline_start : i.baseline_end] == i.baseline_quote, i.code
        if i.stated_target_start is not None:
            assert text[i.stated_target_start : i.stated_target_end] == i.stated_target_quote


def test_reload_of_same_package_changes_nothing(plan):
    before = list(plan.sections.values_list("id", "code"))
    report = plan_load(package=read_package(package_path("yangpu-2021")))
    assert report.changed is False
    assert list(Plan.objects.get().sections.values_list("id", "code")) == before


def test_changed_package_reloads_in_place(plan, tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(package_path("yangpu-2021"), copy)
    plan_yaml = copy / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    assert "\ntitle_en: Yangpu" in text
    plan_yaml.write_text(text.replace("\ntitle_en: Yangpu", "\ntitle_en: Edited Yangpu"), "utf-8")
    ids_before = set(plan.sections.values_list("id", flat=True))
    report = plan_load(package=read_package(copy))
    assert report.changed is True
    plan.refresh_from_db()
    assert plan.title_en.startswith("Edited")
    assert set(plan.sections.values_list("id", flat=True)) == ids_before  # updated, not recreated


def test_key_baselines_are_loaded(plan):
    patents = Indicator.objects.get(baseline_value_text__contains="99.04")
    assert patents.baseline_year == 2020
    assert str(patents.baseline_value.normalize()) == "99.04"
    smes = Indicator.objects.get(baseline_value_text__contains="8000")
    assert smes.baseline_qualifier == Indicator.Qualifier.LOWER_BOUND


def test_departments_are_a_template_and_office_edits_survive_reload(plan):
    assert Department.objects.exists()
    assert not Department.objects.filter(is_template=False).exists()
    stc = Department.objects.get(code="STC")
    stc.name_en = "Science and Technology Commission (edited)"
    stc.save()
    Plan.objects.update(package_sha256="")  # force a full reload
    plan_load(package=read_package(package_path("yangpu-2021")))
    stc.refresh_from_db()
    assert stc.name_en.endswith("(edited)")


def test_broken_package_is_rejected_before_the_database_is_touched(plan, tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(package_path("yangpu-2021"), copy)
    sections = copy / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    sections.write_text(text.replace("parent: A1", "parent: NO_SUCH_AREA", 1), encoding="utf-8")
    counts = (Section.objects.count(), Indicator.objects.count())
    with pytest.raises(PackageInvalid) as info:
        read_package(copy)
    assert any("NO_SUCH_AREA" in str(e) for e in info.value.errors)
    assert (Section.objects.count(), Indicator.objects.count()) == counts


def test_package_path_exists():
    assert (Path(package_path("yangpu-2021")) / "source.txt").is_file()
