"""Web forms. They only parse input; the services validate the rules and report per field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nengji.monitoring.models import TaskStatus


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
