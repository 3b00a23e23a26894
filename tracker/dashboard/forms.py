"""The tracker's filter forms. A value that is not one of the choices (an old bookmark, a typed
address) is left out with a note saying so, never an error page (SPEC §6, issue 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from permanence import dates
from permanence.models import Child
from tracker.dashboard import cohorts, selectors
from tracker.dashboard.models import Rag
from tracker.dashboard.selectors import FilterOptions, Filters


def _choices(blank: str, options) -> list[tuple[str, str]]:
    return [("", blank), *options]


class DashboardFilterForm(forms.Form):
    """Team, worker, IRO, route, status, RAG, legal status, court stage, and the order."""

    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.CharField(label="Social worker", required=False)
    iro = forms.CharField(label="IRO", required=False)
    route = forms.ChoiceField(label="Route", required=False)
    status = forms.ChoiceField(label="Plan status", required=False)
    rag = forms.ChoiceField(label="RAG", required=False)
    legal_status = forms.ChoiceField(label="Legal status", required=False)
    court_stage = forms.ChoiceField(label="Court stage", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False)
    # The children behind a figure on the measures pages (tracker/dashboard/cohorts.py): the
    # figure, and its period or one calendar month of it.
    measure = forms.CharField(label="Measure", required=False)
    period = forms.ChoiceField(label="Period", required=False)
    month = forms.CharField(label="Month", required=False)

    def __init__(
        self,
        data,
        *,
        options: FilterOptions,
        person_exists: Callable[[str, int], bool],
    ) -> None:
        super().__init__(data)
        self.options = options
        self.person_exists = person_exists
        self.fields["team"].choices = _choices("All teams", options.teams)
        self.fields["route"].choices = _choices("Any route", selectors.ROUTE_CHOICES)
        self.fields["status"].choices = _choices("Any status", selectors.STATUS_CHOICES)
        self.fields["rag"].choices = _choices("Any RAG", Rag.choices)
        self.fields["legal_status"].choices = _choices("Any legal status", options.legal_statuses)
        self.fields["court_stage"].choices = _choices("Any stage", Child.CourtStage.choices)
        self.fields["sort"].choices = [(key, label) for key, (label, _) in selectors.SORTS.items()]
        self.fields["period"].choices = list(PERIODS.items())

    def _person(self, name: str, listed: list[tuple[str, str]] | None) -> int | None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError("not a choice")
        if listed is not None:
            if value not in {pk for pk, _ in listed}:
                raise forms.ValidationError("not a choice")
        elif not self.person_exists(name, int(value)):
            raise forms.ValidationError("not a choice")
        return int(value)

    def clean_worker(self) -> int | None:
        return self._person("worker", self.options.workers)

    def clean_iro(self) -> int | None:
        return self._person("iro", self.options.iros)

    def clean_measure(self) -> str:
        value = (self.cleaned_data.get("measure") or "").strip()
        if value and cohorts.resolve(value) is None:
            raise forms.ValidationError("not a choice")
        return value

    def clean_month(self) -> dt.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        month = cohorts.parse_month(value)
        if month is None:
            raise forms.ValidationError("not a choice")
        return month

    def measure_bounds(self) -> tuple[dt.date | None, dt.date] | None:
        """The period the measure's figure counted: the month asked for, or the period (the
        measures page's own default when none is given)."""
        self.is_valid()
        if not self.cleaned_data.get("measure"):
            return None
        today = timezone.localdate()
        month = self.cleaned_data.get("month")
        if month is not None:
            return cohorts.month_bounds(month, today)
        return period_bounds(self.cleaned_data.get("period") or DEFAULT_PERIOD, today)

    def measure_sentence(self) -> str:
        """Which children the measure's filter lists, in words ("" when there is none)."""
        bounds = self.measure_bounds()
        if bounds is None:
            return ""
        cohort = cohorts.resolve(self.cleaned_data["measure"])
        return cohort.sentence(*bounds, self.cleaned_data.get("month"))

    def measure_fields(self) -> list[tuple[str, str]]:
        """The measure's filter as hidden fields, so choosing other filters keeps it."""
        if self.measure_bounds() is None:
            return []
        month = self.cleaned_data.get("month")
        fields = [("measure", self.cleaned_data["measure"])]
        if month is not None:
            return [*fields, ("month", f"{month:%Y-%m}")]
        period = self.cleaned_data.get("period")
        return [*fields, ("period", period)] if period else fields

    def measures_query(self) -> str:
        """The measures page's address query for the same team and period, to go back to."""
        if self.measure_bounds() is None:
            return ""
        team, period = self.cleaned_data.get("team"), self.cleaned_data.get("period")
        return urlencode([(k, v) for k, v in (("team", team), ("period", period)) if v])

    def filters(self) -> Filters:
        """The filters that were valid; the rest are left out (see `notes`)."""
        self.is_valid()
        data = self.cleaned_data
        team = data.get("team")
        bounds = self.measure_bounds()
        return Filters(
            team=int(team) if team else None,
            worker=data.get("worker"),
            iro=data.get("iro"),
            route=data.get("route") or "",
            status=data.get("status") or "",
            rag=data.get("rag") or "",
            legal_status=data.get("legal_status") or "",
            court_stage=data.get("court_stage") or "",
            measure=data.get("measure") or "" if bounds else "",
            since=bounds[0] if bounds else None,
            until=bounds[1] if bounds else None,
        )

    def chosen_sort(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or selectors.DEFAULT_SORT

    def notes(self) -> list[str]:
        """A sentence for each filter value that could not be used."""
        self.is_valid()
        out = []
        for name in self.errors:
            if name not in self.fields:
                continue
            value = self.data.get(name, "")
            label = self.fields[name].label
            out.append(
                f"{label}: “{value[:40]}” is not one of the choices, so it has been left out."
            )
        return out

    def value_of(self, name: str) -> str:
        """The value to show as chosen: what was asked for, if it was valid."""
        self.is_valid()
        if name in self.errors:
            return ""
        value = self.cleaned_data.get(name)
        return "" if value is None else str(value)


# -- measures ------------------------------------------------------------------------------------

PERIODS = {
    "3m": "Last 3 months",
    "12m": "Last 12 months",
    "3y": "Last 3 years",
    "fy": "This financial year",
    "last_fy": "Last financial year",
    "all": "All time",
}
DEFAULT_PERIOD = "12m"


class MeasuresFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    period = forms.ChoiceField(label="Period", required=False, choices=list(PERIODS.items()))

    def __init__(self, data, *, teams: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["team"].choices = _choices("All teams", teams)

    def team_id(self) -> int | None:
        self.is_valid()
        team = self.cleaned_data.get("team")
        return int(team) if team else None

    def chosen_period(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("period") or DEFAULT_PERIOD

    def notes(self) -> list[str]:
        self.is_valid()
        return [
            f"{self.fields[name].label}: “{self.data.get(name, '')[:40]}” is not one of the "
            "choices, so it has been left out."
            for name in self.errors
            if name in self.fields
        ]

    def value_of(self, name: str) -> str:
        self.is_valid()
        return "" if name in self.errors else str(self.cleaned_data.get(name) or "")


def period_bounds(period: str, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """The first and last day of a period ending today (financial years run April to March)."""
    if period == "3m":
        return dates.add_months(today, -3), today
    if period == "12m":
        return dates.add_months(today, -12), today
    if period == "3y":
        return dates.add_months(today, -36), today
    start_year = today.year if today.month >= 4 else today.year - 1
    if period == "fy":
        return dt.date(start_year, 4, 1), today
    if period == "last_fy":
        return dt.date(start_year - 1, 4, 1), dt.date(start_year, 3, 31)
    return None, today
