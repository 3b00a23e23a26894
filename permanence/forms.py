"""Forms for the child register, laid out as GOV.UK Design System components."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.validators import MaxValueValidator, RegexValidator

from permanence.date_ranges import DateKind
from permanence.models import Child, Code, ConnectedPersonApproval, Team
from permanence.models.children import NO_EXTENSION, max_extension_weeks
from permanence.roles import Role
from permanence.selectors import caseload_filter_options, code_choices, staff_with_role


class GDSDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with the Design System's error wording.

    Whatever is typed into the three boxes ends as a date or a message beside the field, never
    an error page: crispy-forms-gds hands any string of digits to `datetime.date`, which
    overflows on a day of 99999999999. The date must also be plausible for its `kind`.
    """

    def __init__(self, *, label: str, kind: DateKind = DateKind.EVENT, **kwargs) -> None:
        super().__init__(label=label, **kwargs)
        self.label_text = label
        self.kind = kind
        self.error_messages.update(
            {
                "required": f"Enter the {label.lower()}",
                "incomplete": f"{label} must include a day, month and year",
                "invalid": f"{label} must be a real date",
            }
        )

    @property
    def _real_date_message(self) -> str:
        return f"{self.label_text} must be a real date"

    def _missing_parts(self, parts) -> None:
        """A date partly typed in says which part is missing, required or not."""
        named = list(zip(("day", "month", "year"), parts, strict=False))
        missing = [name for name, part in named if not str(part or "").strip()]
        if missing and len(missing) < 3:
            raise forms.ValidationError(
                f"{self.label_text} must include a {' and '.join(missing)}", code="incomplete"
            )

    def clean(self, value):
        for part in self.fields:
            # The library's "Enter a valid month" does not say which date is wrong; set here, not
            # in __init__, since a form may rename the date (label_text) after building it.
            part.validators = [RegexValidator(r"^[0-9]+\Z", self._real_date_message)]
        if isinstance(value, list | tuple) and len(value) == 3:
            self._missing_parts(value)
        return super().clean(value)

    def compress(self, data_list):
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day or month or year):
            return None
        self._missing_parts((day, month, year))
        if len(year) != 4:
            raise forms.ValidationError(
                f"{self.label_text} must include a year with 4 numbers, for example 2024",
                code="invalid",
            )
        if len(day) > 2 or len(month) > 2:
            raise forms.ValidationError(self._real_date_message, code="invalid")
        try:
            value = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(self._real_date_message, code="invalid") from exc
        problem = self.kind.range().problem(value, self.label_text)
        if problem:
            raise forms.ValidationError(problem, code="implausible")
        return value


def gds_date(
    label: str,
    *,
    required: bool = True,
    hint: str = "For example, 27 3 2024",
    kind: DateKind = DateKind.EVENT,
) -> GDSDateField:
    """A GOV.UK date input; `kind` says what it records, and so which dates are plausible."""
    return GDSDateField(label=label, required=required, help_text=hint, kind=kind)


class CodeChoiceField(forms.ChoiceField):
    """A select of SSDA903 codes; an unknown code gets a message naming the list."""

    def __init__(self, list_name: str, *, label: str, required: bool = True, **kwargs) -> None:
        self.list_name = list_name
        super().__init__(label=label, required=required, choices=(), **kwargs)
        self.error_messages["invalid_choice"] = (
            f"“%(value)s” is not an SSDA903 {label.lower()} code: choose one from the list"
        )
        self.error_messages["required"] = f"Select the {label.lower()}"

    def bind_choices(self) -> None:
        blank = [("", "Choose…")]
        self.choices = blank + code_choices(self.list_name)


