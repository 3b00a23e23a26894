"""Forms of the tracker pages."""

from __future__ import annotations

from django import forms

from permanence.models import Team
from tracker.models import Deadline
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Every deadline")] + [
            (r.code, r.name) for r in rules_for_filter()
        ]
