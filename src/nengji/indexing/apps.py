from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexingConfig(AppConfig):
    name = "nengji.indexing"
    label = "indexing"
    verbose_name = _("Index runs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nengji.core.events import subscribe
        from nengji.indexing.benchmark.handlers import benchmark_on_round_published
        from nengji.indexing.benchmark.loader import benchmark_on_plan_loaded
        from nengji.indexing.benchmark.package import benchmark_check
        from nengji.indexing.handlers import index_on_round_published
        from nengji.monitoring.events import RoundPublished
        from nengji.plan.events import PlanLoaded
        from nengji.plan.parts import PackagePart, register_part

        subscribe(RoundPublished, index_on_round_published)
        subscribe(RoundPublished, benchmark_on_round_published)
        register_part(PackagePart("benchmark", check=benchmark_check))
        subscribe(PlanLoaded, benchmark_on_plan_loaded)

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        """The index computed from the demo values (a new run only when they changed)."""
        from nengji.indexing.models import IndexRun
        from nengji.indexing.services import index_run_ensure

        index_run_ensure(plan=plan, trigger=IndexRun.Trigger.DEMO)
        if full:
            from nengji.indexing.benchmark.demo import demo_benchmark_ensure

            demo_benchmark_ensure(plan=plan, demo_dir=demo_dir, data_dir=data_dir)
