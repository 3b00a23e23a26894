"""Forms for the plan, laid out as GOV.UK Design System components (crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms

from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import Child, Plan, User
from permanence.models.plans import LADDER, PERMANENCE_ROUTES, Route
from permanence.plans.services import RATIFICATION_CHECKLIST, OptionInput, ruled_out_rungs
from permanence.roles import Role
from permanence.selectors import today

REASON_ERRORS = {"required": "Enter the reason"}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    return helper


def route_choices(child: Child, *, exclude: str = "") -> list[tuple[str, str]]:
    """The routes open to the child: a pathway plan at 16 and over, else the ladder (000, 001)."""
    routes = (Route.PATHWAY_PLAN,) if child.needs_pathway_plan(today()) else PERMANENCE_ROUTES
    return [(r, Route(r).label) for r in routes if r != exclude]


class RuledOutFieldsMixin:
    """One optional set of fields for each rung not yet ruled out: why, when and by whom.

    Moving down the ladder needs a reason for every rung passed over (002 §6); the service says
    which are missing and its errors land beside these fields (`ruled_out_<rung>`).
    """

    def add_ruled_out_fields(self, child: Child) -> list:
        already = ruled_out_rungs(child)
        self.open_rungs = [r for r in LADDER if r not in already]
        layout = []
        for rung in self.open_rungs:
            label = Route(rung).label
            self.fields[f"ruled_out_{rung}"] = forms.CharField(
                label=f"Why {label.lower()} was ruled out",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"ruled_out_{rung}_on"] = gds_date(
                f"Date {label.lower()} was considered", required=False, kind=DateKind.HAPPENED
            )
            self.fields[f"ruled_out_{rung}_by"] = forms.CharField(
                label="Who considered it",
                required=False,
                max_length=200,
                help_text="A person, panel or meeting. Leave blank if it was you.",
            )
            layout.append(
                Fieldset(
                    Field.textarea(f"ruled_out_{rung}", rows=3),
                    Field(f"ruled_out_{rung}_on"),
                    Field.text(f"ruled_out_{rung}_by", field_width=20),
                    legend=label,
                    legend_size=Size.SMALL,
                )
            )
        return layout

    def ruled_out_options(self) -> list[OptionInput]:
        data = self.cleaned_data
        options = []
        for rung in self.open_rungs:
            why = (data.get(f"ruled_out_{rung}") or "").strip()
            on = data.get(f"ruled_out_{rung}_on")
            if why or on:
                options.append(OptionInput(rung, on, why, data.get(f"ruled_out_{rung}_by") or ""))
        return options


def _ruled_out_intro(open_rungs) -> HTML:
    if not open_rungs:
        return HTML("")
    return HTML(
        '<h2 class="govuk-heading-m">Options considered and ruled out</h2>'
        '<p class="govuk-body">Before a plan takes a route, each option this authority asks '
        "to be ruled out first must have been considered and ruled out. For each one, say "
        "why it was ruled out.</p>{% load permanence_tags %}{% ladder_setting %}"
    )


class PlanCreateForm(RuledOutFieldsMixin, forms.Form):
    route = forms.ChoiceField(
        label="Route to permanence",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a route to permanence"},
    )
    contingency_route = forms.ChoiceField(
        label="Contingency route",
        required=False,
        help_text="The parallel plan if the route does not succeed (required for ratification).",
    )
    early_permanence = forms.BooleanField(
        label="Adoption is pursued through fostering for adoption or early permanence",
        required=False,
    )
    summary = forms.CharField(
        label="The plan", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = route_choices(child)
        self.fields["contingency_route"].choices = [("", "None yet")] + [
            (r, Route(r).label) for r in PERMANENCE_ROUTES
        ]
        ruled_out = self.add_ruled_out_fields(child)
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.radios("route", legend_size=Size.MEDIUM),
            Field.select("contingency_route"),
            Field.checkbox("early_permanence"),
            Field.textarea("summary", rows=4),
            _ruled_out_intro(self.open_rungs),
            *ruled_out,
            Submit("submit", "Save draft plan"),
        )


class PlanDetailsForm(forms.Form):
    contingency_route = forms.ChoiceField(label="Contingency route", required=False)
    early_permanence = forms.BooleanField(
        label="Adoption is pursued through fostering for adoption or early permanence",
        required=False,
    )
    summary = forms.CharField(
        label="The plan", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    timescales = forms.CharField(
        label="Timescales",
        required=False,
        help_text="When each part of the plan will be achieved.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources = forms.CharField(
        label="Resources",
        required=False,
        help_text="What the plan needs, and whether it is available.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_review_on = gds_date("Date set for reviewing the plan", required=False)
    identity_and_needs = forms.CharField(
        label="How the plan meets the child's identity and needs",
        required=False,
        help_text="Their ethnic origin, culture, religion and language, and any disability or "
        "health needs.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    placed_out_of_area = forms.BooleanField(
        label="The child is, or will be, placed outside the authority's area", required=False
    )
    out_of_area_reason = forms.CharField(
        label="Why the child is placed outside the authority's area",
        required=False,
        help_text="The child's particular needs, and how local support was explored. "
        "Needed for any placement away from the child's community.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_views = forms.CharField(
        label="The child's views", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parents_views = forms.CharField(
        label="The parents' views", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    others_views = forms.CharField(
        label="Views of other important people",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["contingency_route"].choices = [("", "None yet")] + [
            (r, Route(r).label) for r in PERMANENCE_ROUTES if r != plan.route
        ]
        if plan.needs_new_version_to_change:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages = REASON_ERRORS
            self.fields["reason"].help_text = (
                "This plan has been ratified: saving makes a new version that needs "
                "ratifying again."
            )
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.select("contingency_route"),
            Field.checkbox("early_permanence"),
            Field.textarea("summary", rows=4),
            Field.textarea("timescales", rows=3),
            Field.textarea("resources", rows=3),
            Field("plan_review_on"),
            Field.textarea("identity_and_needs", rows=3),
            Fieldset(
                Field.checkbox("placed_out_of_area"),
                Field.textarea("out_of_area_reason", rows=3),
                legend="Where the child lives",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("child_views", rows=3),
                Field.textarea("parents_views", rows=3),
                Field.textarea("others_views", rows=3),
                legend="Views",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("reason", rows=2),
            Submit("submit", "Save the plan"),
        )

    def details(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        return data


class PlanRouteForm(RuledOutFieldsMixin, forms.Form):
    route = forms.ChoiceField(
        label="New route",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new route"},
    )
    reason = forms.CharField(
        label="Why the route is changing",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REASON_ERRORS,
    )

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = route_choices(plan.child, exclude=plan.route)
        # The current rung is offered too: moving down passes over it (002 §6).
        ruled_out = self.add_ruled_out_fields(plan.child)
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.radios("route", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=3),
            _ruled_out_intro(self.open_rungs),
            *ruled_out,
            Submit("submit", "Change the route"),
        )


class ReasonForm(forms.Form):
    """A reason (and a date) for a status transition: every change says why."""

    on = gds_date(
        "Date",
        required=False,
        hint="Leave blank for today. For example, 27 3 2025",
        kind=DateKind.HAPPENED,
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), error_messages=REASON_ERRORS
    )

    def __init__(self, *args, button: str, with_date: bool = True, reason_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if reason_label:
            self.fields["reason"].label = reason_label
        if not with_date:
            del self.fields["on"]
        self.helper = _helper()
        self.helper.layout = Layout(
            *([Field("on")] if with_date else []),
            Field.textarea("reason", rows=3),
            Submit("submit", button),
        )


class ChecklistForm(forms.Form):
    """The IRO's checklist (002 §7): ratify only when every item is ticked."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RATIFICATION_CHECKLIST:
            self.fields[key] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key, _ in RATIFICATION_CHECKLIST}

    def checklist_layout(self) -> list:
        return [Field.checkbox(key) for key, _ in RATIFICATION_CHECKLIST]


class FinalPlanRatifyForm(ChecklistForm):
    """A group manager ratifies the final plan before it is filed to court (004)."""

    reason = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note on the ratification"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(
                *self.checklist_layout(),
                legend="Checklist",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("reason", rows=3),
            Submit("submit", "Ratify the final plan"),
        )


class ActionForm(forms.Form):
    what = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=User.objects.none(),
        error_messages={"required": "Choose who will do it"},
    )
    due_on = gds_date("Due by")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case_roles = [Role(r).label for r in Role if r != Role.ADMINISTRATOR]
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=case_roles)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.textarea("what", rows=3),
            Field.select("owner"),
            Field("due_on"),
            Submit("submit", "Add the action"),
        )
