"""Finding 4: `plan load` never deletes what users reported.

A reload whose package no longer has an element (measure, task, indicator…) that has
assignments, reports, observations, targets or comments is refused, naming each element and
what hangs on it; nothing is written. ``--retire`` (``retire=True``) keeps such elements, marked
retired (hidden from new rounds), and audits each one. Elements nobody reported on are still
removed, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Assignment, Observation, Submission, Target
from nengji.plan.loader import plan_load
from nengji.plan.models import Indicator, Plan, Section
from nengji.plan.package import read_package
from nengji.plan.packages import package_path
from nengji.plan.selectors import indicator_list, section_tree
from tests.monitoring import factories as f

MEASURE = "T01.M1"  # assigned to STC in the `yp` fixture, with a draft in the open 2021 round
INDICATOR = "AI_BIG_DATA_ENTERPRISES"  # no other part of the package names it


def _without(*codes: str, package=None):  # type: ignore[no-untyped-def]
    """The bundled Yangpu package minus the named sections/indicators (and their children)."""
    package = package or read_package(package_path("yangpu-2021"))
    drop = set(codes)
    changed = True
    while changed:  # a removed section takes its children with it
        more = {s.code for s in package.sections if s.parent in drop} - drop
        drop |= more
        changed = bool(more)
    Plan.objects.update(package_sha256="")  # force a full reload
    return dataclasses.replace(
        package,
        sections=tuple(s for s in package.sections if s.code not in drop),
        indicators=tuple(i for i in package.indicators if i.code not in drop),
    )


def _codes(nodes) -> set[str]:  # type: ignore[no-untyped-def]
    return {code for n in nodes for code in {n.section.code} | _codes(n.children)}


def _counts() -> tuple[int, int, int, int]:
    return (
        Section.objects.count(),
        Indicator.objects.count(),
        Assignment.every_unit.count(),
        Submission.objects.count(),
    )


def test_reload_without_a_reported_measure_is_refused_naming_it(yp):
    before = _counts()
    with pytest.raises(DomainError) as exc:
        plan_load(package=_without(MEASURE))
    message = str(exc.value)
    assert MEASURE in message and "retire" in message
    assert _counts() == before
    assert Submission.objects.filter(assignment=yp["a_m"]).exists()


def test_reload_without_an_indicator_with_target_and_observation_is_refused(yp, office):
    ind = yp["plan"].indicators.get(code=INDICATOR)
    services.target_set(
        indicator=ind, target_year=2025, target_value=Decimal("80"), by=office, basis="规划"
    )
    services.observation_record_external(
        indicator=ind,
        value=Decimal("61"),
        year=2021,
        source_note="统计公报",
        published_on=dt.datetime(2022, 3, 1, tzinfo=dt.UTC),
        by=office,
    )
    with pytest.raises(DomainError) as exc:
        plan_load(package=_without(INDICATOR))
    assert INDICATOR in str(exc.value)
    assert Target.objects.filter(indicator=ind).exists()
    assert Observation.objects.filter(indicator=ind).exists()


def test_retire_keeps_the_element_and_its_reports_and_audits(yp, office):
    subs = Submission.objects.filter(assignment=yp["a_m"]).count()
    assert subs
    a_ai = services.assignment_set(
        plan=yp["plan"],
        indicator=yp["plan"].indicators.get(code=INDICATOR),
        lead=yp["DRC"],
        by=office,
    )
    report = plan_load(package=_without(MEASURE, INDICATOR), by=office, retire=True)
    assert set(report.retired) == {MEASURE, INDICATOR}
    m = Section.objects.get(plan=yp["plan"], code=MEASURE)
    assert m.retired
    assert yp["plan"].indicators.get(code=INDICATOR).retired
    assert Submission.objects.filter(assignment=yp["a_m"]).count() == subs
    entries = AuditEntry.objects.filter(app="plan", action="retire")
    assert {e.object_label.split()[0] for e in entries} == {MEASURE, INDICATOR}
    # hidden from new rounds: a 2022 round gives the retired measure no draft
    r22 = services.round_open(plan=yp["plan"], year=2022, deadline=f.deadline(), by=office)
    got = set(Submission.objects.filter(round=r22).values_list("assignment_id", flat=True))
    assert yp["a_m"].pk not in got and a_ai.pk not in got
    assert yp["a_ht"].pk in got
    # and from the plan's structure as pages show it
    assert MEASURE not in _codes(section_tree(plan=yp["plan"]))
    assert INDICATOR not in {i.code for i in indicator_list(plan=yp["plan"])}
    # a later reload without --retire leaves retired elements alone
    plan_load(package=_without(MEASURE, INDICATOR))
    assert Section.objects.get(pk=m.pk).retired
    # and an element back in the package is in use again
    plan_load(package=_without())
    assert not Section.objects.get(pk=m.pk).retired


def test_unreported_elements_are_still_removed(yp):
    code = "T12.M4"  # nobody was assigned it
    plan_load(package=_without(code))
    assert not Section.objects.filter(plan=yp["plan"], code=code).exists()


def _package_without_on_disk(tmp_path: Path, code: str) -> Path:
    import shutil

    root = tmp_path / "yangpu-2021"
    shutil.copytree(package_path("yangpu-2021"), root)
    sections = yaml.safe_load((root / "sections.yaml").read_text(encoding="utf-8"))
    items = sections if isinstance(sections, list) else sections["sections"]
    kept = [s for s in items if s["code"] != code and s.get("parent") != code]
    data = kept if isinstance(sections, list) else {**sections, "sections": kept}
    (root / "sections.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root


def test_cli_refuses_then_retires(yp, tmp_path):
    from nengji.cli import main

    root = _package_without_on_disk(tmp_path, MEASURE)
    runner = CliRunner()
    refused = runner.invoke(main, ["plan", "load", str(root)])
    assert refused.exit_code == 1, refused.output
    assert MEASURE in refused.output and "--retire" in refused.output
    assert not Section.objects.get(plan=yp["plan"], code=MEASURE).retired
    done = runner.invoke(main, ["plan", "load", "--retire", str(root)])
    assert done.exit_code == 0, done.output
    assert MEASURE in done.output
    assert Section.objects.get(plan=yp["plan"], code=MEASURE).retired
    assert Submission.objects.filter(assignment=yp["a_m"]).exists()
