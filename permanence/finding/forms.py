"""Forms for family finding, laid out with crispy-forms-gds. Each form checks what a person
typed; the rules a record keeps are the models' and the services' (issue 14)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    PotentialMatch,
    SgoAssessment,
    User,
)
from permanence.models.finding import SGO_CAO_REASONS
from permanence.roles import Role


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _happened(label: str, *, required: bool = False):
    return gds_date(label, required=required, kind=DateKind.HAPPENED)


def _staff(*roles: str):
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role(r).label for r in roles])
        .distinct()
        .order_by("first_name", "last_name")
    )


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = "", **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class HouseholdForm(forms.Form):
    name = forms.CharField(
        label="Household",
        max_length=200,
        help_text="How the household is known, for example “Mr and Mrs Hale”.",
        error_messages={"required": "Enter the household's name"},
    )
    kind = forms.ChoiceField(
        label="Kind of carers",
        choices=CarerHousehold.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of carers"},
    )
    agency_name = forms.CharField(
        label="Agency",
        max_length=200,
        required=False,
        help_text="The independent fostering agency or the regional adoption agency.",
    )
    approved_on = _happened("Date approved")
    approved_for = forms.CharField(
        label="Terms of approval",
        max_length=300,
        required=False,
        help_text="For example, “up to two children aged 0 to 10”.",
    )
    form_f_on = _happened("Date the Form F assessment was completed or last updated")
    supervising_social_worker = forms.ModelChoiceField(
        label="Supervising social worker",
        queryset=User.objects.none(),
        required=False,
        help_text="Our supervising social worker, for in-house and connected carers.",
    )
    agency_contact = forms.CharField(
        label="Agency's supervising social worker",
        max_length=300,
        required=False,
        help_text="Name and e-mail address, for agency carers.",
    )
    contact_details = _text(
        "The carers' contact details",
        help_text="Address and telephone. Only those who keep the register and the supervising "
        "social worker see them.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=CarerHousehold.Status.choices,
        widget=forms.RadioSelect,
        initial=CarerHousehold.Status.ACTIVE,
    )
    notes = _text("Notes")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_social_worker"].queryset = _staff(Role.SOCIAL_WORKER)
        self.helper = _helper(
            Field.text("name", field_width=30),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("agency_name", field_width=30),
            Field("approved_on"),
            Field.text("approved_for", field_width=30),
            Field("form_f_on"),
            Field.select("supervising_social_worker"),
            Field.text("agency_contact", field_width=30),
            Field.textarea("contact_details", rows=3),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=3),
            submit="Save the household",
        )


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Allocated as",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the worker is allocated as"},
    )
    worker = forms.ModelChoiceField(
        label="Worker",
        queryset=User.objects.none(),
        error_messages={"required": "Choose who is allocated"},
    )
    on = _happened("Date allocated", required=True)

    def __init__(self, *args, kinds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, FamilyFindingAllocation.Kind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["worker"].queryset = _staff(
            Role.SOCIAL_WORKER, Role.CPS_DUTY, Role.FAMILY_FINDER
        )
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("worker"),
            Field("on"),
            submit="Allocate",
        )


class SearchForm(forms.Form):
    scope = forms.ChoiceField(
        label="Where the search looks",
        choices=FamilySearch.Scope.choices,
        widget=forms.RadioSelect,
        initial=FamilySearch.Scope.INTERNAL,
        help_text="Our own carers first. A search outside them needs a senior manager's "
        "written permission, copied to the Placements team.",
    )
    started_on = _happened("Date the search started", required=True)
    pen_picture_sent_on = _happened("Date the pen picture of the child was sent to our carers")
    permission_by = forms.ModelChoiceField(
        label="Senior manager who gave written permission",
        queryset=User.objects.none(),
        required=False,
        help_text="Only for a search outside our own carers.",
    )
    permission_on = _happened("Date permission was given")
    permission_note = _text("The written permission", help_text="What the senior manager wrote.")
    copied_to_placements = forms.BooleanField(
        label="The permission was copied to the Placements team", required=False
    )
    ifa_request = forms.BooleanField(
        label="The search asks an independent fostering agency for carers", required=False
    )
    ifa_funding_agreed_by = forms.CharField(
        label="Assistant director who agreed the funding", max_length=200, required=False
    )
    ifa_funding_agreed_on = _happened("Date the funding was agreed")
    business_case_signed_off_by = forms.CharField(
        label="Who signed off the business case", max_length=200, required=False
    )
    business_case_signed_off_on = _happened("Date the business case was signed off")
    ended_on = _happened("Date the search ended")
    notes = _text("Notes")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["permission_by"].queryset = _staff(Role.HEAD_OF_SERVICE)
        self.helper = _helper(
            Field.radios("scope", legend_size=Size.SMALL),
            Field("started_on"),
            Field("pen_picture_sent_on"),
            Field.select("permission_by"),
            Field("permission_on"),
            Field.textarea("permission_note", rows=3),
            Field.checkbox("copied_to_placements"),
            Field.checkbox("ifa_request"),
            Field.text("ifa_funding_agreed_by", field_width=30),
            Field("ifa_funding_agreed_on"),
            Field.text("business_case_signed_off_by", field_width=30),
            Field("business_case_signed_off_on"),
            Field("ended_on"),
            Field.textarea("notes", rows=3),
            submit="Save the search",
        )


class MatchForm(forms.Form):
    carer = forms.ModelChoiceField(
        label="Household",
        queryset=CarerHousehold.objects.none(),
        error_messages={"required": "Choose the household considered"},
    )
    considered_on = _happened("Date first considered", required=True)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=PotentialMatch.Outcome.choices,
        widget=forms.RadioSelect,
        initial=PotentialMatch.Outcome.CONSIDERING,
    )
    reason = _text("Reason", help_text="A household ruled out or withdrawn needs its reason.")
    existing_carers = forms.BooleanField(
        label="These are the child's existing carers, assessed as permanent carers alongside "
        "other applicants",
        required=False,
    )
    explore_sgo = forms.BooleanField(
        label="Special guardianship has been explored with the carers", required=False
    )
    explore_sgo_note = _text("What the carers said about special guardianship")
    adoption_support_assessed_on = _happened("Date the need for adoption support was assessed")
    adoption_support_note = _text("Adoption support to be provided")

    def __init__(self, *args, households, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = households
        self.fields["carer"].label_from_instance = lambda h: (
            f"{h.name} ({h.get_kind_display().lower()})"
        )
        self.helper = _helper(
            Field.select("carer"),
            Field("considered_on"),
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field.textarea("reason", rows=3),
            Field.checkbox("existing_carers"),
            Field.checkbox("explore_sgo"),
            Field.textarea("explore_sgo_note", rows=2),
            Field("adoption_support_assessed_on"),
            Field.textarea("adoption_support_note", rows=2),
            submit="Save",
        )


class PlacedForm(forms.Form):
    on = _happened("Date placed", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = (
            "The day the child moved in or, with existing carers, the day the placement "
            "became permanent. For example, 27 3 2024"
        )
        self.helper = _helper(Field("on"), submit="Record the placement")


class OrderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Order or outcome",
        choices=OrderRecord.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the order or outcome"},
    )
    status = forms.ChoiceField(
        label="Where it stands",
        choices=OrderRecord.Status.choices,
        widget=forms.RadioSelect,
        initial=OrderRecord.Status.SOUGHT,
    )
    reasons = forms.MultipleChoiceField(
        label="What the child needs that points to it",
        choices=SGO_CAO_REASONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a special guardianship or child arrangements order.",
    )
    sought_because = _text(
        "Why this order and not the other",
        help_text="For a special guardianship or child arrangements order: the child's needs, and "
        "whether the carers will share parental responsibility with the parents.",
    )
    applicants = forms.CharField(label="Applicant or applicants", max_length=300, required=False)
    applicant_basis = forms.ChoiceField(
        label="On what footing they apply",
        choices=[("", "Choose…"), *OrderRecord.Applicant.choices],
        required=False,
    )
    household = forms.ModelChoiceField(
        label="Household on the carers' register",
        queryset=CarerHousehold.objects.none(),
        required=False,
    )
    applied_on = _happened("Date applied for")
    made_on = _happened("Date made or completed")
    ended_on = _happened("Date it ended")
    notes = _text("Notes")

    def __init__(self, *args, households, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.checkboxes("reasons", legend_size=Size.SMALL, small=True),
            Field.textarea("sought_because", rows=3),
            Field.text("applicants", field_width=30),
            Field.select("applicant_basis"),
            Field.select("household"),
            Field("applied_on"),
            Field("made_on"),
            Field("ended_on"),
            Field.textarea("notes", rows=2),
            submit="Save",
        )


class SgoAssessmentForm(forms.Form):
    applicants = forms.CharField(
        label="Prospective special guardians",
        max_length=300,
        error_messages={"required": "Enter the prospective special guardians"},
    )
    household = forms.ModelChoiceField(
        label="Household on the carers' register",
        queryset=CarerHousehold.objects.none(),
        required=False,
    )
    assessor = forms.ModelChoiceField(
        label="Assessor", queryset=User.objects.none(), required=False
    )
    assessor_other = forms.CharField(
        label="Or an assessor who is not one of our staff", max_length=200, required=False
    )
    started_on = _happened("Date the assessment started")
    completed_on = _happened("Date the assessment was completed")
    recommendation = forms.ChoiceField(
        label="What the assessment recommends",
        choices=SgoAssessment.Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    support_plan = _text("The support plan", rows=4)
    financial_support = _text(
        "Financial support", help_text="Allowance, one-off payments, and how it is reviewed."
    )
    support_after_order = _text(
        "Support after the order",
        help_text="Who the special guardians turn to, contact support, and how to ask again.",
    )
    support_plan_agreed_on = _happened("Date the support plan was agreed")

    def __init__(self, *args, households, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["assessor"].queryset = _staff(Role.SOCIAL_WORKER)
        self.helper = _helper(
            Field.text("applicants", field_width=30),
            Field.select("household"),
            Field.select("assessor"),
            Field.text("assessor_other", field_width=30),
            Field("started_on"),
            Field("completed_on"),
            Field.radios("recommendation", legend_size=Size.SMALL, small=True),
            Field.textarea("support_plan", rows=4),
            Field.textarea("financial_support", rows=3),
            Field.textarea("support_after_order", rows=3),
            Field("support_plan_agreed_on"),
            submit="Save the assessment",
        )
