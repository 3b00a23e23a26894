"""Forms about the people around the child, laid out with crispy-forms-gds."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import Child, ContactArrangement, SiblingAssessment


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SiblingGroupForm(forms.Form):
    name = forms.CharField(
        label="Name of the group",
        max_length=120,
        help_text="For example, the family's surname: “Smith brothers and sisters”.",
        error_messages={"required": "Enter a name for the sibling group"},
    )
    members = forms.CharField(
        label="Child identifiers of the brothers and sisters",
        help_text="This child's and each brother's or sister's, separated by commas or spaces. "
        "A child can be in only one sibling group.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the identifier of each child in the group"},
    )

    def __init__(self, *args, submit: str = "Save the sibling group", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=30), Field.textarea("members", rows=2), submit=submit
        )


class SiblingAssessmentForm(forms.Form):
    completed_on = gds_date("Date the assessment was completed", kind=DateKind.HAPPENED)
    completed_by = forms.CharField(
        label="Who carried out the assessment",
        max_length=200,
        error_messages={"required": "Enter who carried out the assessment"},
    )
    recommendation = forms.ChoiceField(
        label="What the assessment recommends",
        choices=SiblingAssessment.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the assessment recommends"},
    )
    apart = forms.ModelMultipleChoiceField(
        label="Children to live apart from their brothers and sisters",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when the assessment recommends some live apart.",
    )
    summary = forms.CharField(
        label="What the assessment found",
        help_text="The children's individual and shared needs, and why it recommends this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the assessment found"},
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["apart"].queryset = members
        self.fields["apart"].label_from_instance = lambda c: f"{c.full_name} ({c.child_id})"
        self.helper = _helper(
            Field("completed_on"),
            Field.text("completed_by", field_width=30),
            Field.radios("recommendation", legend_size=Size.SMALL),
            Field.checkboxes("apart", legend_size=Size.SMALL),
            Field.textarea("summary", rows=5),
            submit="Record the assessment",
        )


class SiblingEvidenceForm(forms.Form):
    noted_on = gds_date("Date of the new evidence", kind=DateKind.HAPPENED)
    evidence = forms.CharField(
        label="What the new evidence is",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the new evidence is"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("noted_on"), Field.textarea("evidence", rows=5), submit="Record the evidence"
        )


class ContactForm(forms.Form):
    relationship = forms.ChoiceField(
        label="Contact with",
        choices=ContactArrangement.With.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the contact is with"},
    )
    person_name = forms.CharField(
        label="Their name",
        max_length=200,
        required=False,
        help_text="Not needed for a brother or sister in the sibling group.",
    )
    sibling = forms.ModelChoiceField(
        label="Brother or sister in the sibling group",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Choose…",
    )
    frequency = forms.CharField(
        label="How often",
        max_length=100,
        help_text="For example, “fortnightly” or “once a month for two hours”.",
        error_messages={"required": "Enter how often contact happens"},
    )
    kind = forms.ChoiceField(
        label="How",
        choices=ContactArrangement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how contact happens"},
    )
    supervision = forms.ChoiceField(
        label="Supervised or not",
        choices=ContactArrangement.Supervision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether contact is supervised"},
    )
    starts_on = gds_date("Date it starts", required=False, kind=DateKind.EVENT)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, siblings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sibling"].queryset = siblings
        self.fields["sibling"].label_from_instance = lambda c: f"{c.full_name} ({c.child_id})"
        self.helper = _helper(
            Field.radios("relationship", legend_size=Size.SMALL),
            Field.text("person_name", field_width=30),
            Field.select("sibling"),
            Field.text("frequency", field_width=30),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("supervision", legend_size=Size.SMALL),
            Field("starts_on"),
            Field.textarea("notes", rows=3),
            submit="Record the contact",
        )


class ContactEndForm(forms.Form):
    ended_on = gds_date("Date it ended", kind=DateKind.HAPPENED)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("ended_on"), submit="Record that it ended")


class SupportingAdultForm(forms.Form):
    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter the person's name"}
    )
    relationship = forms.CharField(
        label="Relationship to the child",
        max_length=200,
        error_messages={"required": "Enter their relationship to the child"},
    )
    support = forms.CharField(
        label="The support they will give",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the support they will give"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=30),
            Field.text("relationship", field_width=30),
            Field.textarea("support", rows=4),
            submit="Record the supporting adult",
        )


class SupervisionOrderForm(forms.Form):
    made_on = gds_date("Date the order was made", kind=DateKind.HAPPENED)
    conditions = forms.CharField(
        label="Conditions of the order",
        required=False,
        help_text="For example, a medical examination or particular activities.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("made_on"), Field.textarea("conditions", rows=3), submit="Record the order"
        )


class SupervisionOrderExtendForm(forms.Form):
    extended_on = gds_date("Date the court extended it", kind=DateKind.HAPPENED)
    extension_months = forms.IntegerField(
        label="Length of the extension in months",
        min_value=1,
        max_value=999,
        error_messages={
            "required": "Enter the length of the extension in months",
            "invalid": "Enter the length of the extension as a whole number of months",
            "min_value": "The extension must be at least 1 month",
            "max_value": "The extension is too long: no more than three years in all",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("extended_on"),
            Field.text("extension_months", field_width=4),
            submit="Record the extension",
        )


class SupervisionOrderEndForm(forms.Form):
    ended_on = gds_date("Date it ended or was discharged", kind=DateKind.HAPPENED)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("ended_on"), submit="Record that it ended")


class PlacementSupportForm(forms.Form):
    risk_noted_on = gds_date("Date the risk was identified", kind=DateKind.HAPPENED)
    risk = forms.CharField(
        label="What puts the placement at risk",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what puts the placement at risk"},
    )
    support = forms.CharField(
        label="The support offered",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the support offered"},
    )
    offered_on = gds_date("Date the support was offered", kind=DateKind.HAPPENED)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("risk_noted_on"),
            Field.textarea("risk", rows=3),
            Field.textarea("support", rows=3),
            Field("offered_on"),
            submit="Record the support",
        )