class ChildForm(forms.Form):
    child_id = forms.CharField(
        label="Child identifier",
        max_length=10,
        help_text="The authority's SSDA903 CHILD identifier: up to 10 letters and numbers.",
        error_messages={"required": "Enter the child identifier"},
    )
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = gds_date(
        "Date of birth",
        required=False,
        hint="Leave blank for an unborn child. For example, 27 3 2020",
        kind=DateKind.BIRTH,
    )
    expected_date_of_birth = gds_date(
        "Expected date of birth",
        required=False,
        hint="Only for an unborn child.",
        kind=DateKind.EXPECTED_BIRTH,
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=[("", "Not known yet")] + list(Child.Sex.choices),
        required=False,
    )
    ethnicity = CodeChoiceField(Code.List.ETHNIC, label="Ethnicity", required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), error_messages={"required": "Select the team"}
    )
    social_worker = forms.ModelChoiceField(
        label="Allocated social worker", queryset=None, required=False, empty_label="Not allocated"
    )
    iro = forms.ModelChoiceField(
        label="Allocated IRO", queryset=None, required=False, empty_label="Not allocated yet"
    )
    religion = forms.CharField(label="Religion", max_length=100, required=False)
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    needs_interpreter = forms.BooleanField(
        label="Needs an interpreter",
        required=False,
        help_text="For the child or to talk with them.",
    )
    disability = forms.CharField(
        label="Disability", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    health_needs = forms.CharField(
        label="Health needs", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    told_how_to_complain_on = gds_date(
        "Date told how to make a complaint or representation",
        required=False,
        hint="Every child is told how to complain and how to get an advocate.",
        kind=DateKind.HAPPENED,
    )
    told_about_advocacy_on = gds_date(
        "Date told how to get an advocate", required=False, hint="", kind=DateKind.HAPPENED
    )
    court_stage = forms.ChoiceField(
        label="Court stage", choices=Child.CourtStage.choices, widget=forms.RadioSelect
    )
    proceedings_issued_on = gds_date(
        "Date care proceedings were issued", required=False, hint="", kind=DateKind.HAPPENED
    )
    proceedings_concluded_on = gds_date(
        "Date proceedings concluded", required=False, hint="", kind=DateKind.HAPPENED
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].bind_choices()
        self.fields["social_worker"].queryset = staff_with_role(role=Role.SOCIAL_WORKER)
        self.fields["iro"].queryset = staff_with_role(role=Role.IRO)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.text("child_id", field_width=10),
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field("date_of_birth"),
                Field("expected_date_of_birth"),
                Field.select("sex"),
                Field.select("ethnicity"),
                legend="The child",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("team"),
                Field.select("social_worker"),
                Field.select("iro"),
                legend="Allocation",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Weighed in the plan and in matching: the child\'s '
                    "culture, religion and language, and any disability or health needs.</p>"
                ),
                Field.text("religion", field_width=20),
                Field.text("first_language", field_width=20),
                Field.checkbox("needs_interpreter"),
                Field.textarea("disability", rows=3),
                Field.textarea("health_needs", rows=3),
                Field("told_how_to_complain_on"),
                Field("told_about_advocacy_on"),
                legend="Identity and needs",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("court_stage", legend_size=Size.SMALL),
                Field("proceedings_issued_on"),
                Field("proceedings_concluded_on"),
                legend="Court",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save"),
        )

    def clean(self) -> dict:
        data = super().clean()
        no_dates = not data.get("date_of_birth") and not data.get("expected_date_of_birth")
        if no_dates and "date_of_birth" not in self.errors:
            self.add_error(
                "date_of_birth",
                "Enter the date of birth, or the expected date of birth for an unborn child",
            )
        return data


class EpisodeForm(forms.Form):
    decom = gds_date("Start date", kind=DateKind.HAPPENED)
    rne = CodeChoiceField(Code.List.RNE, label="Reason for new episode")
    legal_status = CodeChoiceField(Code.List.LS, label="Legal status")
    place = CodeChoiceField(Code.List.PLACE, label="Placement type")
    place_provider = CodeChoiceField(
        Code.List.PLACE_PROVIDER, label="Placement provider", required=False
    )
    reason_place_change = CodeChoiceField(
        Code.List.REASON_PLACE_CHANGE,
        label="Reason the placement changed",
        required=False,
        help_text="Only when the child moves placement.",
    )
    cin = CodeChoiceField("CIN", label="Category of need")
    home_post = forms.CharField(
        label="Home postcode",
        max_length=8,
        required=False,
        help_text="Where the child lived when they became looked after.",
    )
    pl_post = forms.CharField(label="Placement postcode", max_length=8, required=False)
    urn = forms.CharField(
        label="Ofsted unique reference number of the placement",
        max_length=8,
        required=False,
        help_text="For placements Ofsted registers, such as foster carers' agencies and homes.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in (
            "rne",
            "legal_status",
            "place",
            "place_provider",
            "reason_place_change",
            "cin",
        ):
            self.fields[name].bind_choices()
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("decom"),
            Field.select("rne"),
            Field.select("legal_status"),
            Field.select("place"),
            Field.select("place_provider"),
            Field.select("reason_place_change"),
            Field.select("cin"),
            Field.text("home_post", field_width=10),
            Field.text("pl_post", field_width=10),
            Field.text("urn", field_width=10),
            Submit("submit", "Record episode"),
        )


