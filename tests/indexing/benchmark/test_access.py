"""Who sees what of the benchmark (one read model for cockpit, portal and API)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from nengji.accounts.models import User
from nengji.indexing.benchmark.selectors import benchmark_view
from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import BenchmarkRun
from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f


@pytest.fixture
def computed(db):  # type: ignore[no-untyped-def]
    world = w.build()
    office = f.user("office")
    benchmark_run_ensure(
        benchmark=world["benchmark"], year=2022, trigger=BenchmarkRun.Trigger.MANUAL, by=office
    )
    return {**world, "office": office}


def region_user(world, code):  # type: ignore[no-untyped-def]
    return User.objects.create_user(
        username=f"region_{code.lower()}",
        password="x",
        role="region",
        organisation=world["bases"][code].organisation,
    )


def test_office_and_leader_see_every_base_before_publication(computed):
    for user in (computed["office"], f.user("leader")):
        view = benchmark_view(benchmark=computed["benchmark"], user=user, year=2022)
        assert view.scope == "all" and not view.published
        assert [r.base.code for r in view.rows] == ["HEFEI", "OWN", "WUJIN", "NANHU"]
        assert view.sensitivity and view.rows[0].interval is not None
    assert benchmark_view(benchmark=computed["benchmark"], user=computed["office"]).can_manage


def test_a_partner_sees_only_its_own_profile_before_publication(computed):
    reporter = f.partner_user(computed["bodies"]["WUJIN"])
    for user in (reporter, region_user(computed, "WUJIN")):
        view = benchmark_view(benchmark=computed["benchmark"], user=user, year=2022)
        assert view.scope == "own" and [r.base.code for r in view.rows] == ["WUJIN"]
        assert view.rows[0].mine and view.rows[0].strengths
        assert view.sensitivity == [] and not view.can_manage


@pytest.mark.parametrize("who", ["public", "enterprise", "stc"])
def test_the_public_sees_nothing_before_publication(computed, who):
    user = {"public": AnonymousUser(), "stc": f.user("reporter", "STC")}.get(who)
    if who == "enterprise":
        user = User.objects.create_user(username="e1", password="x", role="enterprise")
    view = benchmark_view(benchmark=computed["benchmark"], user=user, year=2022)
    assert view.scope == "none" and view.rows == [] and view.years == []


def test_after_publication_everyone_sees_the_published_table(computed):
    benchmark_publish(benchmark=computed["benchmark"], year=2022, by=computed["office"])
    # a newer, unpublished run is the office's; the public keeps seeing the published one
    w.publish(computed, 2022, {"NANHU": {"B1": 5000}})
    newer, _ = benchmark_run_ensure(
        benchmark=computed["benchmark"],
        year=2022,
        trigger=BenchmarkRun.Trigger.MANUAL,
        by=computed["office"],
    )
    public = benchmark_view(benchmark=computed["benchmark"], user=AnonymousUser())
    assert public.scope == "published" and public.year == 2022 and len(public.rows) == 4
    assert public.run is not None and public.run.pk != newer.pk and public.published
    partner = benchmark_view(
        benchmark=computed["benchmark"], user=f.partner_user(computed["bodies"]["NANHU"])
    )
    assert partner.scope == "published" and len(partner.rows) == 4
    assert [r.base.code for r in partner.rows if r.mine] == ["NANHU"]
    office = benchmark_view(benchmark=computed["benchmark"], user=computed["office"])
    assert office.run is not None and office.run.pk == newer.pk and not office.published
