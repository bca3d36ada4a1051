"""Publish one official value through the real monitoring services (used by several suites)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import TestCase
from django.utils import timezone

from nengji.monitoring import services
from nengji.monitoring.models import Submission
from nengji.plan.models import Department, Indicator, Plan


def publish_value(
    *,
    plan: Plan,
    office: Any,
    reporter: Any,
    code: str = "HIGH_TECH_ENTERPRISES",
    year: int = 2021,
    value: str = "1500",
) -> Submission:
    indicator = Indicator.objects.get(plan=plan, code=code)
    dept = Department.objects.get(pk=reporter.department_id)
    assignment = services.assignment_set(plan=plan, indicator=indicator, lead=dept, by=office)
    rnd = services.round_open(
        plan=plan, year=year, deadline=timezone.now() + dt.timedelta(days=30), by=office
    )
    sub = Submission.objects.get(round=rnd, assignment=assignment)
    sub = services.submission_save(
        submission=sub, by=reporter, value=Decimal(value), explanation="测试：经核实的年度数据"
    )
    sub = services.submission_submit(submission=sub, by=reporter)
    sub = services.submission_approve(submission=sub, by=office)
    # publishing queues the index recomputation for after the commit: run it, as the worker would
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.round_publish(round=rnd, by=office)
    return sub