class EpisodeEndForm(forms.Form):
    dec = gds_date("End date", kind=DateKind.HAPPENED)
    rec = CodeChoiceField(Code.List.REC, label="Reason episode ceased")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rec"].bind_choices()
        self.fields["rec"].choices = [c for c in self.fields["rec"].choices if c[0] != "X1"]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("dec"), Field.select("rec"), Submit("submit", "End episode")
        )


class ConnectedApprovalStartForm(forms.Form):
    """A connected person approved temporarily as a foster carer (CPPCR 2010 reg 24)."""

    placed_on = gds_date(
        "Date placed with the connected person",
        hint="The day the child went to live with them. For example, 27 3 2026",
        kind=DateKind.HAPPENED,
    )
    carers = forms.CharField(
        label="Connected person or people",
        max_length=200,
        help_text="Their names, for example Jean and Peter Smith (grandparents).",
        error_messages={"required": "Enter the names of the connected person or people"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("placed_on"),
            Field.text("carers", field_width=30),
            Submit("submit", "Record the temporary approval"),
        )


class ConnectedApprovalExtendForm(forms.Form):
    """The one extension of a temporary approval, agreed by the nominated officer (reg 25)."""

    extended_on = gds_date("Date the extension was agreed", kind=DateKind.HAPPENED)
    extension_weeks = forms.IntegerField(
        label="Length of the extension in weeks",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    extension_agreed_by = forms.CharField(
        label="Agreed by",
        max_length=200,
        help_text="The nominated officer's name and role.",
        error_messages={"required": "Enter who agreed the extension"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        longest = max_extension_weeks()
        weeks = self.fields["extension_weeks"]
        weeks.help_text = f"Up to {longest} weeks. The temporary approval can be extended once."
        range_message = (
            f"The extension must be between 1 and {longest} weeks" if longest else NO_EXTENSION
        )
        weeks.error_messages.update(
            {
                "required": "Enter the length of the extension in weeks",
                "invalid": "The length of the extension must be a whole number of weeks",
                "min_value": range_message,
                "max_value": range_message,
            }
        )
        weeks.validators.append(MaxValueValidator(longest))
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("extended_on"),
            Field.text("extension_weeks", field_width=2),
            Field.text("extension_agreed_by", field_width=30),
            Submit("submit", "Record the extension"),
        )


class ConnectedApprovalResolveForm(forms.Form):
    """How the temporary approval ended (regs 24-25)."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ConnectedPersonApproval.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    resolved_on = gds_date("Date of the outcome", kind=DateKind.HAPPENED)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field("resolved_on"),
            Submit("submit", "Record the outcome"),
        )


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label="Name or child identifier", required=False)
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    worker = forms.TypedChoiceField(
        label="Social worker",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a social worker from the list"},
    )
    legal_status = CodeChoiceField(Code.List.LS, label="Legal status", required=False)
    court_stage = forms.ChoiceField(
        label="Court stage",
        choices=[("", "Any stage")] + list(Child.CourtStage.choices),
        required=False,
    )
    looked_after = forms.ChoiceField(
        label="Looked after",
        required=False,
        choices=[
            ("", "Everyone"),
            ("yes", "Looked after now"),
            ("no", "Not looked after"),
            ("unborn", "Unborn"),
        ],
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_status"].choices = [("", "Any legal status")] + code_choices(
            Code.List.LS
        )
        # Only the teams and workers of the children the reader may see (issue 19).
        teams, workers = caseload_filter_options(user=user)
        self.fields["team"].choices = [("", "All teams"), *teams]
        self.fields["worker"].choices = [("", "All workers"), *workers]
