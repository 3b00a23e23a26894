"""Forms for the IRO's work, laid out as GOV.UK Design System components."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from permanence.date_ranges import DateKind
from permanence.forms import CodeChoiceField, gds_date
from permanence.models import Code, User
from permanence.plans.forms import ChecklistForm
from permanence.roles import MANAGER_ROLES, Role
from permanence.selectors import staff_with_role, today
from reviews.models import Ppn1


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    # The page's template holds the <form> and its CSRF token: no second form inside it.
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class IroAllocationForm(forms.Form):
    iro = forms.ModelChoiceField(
        label="Independent reviewing officer",
        queryset=User.objects.none(),
        error_messages={"required": "Choose an independent reviewing officer"},
    )
    allocated_on = gds_date(
        "Date allocated", required=False, hint="Leave blank for today.", kind=DateKind.HAPPENED
    )
    reason = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iro"].queryset = staff_with_role(role=Role.IRO)
        self.helper = _helper(
            Field.select("iro"),
            Field("allocated_on"),
            Field.textarea("reason", rows=2),
            Submit("submit", "Allocate the IRO"),
        )


class ReviewBookForm(forms.Form):
    planned_on = gds_date("Date of the review")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("planned_on"), Submit("submit", "Book the review"))


class ReviewRecordForm(forms.Form):
    held_on = gds_date("Date the review was held", kind=DateKind.HAPPENED)
    participation = CodeChoiceField(Code.List.REVIEW_CODE, label="How the child took part")
    summary = forms.CharField(
        label="Outcome and recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    recommends_sgo = forms.BooleanField(
        label="The review recommends a special guardianship order",
        required=False,
        help_text="The SGO referral is then due within 5 working days.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participation"].bind_choices()
        self.fields["participation"].error_messages["required"] = (
            "Select how the child took part in the review"
        )
        self.helper = _helper(
            Field("held_on"),
            Field.select("participation"),
            Field.textarea("summary", rows=5),
            Field.checkbox("recommends_sgo"),
            Submit("submit", "Record the review"),
        )


class ReviewCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why the review is not going ahead",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the review is cancelled"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", rows=3),
            Submit("submit", "Cancel the review", css_class="govuk-button--warning"),
        )


class RatificationForm(ChecklistForm):
    """The checklist, then: ratify, or record what is missing and set a further review."""

    decision = forms.ChoiceField(
        label="Can the plan be ratified?",
        widget=forms.RadioSelect,
        choices=[
            ("ratify", "Yes: every item is in place, ratify the plan"),
            ("further", "No: record what is missing and set a further review"),
        ],
        error_messages={"required": "Choose whether the plan can be ratified"},
    )
    missing = forms.CharField(
        label="What is missing",
        required=False,
        help_text="For example, an assessment still to be completed.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    further_review_on = gds_date(
        "Date of the further review",
        required=False,
        hint="Once the outcome is known; no later than the next review's due date.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Fieldset(
                *self.checklist_layout(),
                legend="The IRO's checklist",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("decision", legend_size=Size.MEDIUM),
            Fieldset(
                Field.textarea("missing", rows=3),
                Field("further_review_on"),
                legend="If the plan cannot be ratified yet",
                legend_size=Size.SMALL,
            ),
            Submit("submit", "Save the outcome"),
        )


class Ppn1Form(forms.Form):
    plan_summary = forms.CharField(
        label="The permanence plan agreed at the review",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the permanence plan agreed at the review"},
    )
    family_finding = forms.ChoiceField(
        label="Family finding needed",
        choices=Ppn1.FamilyFinding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether family finding is needed"},
    )
    recommendations = forms.CharField(
        label="What the Permanency Planning Meeting should agree",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    adoption_manager = forms.ModelChoiceField(
        label="Adoption team manager",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the adoption team manager"},
    )
    fostering_manager = forms.ModelChoiceField(
        label="Fostering support manager",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the fostering support manager"},
    )
    admin_officer = forms.ModelChoiceField(
        label="Designated admin officer",
        help_text="They receive the PPN1 with the review's minutes and book the meeting.",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the designated admin officer it goes to"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        managers = (
            User.objects.filter(
                is_active=True, groups__name__in=[Role(r).label for r in MANAGER_ROLES]
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["adoption_manager"].queryset = managers
        self.fields["fostering_manager"].queryset = managers
        self.fields["admin_officer"].queryset = User.objects.filter(
            is_active=True, groups__name=Role.ADMIN_OFFICER.label
        ).order_by("first_name", "last_name")
        self.helper = _helper(
            Field.textarea("plan_summary", rows=4),
            Field.radios("family_finding", legend_size=Size.SMALL),
            Field.textarea("recommendations", rows=4),
            Fieldset(
                Field.select("admin_officer"),
                Field.select("adoption_manager"),
                Field.select("fostering_manager"),
                legend="Who it goes to",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Complete PPN1 and send it"),
        )


class MeetingBookForm(forms.Form):
    meeting_on = gds_date("Date of the Permanency Planning Meeting")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("meeting_on"), Submit("submit", "Book the meeting"))


class SgoReferralForm(forms.Form):
    """The SGO referral form sent to the SGO team manager after the review (003)."""

    # Left as an event's range: clean_sent_on says "cannot be in the future" as the service does.
    sent_on = gds_date("Date the referral was sent")
    sent_to = forms.CharField(
        label="SGO team manager it was sent to",
        max_length=200,
        error_messages={"required": "Enter the name of the SGO team manager it was sent to"},
    )
    proposed_guardians = forms.CharField(
        label="Proposed special guardian or guardians",
        max_length=300,
        help_text="The full name of each person proposed.",
        error_messages={"required": "Enter the name of the proposed special guardian or guardians"},
    )
    relationship = forms.CharField(
        label="Their relationship to the child",
        max_length=200,
        help_text="For example, maternal grandparents, or foster carers.",
        error_messages={"required": "Enter their relationship to the child"},
    )
    summary = forms.CharField(
        label="Summary and reasons (optional)",
        required=False,
        help_text="Why special guardianship, and anything the SGO team should know first.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sent_to", "proposed_guardians", "relationship"):
            self.fields[name].error_messages["max_length"] = (
                f"{self.fields[name].label} must be %(limit_value)d characters or fewer"
            )
        self.helper = _helper(
            Field("sent_on"),
            Field.text("sent_to"),
            Field.text("proposed_guardians"),
            Field.text("relationship"),
            Field.textarea("summary", rows=4),
            Submit("submit", "Record the SGO referral"),
        )

    def clean_sent_on(self):
        # The service refuses it too; said here so that it shows with the other answers' errors.
        sent_on = self.cleaned_data["sent_on"]
        if sent_on and sent_on > today():
            raise forms.ValidationError("The date cannot be in the future")
        return sent_on
