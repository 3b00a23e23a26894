"""Form fields for matching (000, 003): the matching meeting, the adoption or fostering panel
with its bundle, and the agency decision maker's decision and the head of service's
ratification. `forums.forms` adds these to its meeting forms by the meeting's kind."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from forums.models import Meeting, MeetingType
from forums.models.meetings import PANEL_ATTENDEE_CHOICES, Invitee, bundle_for
from forums.services.matching import open_matches
from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import Child, PotentialMatch, User
from permanence.navigation import ALL_CASE_ROLES
from permanence.roles import Role
from permanence.timescales import timescale

Kind = MeetingType.Kind


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username}" + (
            f" ({obj.job_title})" if obj.job_title else ""
        )


class MatchField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PotentialMatch) -> str:
        return f"{obj.carer} ({obj.carer.get_kind_display().lower()})"


def _staff():
    labels = [Role(r).label for r in ALL_CASE_ROLES]
    return (
        User.objects.filter(is_active=True, groups__name__in=labels)
        .distinct()
        .order_by("first_name", "last_name")
    )


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    # The page's template holds the <form> element and its CSRF token.
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


def schedule_fields(form: forms.Form, child: Child, meeting_type: MeetingType) -> list:
    """Add the matching meeting's or the panel's fields to FORM; return their layout."""
    kind = meeting_type.kind
    matches = open_matches(child)
    form.fields["potential_match"] = MatchField(
        label="The household proposed for the child",
        queryset=matches,
        required=False,
        empty_label="Choose the household",
        help_text="Households still being considered for the child.",
    )
    layout = [Field.select("potential_match")]
    if kind == Kind.MATCHING_MEETING:
        form.fields["scheduled_for"].label = "Date of the matching meeting"
        form.fields["arranged_by"] = StaffField(
            label="Arranged by",
            queryset=_staff(),
            required=False,
            empty_label="Choose who arranged it",
            help_text="Usually the permanency worker or family finder.",
        )
        form.fields["chair"] = StaffField(
            label="Chair",
            queryset=_staff(),
            required=False,
            empty_label="Choose who chairs it",
            help_text="The fostering team manager chairs complex cases.",
        )
        return [*layout, Field.select("arranged_by"), Field.select("chair")]
    form.fields["scheduled_for"].label = "Date of the panel"
    form.fields["matching_report"] = forms.FileField(
        label="Matching report (optional)",
        required=False,
        help_text="Leave empty to use the report written from the matching meeting; attach a "
        "newer one here if it was updated. A PDF or Word document, smaller than 20MB.",
    )
    papers = []
    for item in bundle_for(kind):
        if item.field == "matching_report":
            continue
        rule = timescale(item.current_by).offset
        form.fields[item.field] = gds_date(
            f"{item.label}: completed or last updated on",
            required=False,
            kind=DateKind.HAPPENED,
            hint=f"Prepared by the {item.prepared_by.lower()}. It must be less than {rule} old "
            "on the panel date.",
        )
        papers.append(Field(item.field))
    return [
        *layout,
        Fieldset(
            Field("matching_report"),
            *papers,
            legend="The bundle for the panel",
            legend_size=Size.MEDIUM,
        ),
    ]


def record_fields(form: forms.Form, meeting: Meeting) -> list:
    """Add what the matching meeting or the panel records to FORM; return their layout."""
    kind = meeting.meeting_type.kind
    if kind == Kind.MATCHING_MEETING:
        form.fields["matching_report"] = forms.FileField(
            label="Matching report",
            required=False,
            help_text="Written from this meeting by the permanency worker: a PDF or Word "
            "document, smaller than 20MB. The panel hears the match from it.",
        )
        return [Field("matching_report")]
    form.fields["attended_roles"].choices = [
        (code, Invitee(code).label) for code in PANEL_ATTENDEE_CHOICES
    ]
    form.fields["attended_roles"].label = "Who attended the panel"
    hint = (
        "The social worker, the permanency worker and the carers attend; the child if appropriate."
    )
    form.fields["attended_roles"].help_text = hint
    form.fields["match_recommendation"].required = True
    form.fields["match_recommendation"].error_messages["required"] = (
        "Select the panel's recommendation on the match"
    )
    return [
        Field.checkboxes("attended_roles", small=True),
        Field.radios("match_recommendation", legend_size=Size.SMALL),
    ]


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The agency decision maker's decision",
        choices=PotentialMatch.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the agency decision maker's decision"},
    )
    decided_on = gds_date("Date of the decision", kind=DateKind.HAPPENED)
    decided_by = forms.CharField(
        label="Agency decision maker",
        max_length=200,
        error_messages={"required": "Enter the name of the agency decision maker"},
        help_text="Their name and role.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].error_messages["required"] = "Enter the date of the decision"
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field("decided_on"),
            Field.text("decided_by", field_width=20),
            Submit("submit", "Record the decision"),
        )


class MatchRatifyForm(forms.Form):
    ratified_on = gds_date("Date you ratified the match", kind=DateKind.HAPPENED)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ratified_on"].error_messages["required"] = (
            "Enter the date you ratified the match"
        )
        self.helper = _helper(Field("ratified_on"), Submit("submit", "Ratify the match"))
