"""Targets and the office's monitoring settings (thresholds)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError
from nengji.core.numbers import bounded_decimal
from nengji.monitoring.errors import ErrorDetail, MonitoringError, conflict
from nengji.monitoring.models import MonitoringSettings, Target
from nengji.monitoring.permissions import require_office
from nengji.monitoring.rating import Rating
from nengji.plan.models import Indicator, Plan

TARGET_FIELDS = ("target_year", "target_value", "milestones", "nature", "basis", "version")
SETTINGS_FIELDS = (
    "on_track_ratio",
    "moderate_ratio",
    "no_target_on_track",
    "no_target_moderate",
    "change_threshold",
)


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    target_year: int,
    target_value: Decimal,
    by: Any,
    milestones: Mapping[str, Any] | None = None,
    nature: str = Target.Nature.EXPECTED,
    basis: str = "",
    version: int | None = None,
    is_demo: bool = False,
) -> Target:
    """Set (or change) an indicator's target and optional yearly milestones, with its basis."""
    require_office(by)
    plan = indicator.plan
    errors = []
    if not (plan.period_start <= target_year <= (plan.vision_year or plan.period_end)):
        errors.append(ErrorDetail("target_year", _("The target year must lie within the plan.")))
    if nature not in Target.Nature.values:
        errors.append(ErrorDetail("nature", _("Choose expected (预期性) or binding (约束性).")))
    try:
        target_value = bounded_decimal(target_value, field="target_value")
    except DomainError as exc:
        errors.extend(exc.detail)
    clean_milestones: dict[str, str] = {}
    for year, value in (milestones or {}).items():
        try:
            y = int(year)
            if not 1949 <= y <= 2100:
                raise ValueError(year)
            clean_milestones[str(y)] = str(bounded_decimal(value, field="milestones"))
        except ValueError:
            errors.append(
                ErrorDetail(
                    "milestones",
                    _("Milestone %(year)s: %(value)s is not a number.")
                    % {"year": year, "value": value},
                )
            )
            continue
        except DomainError as exc:
            errors.extend(
                ErrorDetail(
                    "milestones",
                    _("Milestone %(year)s: %(message)s") % {"year": year, "message": d.message},
                )
                for d in exc.detail
            )
            continue
        if y >= target_year:
            errors.append(
                ErrorDetail(
                    "milestones",
                    _("Milestone %(year)s is not before the target year.") % {"year": y},
                )
            )
    if not basis.strip():
        errors.append(ErrorDetail("basis", _("Say on what basis the target was set.")))
    if errors:
        raise MonitoringError(errors)
    target = Target.objects.select_for_update().filter(indicator=indicator).first()
    before = None
    if target is None:
        target = Target(indicator=indicator, is_demo=is_demo)
        action = "create"
    else:
        if version is not None and version != target.version:
            raise conflict(
                _("The target was changed by someone else in the meantime; reload and try again.")
            )
        before = snapshot(target, TARGET_FIELDS)
        target.version += 1
        action = "update"
    target.target_year = target_year
    target.target_value = Decimal(target_value)
    target.milestones = clean_milestones
    target.nature = nature
    target.basis = basis
    target.set_by = by
    target.set_at = timezone.now()
    target.save()
    audit_record(
        actor=by, action=action, obj=target, before=before, after=snapshot(target, TARGET_FIELDS)
    )
    return target


def settings_for(plan: Plan) -> MonitoringSettings:
    obj, _ = MonitoringSettings.objects.get_or_create(plan=plan)
    return obj


@transaction.atomic
def settings_update(*, plan: Plan, by: Any, **values: float) -> MonitoringSettings:
    """Change the on-track thresholds or the change-explanation threshold."""
    require_office(by)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise MonitoringError(
            [ErrorDetail(k, _("Not a monitoring setting.")) for k in sorted(unknown)]
        )
    obj = MonitoringSettings.objects.select_for_update().filter(
        plan=plan
    ).first() or MonitoringSettings.objects.create(plan=plan)
    before = snapshot(obj, SETTINGS_FIELDS)
    errors = []
    for key, value in values.items():
        try:
            number = bounded_decimal(value, field=key, max_abs=Decimal(1000))
        except DomainError as exc:
            errors.extend(exc.detail)
            continue
        setattr(obj, key, float(number))
    if errors:
        raise MonitoringError(errors)
    words = {"moderate": Rating.MODERATE.label, "on_track": Rating.ON_TRACK.label}
    if not 0 < obj.moderate_ratio < obj.on_track_ratio:
        message = _("Need 0 < ratio for “{moderate}” < ratio for “{on_track}”.")
        errors.append(ErrorDetail("moderate_ratio", str(message).format(**words)))
    if not 0 < obj.no_target_moderate < obj.no_target_on_track:
        message = _("Need 0 < growth for “{moderate}” < growth for “{on_track}”.")
        errors.append(ErrorDetail("no_target_moderate", str(message).format(**words)))
    if obj.change_threshold <= 0:
        errors.append(ErrorDetail("change_threshold", _("Must be positive.")))
    if errors:
        raise MonitoringError(errors)
    obj.save()
    audit_record(
        actor=by, action="update", obj=obj, before=before, after=snapshot(obj, SETTINGS_FIELDS)
    )
    return obj
