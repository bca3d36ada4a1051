"""Existing data survives the move to nengji.core (issue 9): a database of the previous release,
with a plan, departments, reporters, audit entries and report jobs, migrates without loss."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0001_initial"),
    ("plan", "0002_section_origin_key_projects"),
    ("monitoring", "0001_monitoring_initial"),
    ("reports", "0001_report_job"),
    ("core", None),
]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [t for t in targets if t[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def test_previous_release_data_migrates_without_loss():
    from django.core.management import call_command

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    call_command("flush", interactive=False, verbosity=0)  # a database of the old release only
    try:
        old = _migrate(BEFORE)
        at = dt.datetime(2025, 4, 30, 10, tzinfo=dt.UTC)
        plan = old.get_model("plan", "Plan").objects.create(
            code="yangpu-2021",
            title_zh="杨浦区提升科技创新能级“十四五”规划",
            issuer_zh="上海市杨浦区人民政府",
            doc_number="杨府发〔2021〕3号",
            period_start=2021,
            period_end=2025,
            source_text="…",
            source_sha256="0" * 64,
            package_sha256="0" * 64,
            loaded_at=at,
        )
        dept = old.get_model("plan", "Department").objects.create(code="STC", name_zh="区科委")
        user_model = old.get_model("accounts", "User")
        reporter = user_model.objects.create(username="r", role="reporter", department=dept)
        office = user_model.objects.create(username="o", role="office")
        entries = old.get_model("monitoring", "AuditEntry").objects
        first = entries.create(
            actor=office,
            actor_label="o",
            action="publish",
            object_type="round",
            object_id="7",
            object_label="round 2024",
            before={"status": "closed"},
            after={"status": "published"},
            at=at,
        )
        entries.create(
            actor=None,
            actor_label="system",
            action="index_due",
            object_type="plan",
            object_id=str(plan.pk),
            object_label="index due",
            at=at,
        )
        job = old.get_model("reports", "ReportJob").objects.create(
            kind="annual", year=2024, fmt="docx", requested_by=office, requested_at=at
        )

        _migrate(latest)

        from nengji.accounts.models import User
        from nengji.core.audit import audit_record
        from nengji.core.models import AuditEntry
        from nengji.plan.models import Department, Plan
        from nengji.reports.models import ReportJob

        plan_now = Plan.objects.get(code="yangpu-2021")
        assert plan_now.district.kind == "region"
        assert plan_now.district.name_zh == "上海市杨浦区"
        dept_now = Department.objects.get(pk=dept.pk)
        assert dept_now.district == plan_now.district
        assert dept_now.organisation.code == "STC"
        assert dept_now.organisation.parent == plan_now.district
        reporter_now = User.objects.get(pk=reporter.pk)
        assert reporter_now.department == dept_now and reporter_now.role == "reporter"
        assert User.objects.get(pk=office.pk).organisation is None
        moved = AuditEntry.objects.get(pk=first.pk)
        assert (moved.action, moved.object_id, moved.actor_id) == ("publish", "7", office.pk)
        assert moved.before == {"status": "closed"} and moved.app == "monitoring"
        assert AuditEntry.objects.get(action="index_due").app == "plan"
        assert ReportJob.objects.get(pk=job.pk).plan == plan_now
        # the id sequence was moved past the copied rows: a new entry gets a fresh id
        fresh = audit_record(actor=None, action="check", obj=plan_now)
        assert fresh.pk > first.pk and AuditEntry.objects.count() == 3
    finally:
        _migrate(latest)
