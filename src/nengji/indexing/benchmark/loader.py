"""Loading the benchmark part of a plan package, when the plan is loaded (`PlanLoaded`).

For each partner base: its region (an organisation of kind region, by its 行政区划代码), the
body that reports its figures (a department of kind ``partner_base`` in that region, code
``BENCH``) and that body's assignments of the framework's indicators (monitoring's
`assignments_sync`: never deletes). Runs inside the plan's loading transaction: all or nothing.
A package without ``benchmark/`` leaves an existing benchmark as it was (runs are records).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.indexing.benchmark.package import BaseSpec, BenchmarkSpec, read_benchmark
from nengji.indexing.models import Benchmark, BenchmarkBase
from nengji.monitoring.services import assignments_sync
from nengji.plan.events import PlanLoaded
from nengji.plan.models import PARTNER_BASE, Department, Plan
from nengji.plan.package import PackageInvalid, read_package

#: code of a partner region's reporting body (one per region)
REPORTER_CODE = "BENCH"


def _region(base: BaseSpec) -> Organisation:
    org = Organisation.objects.filter(
        kind=OrgKind.REGION, parent__isnull=True, code=base.division
    ).first()
    if org is None:
        return Organisation.objects.create(
            kind=OrgKind.REGION, code=base.division, name_zh=base.region_zh, name_en=base.region_en
        )
    return org


def _reporter(region: Organisation, base: BaseSpec) -> Department:
    """The region's reporting body; an existing one keeps its name. Like the district's
    department catalogue, the name is a template (``is_template``) the office confirms."""
    body = Department.objects.filter(district=region, code=REPORTER_CODE).first()
    if body is not None:
        return body
    name_zh = f"{base.name_zh}双创指数填报"
    name_en = f"{base.name_en} benchmark reporting" if base.name_en else ""
    org = Organisation.objects.create(
        kind=OrgKind.DEPARTMENT, parent=region, code=REPORTER_CODE, name_zh=name_zh, name_en=name_en
    )
    return Department.objects.create(
        district=region,
        organisation=org,
        code=REPORTER_CODE,
        name_zh=name_zh,
        name_en=name_en,
        kind=PARTNER_BASE,
        is_template=True,
    )


def benchmark_load(*, plan: Plan, spec: BenchmarkSpec, by: Any = None) -> Benchmark:
    """Create or update the plan's benchmark, its bases, and the partners' assignments."""
    fields = {
        "name_zh": spec.name_zh,
        "name_en": spec.name_en,
        "source_quote": spec.source_quote,
        "source_start": spec.source_start,
        "source_end": spec.source_end,
        "first_year": spec.first_year,
        "framework": list(spec.framework),
        "spec": spec.spec,
        "uncertainty": spec.uncertainty,
        "loaded_at": timezone.now(),
    }
    benchmark, created = Benchmark.objects.update_or_create(
        plan=plan, code=spec.code, defaults=fields
    )
    indicators = list(plan.indicators.filter(code__in=spec.indicators))
    indicators.sort(key=lambda i: spec.indicators.index(i.code))
    listed = []
    for order, base in enumerate(spec.bases):
        if base.own:
            region, reporter = plan.district, None
        else:
            region = _region(base)
            reporter = _reporter(region, base)
            assignments_sync(plan=plan, unit=region, lead=reporter, indicators=indicators, by=by)
        row, _ = BenchmarkBase.objects.update_or_create(
            benchmark=benchmark,
            code=base.code,
            defaults={
                "name_zh": base.name_zh,
                "name_en": base.name_en,
                "own": base.own,
                "organisation": region,
                "reporter": reporter,
                "order": order,
                "active": True,
            },
        )
        listed.append(row.pk)
    BenchmarkBase.objects.filter(benchmark=benchmark).exclude(pk__in=listed).update(active=False)
    audit_record(
        actor=by,
        action="create" if created else "update",
        obj=benchmark,
        label=f"benchmark {benchmark.code}",
        after={"bases": [b.code for b in spec.bases], "indicators": list(spec.indicators)},
    )
    return benchmark


def benchmark_on_plan_loaded(event: PlanLoaded) -> None:
    """`PlanLoaded` handler: load the package's ``benchmark/`` (already checked by the plan's
    loader through the registered part check)."""
    root = Path(event.package_root)
    plan = Plan.objects.get(pk=event.plan_id)
    if not event.changed and Benchmark.objects.filter(plan=plan).exists():
        return
    spec, errors = read_benchmark(read_package(root))
    if errors:
        raise PackageInvalid(errors)
    if spec is None:
        return
    by = get_user_model().objects.filter(pk=event.actor_id).first() if event.actor_id else None
    benchmark_load(plan=plan, spec=spec, by=by)
