"""Forms of the tracker pages."""

from __future__ import annotations

from django import forms

from permanence.models import Team
from permanence.selectors import children_for_user
from tracker import backlog
from tracker.models import Deadline, DeadlineRule
from tracker.selectors import rules_for_filter


class DeadlineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status")] + list(Deadline.Status.choices),
    )
    rule = forms.ChoiceField(label="Deadline", required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="All teams"
    )

    def __init__(self, *args, user=None, team_ids=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Every deadline")] + [
            (r.code, r.name) for r in rules_for_filter()
        ]
        if user is not None and team_ids is None:
            team_ids = list(
                children_for_user(user=user).order_by().values_list("team_id", flat=True).distinct()
            )
        if team_ids is not None:
            # Only the teams of the children the reader may see, not every team (issue 19).
            self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids).order_by("name")


class BacklogFilterForm(forms.Form):
    """The backlog page's filters: which items, which team of the manager's service, which rule."""

    state = forms.ChoiceField(label="Show", required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, empty_label="All teams"
    )
    rule = forms.ChoiceField(label="Deadline", required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = backlog.STATES
        self.fields["team"].queryset = backlog.teams_for(user)
        self.fields["rule"].choices = [("", "Every deadline")] + [
            (r.code, r.name) for r in DeadlineRule.objects.order_by("order", "code")
        ]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"state": backlog.OUTSTANDING}
        data = self.cleaned_data
        return {
            "state": data["state"] or backlog.OUTSTANDING,
            "team_id": data["team"].pk if data["team"] else None,
            "rule_code": data["rule"],
        }
