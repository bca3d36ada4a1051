"""Web forms. They only parse input; the services validate the rules and report per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nengji.monitoring.models import Frequency, MonitoringSettings, Target, TaskStatus
from nengji.monitoring.rating import Rating
from nengji.plan.models import PARTNER_BASE, Department, Plan


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(0, _("Whole year")), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class IndicatorReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=20, decimal_places=6)
    explanation = forms.CharField(
        label=_("Explanation of the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    task_status = forms.ChoiceField(
        label=_("Progress status"), required=False, choices=[("", "—"), *TaskStatus.choices]
    )
    percent_complete = forms.IntegerField(
        label=_("Percent complete"), required=False, min_value=0, max_value=100
    )
    narrative = forms.CharField(
        label=_("Progress narrative"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestones = forms.CharField(
        label=_("Milestones reached"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignmentForm(forms.Form):
    item = forms.ChoiceField(label=_("Indicator or measure"))
    lead: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.none()
    )
    supporting: forms.ModelMultipleChoiceField[Department] = forms.ModelMultipleChoiceField(
        label=_("Supporting departments"), required=False, queryset=Department.objects.none()
    )
    frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=Frequency.choices)
    min_value = forms.DecimalField(label=_("Lowest allowed value"), required=False)
    max_value = forms.DecimalField(label=_("Highest allowed value"), required=False)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(district_id=plan.district_id, active=True).exclude(
            kind=PARTNER_BASE
        )
        self.fields["lead"].queryset = departments  # type: ignore[attr-defined]
        self.fields["supporting"].queryset = departments  # type: ignore[attr-defined]
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (f"i:{i.code}", f"{i.code} {i.name_zh}") for i in plan.indicators.order_by("order")
        ] + [
            (f"s:{s.code}", f"{s.code} {s.title_zh}")
            for s in plan.sections.filter(kind__in=["task", "measure", "project"]).order_by("order")
        ]


class KeyProjectForm(forms.Form):
    """Create or edit a key project (重点项目) the plan office adds under a task or measure."""

    project = forms.ChoiceField(label=_("Key project"), required=False)
    parent = forms.ChoiceField(label=_("Under task or measure"))
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("e.g. the measure's code followed by .P1")
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=400, required=False)
    description_zh = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", _("(new key project)"))
        ] + [
            (s.code, f"{s.code} {s.title_zh}")
            for s in plan.sections.filter(kind="project", origin="office").order_by("order", "id")
        ]
        self.fields["parent"].choices = [  # type: ignore[attr-defined]
            (s.code, f"{s.code} {s.title_zh}")
            for s in plan.sections.filter(kind__in=["task", "measure"]).order_by("order", "id")
        ]


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    target_year = forms.IntegerField(label=_("Target year"), initial=2025)
    target_value = forms.DecimalField(label=_("Target value"))
    nature = forms.ChoiceField(label=_("Indicator type"), choices=Target.Nature.choices)
    milestones = forms.CharField(
        label=_("Yearly milestones"), required=False, help_text=_("e.g. 2023=1200, 2024=1350")
    )
    basis = forms.CharField(label=_("Basis"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            (i.code, f"{i.code} {i.name_zh}") for i in plan.indicators.order_by("order")
        ]

    def milestone_map(self) -> dict[str, str]:
        out = {}
        for part in self.cleaned_data.get("milestones", "").replace("，", ",").split(","):
            if "=" in part:
                year, value = part.split("=", 1)
                out[year.strip()] = value.strip()
        return out


def _ratio_label(rating: Rating) -> Any:
    return format_lazy(_("{rating}: ratio R ≥"), rating=rating.label)


def _growth_label(rating: Rating) -> Any:
    return format_lazy(_("{rating} (no target): growth ≥"), rating=rating.label)


class SettingsForm(forms.ModelForm[MonitoringSettings]):
    """The on-track thresholds, labelled with the rating words every page and report uses
    (符合预期 / 基本符合预期), not words of their own."""

    class Meta:
        model = MonitoringSettings
        fields = (
            "on_track_ratio",
            "moderate_ratio",
            "no_target_on_track",
            "no_target_moderate",
            "change_threshold",
        )
        labels = {
            "on_track_ratio": _ratio_label(Rating.ON_TRACK),
            "moderate_ratio": _ratio_label(Rating.MODERATE),
            "no_target_on_track": _growth_label(Rating.ON_TRACK),
            "no_target_moderate": _growth_label(Rating.MODERATE),
        }
