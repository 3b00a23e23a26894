"""Forms for the forums app, laid out as GOV.UK Design System components.

They validate input only; the services decide and save.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone

from forums import matching_forms, plans, selectors
from forums.models import (
    Consulted,
    Disruption,
    Meeting,
    MeetingAction,
    MeetingAssessment,
    MeetingMatter,
    MeetingType,
    Part1,
    Part1Attachment,
)
from forums.models import Pathway as PathwayChoices
from forums.models.meetings import (
    AGENDAS,
    BUNDLE_PANEL_KINDS,
    CPM_ALWAYS_INVITED,
    CPM_MATTERS,
    MEETING_INVITEE_CHOICES,
    PPM_AGENDA,
    GatewayPaper,
    Invitee,
    PanelMember,
)
from forums.services import CPR_TASK, ActionInput, AssessmentInput, TaskInput
from forums.services.meetings import MATCHING_FLOW_KINDS
from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import Child, User
from permanence.models.plans import Route
from permanence.navigation import ALL_CASE_ROLES
from permanence.roles import Role
from permanence.selectors import staff_with_role
from permanence.timescales import Standing, timescale

TASK_ROWS = 5
MAX_TASK_ROWS = 50
ACTION_ROWS = 4
ASSESSMENT_ROWS = 4


def _helper(*layout, label_size=Size.SMALL) -> FormHelper:
    helper = FormHelper()
    # The page's template holds the <form> element and its CSRF token.
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = label_size
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username}" + (
            f" ({obj.job_title})" if obj.job_title else ""
        )


class TimeInput(forms.TimeField):
    def __init__(self, *, label: str, required: bool = True, **kwargs) -> None:
        super().__init__(
            label=label,
            required=required,
            input_formats=["%H:%M", "%H.%M", "%H%M"],
            help_text="Use the 24-hour clock, for example 10:00 or 14:30",
            error_messages={
                "required": f"Enter the {label.lower()}",
                "invalid": f"Enter the {label.lower()} as hours and minutes, for example 14:30",
            },
            # Django's TimeInput is not one crispy-forms-gds styles, so give it the GOV.UK classes.
            widget=forms.TimeInput(
                format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}
            ),
            **kwargs,
        )


# -- sessions and bookings --------------------------------------------------------------------


class SessionForm(forms.Form):
    forum_date = gds_date("Date of the forum")
    start_time = TimeInput(label="Start time")
    venue = forms.CharField(
        label="Venue", max_length=200, error_messages={"required": "Enter the venue"}
    )
    chair = StaffChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        error_messages={"required": "Select the chair"},
    )
    slot_count = forms.IntegerField(
        label="Number of slots",
        min_value=1,
        max_value=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Each slot holds one child.",
        error_messages={
            "required": "Enter the number of slots",
            "invalid": "The number of slots must be a whole number, like 6",
            "min_value": "A session needs at least 1 slot",
            "max_value": "A session can have at most 20 slots",
        },
    )
    slot_minutes = forms.IntegerField(
        label="Minutes for each slot",
        min_value=5,
        max_value=240,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        initial=30,
        error_messages={
            "required": "Enter the minutes for each slot",
            "invalid": "Enter the minutes for each slot as a whole number, like 30",
            "min_value": "A slot must be at least 5 minutes",
            "max_value": "A slot can be at most 240 minutes",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = staff_with_role(role=Role.FORUM_CHAIR)
        self.helper = _helper(
            Field("forum_date"),
            Field("start_time"),
            Field.text("venue", field_width=20),
            Field.select("chair"),
            Field.text("slot_count", field_width=3),
            Field.text("slot_minutes", field_width=3),
            Submit("submit", "Open the session"),
        )


class SessionChangeForm(forms.Form):
    """Change a session's date, time, venue, chair or slots; the reason goes to those booked."""

    forum_date = gds_date("Date of the forum")
    start_time = TimeInput(label="Start time")
    venue = forms.CharField(
        label="Venue", max_length=200, error_messages={"required": "Enter the venue"}
    )
    chair = StaffChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        error_messages={"required": "Select the chair"},
    )
    slots = forms.IntegerField(
        label="Number of slots",
        min_value=1,
        max_value=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Each slot holds one child. It cannot be fewer than the children booked.",
        error_messages={
            "required": "Enter the number of slots",
            "invalid": "The number of slots must be a whole number, like 6",
            "min_value": "A session needs at least 1 slot",
            "max_value": "A session can have at most 20 slots",
        },
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea,
        help_text="The chair and the social workers of the children booked are told it.",
        error_messages={"required": "Enter the reason for changing the session"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = staff_with_role(role=Role.FORUM_CHAIR)
        self.helper = _helper(
            Field("forum_date"),
            Field("start_time"),
            Field.text("venue", field_width=20),
            Field.select("chair"),
            Field.text("slots", field_width=3),
            Field.textarea("reason", rows=4),
            Submit("submit", "Change the session"),
        )

    @classmethod
    def initial_for(cls, session) -> dict:
        return {
            "forum_date": session.forum_date,
            "start_time": session.start_time,
            "venue": session.venue,
            "chair": session.chair_id,
            "slots": session.slot_count,
        }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling the forum",
        widget=forms.Textarea,
        help_text="Each social worker is told it, with a request to book another forum.",
        error_messages={"required": "Enter the reason for cancelling the forum"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", rows=4),
            Submit("submit", "Cancel the session", css_class="govuk-button--warning"),
        )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        free = obj.slot_count - obj.live_count
        standing = obj.part1_standing()
        cutoff = (
            " (the cut-off has passed)"
            if standing == Standing.OVERDUE
            else " (soon)"
            if standing == Standing.DUE_SOON
            else ""
        )
        return (
            f"{obj.forum_date:%A %-d %B %Y}, {obj.start_time:%H:%M}, {obj.venue}: "
            f"{free} of {obj.slot_count} slot{'s' if obj.slot_count != 1 else ''} free. "
            f"Part 1 due by {timezone.localtime(obj.part1_due_at):%H:%M on %A %-d %B %Y}{cutoff}"
        )


class BookingForm(forms.Form):
    child = forms.ModelChoiceField(
        label="Child",
        queryset=Child.objects.none(),
        empty_label="Choose the child",
        error_messages={"required": "Select the child", "invalid_choice": "Select the child"},
    )
    session = SessionChoiceField(
        label="Forum session",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Only sessions still to come with a free slot are listed.",
        error_messages={
            "required": "Select a forum session",
            "invalid_choice": "That session is no longer open for booking: choose another",
        },
    )
    pathway = forms.ChoiceField(
        label="Referral pathway",
        choices=PathwayChoices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the referral pathway"},
    )
    connected_placement_broken_down = forms.BooleanField(
        label="The child's placement with a connected person has broken down",
        required=False,
        help_text="Only for a child placed with a relative or friend: such a child does not "
        "need a forum unless the placement has broken down.",
    )
    breakdown_details = forms.CharField(
        label="What happened to the placement", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, user: User, show_connected: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = selectors.children_to_book(user=user)
        from forums.models import ForumSession

        ids = [s.pk for s in selectors.sessions_with_space()]
        self.fields["session"].queryset = (
            selectors._with_fill(ForumSession.objects.filter(pk__in=ids))
            .select_related("chair")
            .order_by("forum_date", "start_time")
        )
        # The breakdown question matters only for a child placed with a connected person.
        connected = (
            [
                Fieldset(
                    Field.checkbox("connected_placement_broken_down", small=True),
                    Field.textarea("breakdown_details", rows=4),
                    legend="Placement with a connected person",
                    legend_size=Size.SMALL,
                )
            ]
            if show_connected
            else []
        )
        self.helper = _helper(
            Field.select("child"),
            Field.radios("session", legend_size=Size.SMALL),
            Field.radios("pathway", legend_size=Size.SMALL),
            *connected,
            Submit("submit", "Request the slot"),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea)

    def __init__(self, *args, label: str, button: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"Enter the {label.lower()}"
        self.helper = _helper(Field.textarea("reason", rows=4), Submit("submit", button))


# -- Part 1 -----------------------------------------------------------------------------------


def _route_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *Route.choices]


class Part1Form(forms.ModelForm):
    """Every field optional here: a draft may be partial; the service checks a submission."""

    # A paper sent with Part 1: checked for type and size by the service, stored privately.
    attachment_kind = forms.ChoiceField(
        label="What the paper is",
        choices=[("", "Choose what it is"), *Part1Attachment.Kind.choices],
        required=False,
    )
    attachment = forms.FileField(
        label="Attach a paper",
        required=False,
        help_text="A genogram, chronology or assessment: a PDF, Word, ODT or RTF document, "
        "smaller than 20 MB. It is attached when you save or submit Part 1.",
    )

    class Meta:
        model = Part1
        fields = Part1.CONTENT_FIELDS
        widgets = {
            "child_consulted": forms.RadioSelect,
            "parents_consulted": forms.RadioSelect,
            "others_consulted": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("child_consulted", "parents_consulted", "others_consulted"):
            self.fields[name].choices = Consulted.choices
            self.fields[name].required = False
        self.fields["proposed_route"].choices = _route_choices("Choose the route")
        self.fields["contingency_route"].choices = _route_choices("Choose the contingency")
        for field in self.fields.values():
            field.required = False
        self.fields["child_views"].help_text = "If the child was not consulted, say why."
        self.fields["parents_views"].help_text = "If they were not consulted, say why."
        self.fields[
            "others_views"
        ].help_text = "Name who they are. If nobody was consulted, say why."
        self.helper = _helper(
            Fieldset(
                Field.textarea("reason_for_referral", rows=4),
                Field.textarea("child_situation", rows=6),
                legend="The child",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("family_explored", rows=5),
                legend="Family and connected persons",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("child_consulted", small=True),
                Field.textarea("child_views", rows=3),
                Field.radios("parents_consulted", small=True),
                Field.textarea("parents_views", rows=3),
                Field.radios("others_consulted", small=True),
                Field.textarea("others_views", rows=3),
                legend="Consultation",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("options_considered", rows=5),
                Field.select("proposed_route"),
                Field.select("contingency_route"),
                Field.textarea("route_details", rows=4),
                legend="Options and the proposed plan",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML('{% include "forums/partials/_part1_papers.html" with editable=True %}'),
                Field.select("attachment_kind"),
                Field("attachment"),
                legend="Papers for the forum",
                legend_size=Size.MEDIUM,
            ),
            HTML(
                '<div class="govuk-button-group">'
                '<button type="submit" name="action" value="save" '
                'class="govuk-button govuk-button--secondary" data-module="govuk-button">'
                "Save as draft</button>"
                '<button type="submit" name="action" value="submit" class="govuk-button" '
                'data-module="govuk-button">Submit Part 1 to CPS duty</button></div>'
            ),
        )


# -- Part 2 -----------------------------------------------------------------------------------


def _task_row_names(n: int) -> tuple[str, str, str]:
    return f"task_{n}_what", f"task_{n}_owner", f"task_{n}_due_on"


class Part2Form(forms.Form):
    advice = forms.CharField(label="The forum's advice", required=False, widget=forms.Textarea)
    advised_route = forms.ChoiceField(label="Route to permanence the forum advises", required=False)
    advised_contingency_route = forms.ChoiceField(
        label="Contingency route the forum advises", required=False
    )
    cpr_owner = StaffChoiceField(
        label="Who will complete it", queryset=User.objects.none(), required=False
    )
    cpr_due_on = gds_date("Due date", required=False)
    sgo_with_relatives = forms.BooleanField(
        label="The special guardians are relatives or connected people",
        required=False,
        help_text="Then no Child Permanence Report is needed.",
    )

    def __init__(self, *args, show_cpr: bool, rows: int = TASK_ROWS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any number of tasks: the page adds a row each time "Add another task" is pressed.
        self.rows = max(TASK_ROWS, min(rows, MAX_TASK_ROWS))
        owners = selectors.task_owner_choices()
        self.fields["advised_route"].choices = _route_choices("Choose the route")
        self.fields["advised_contingency_route"].choices = _route_choices("None")
        self.fields["cpr_owner"].queryset = owners
        self.fields["cpr_owner"].empty_label = "Choose who"
        task_fieldsets = []
        for n in range(1, self.rows + 1):
            what, owner, due = _task_row_names(n)
            self.fields[what] = forms.CharField(label="What", max_length=300, required=False)
            self.fields[owner] = StaffChoiceField(
                label="Owner", queryset=owners, required=False, empty_label="Choose who"
            )
            self.fields[due] = gds_date("Due date", required=False, hint="")
            task_fieldsets.append(
                Fieldset(
                    Field.text(what),
                    Field.select(owner),
                    Field(due),
                    legend=f"Task {n}",
                    legend_size=Size.SMALL,
                )
            )
        self.show_cpr = show_cpr or plans.is_outside_birth_family(self.data.get("advised_route"))
        cpr = []
        if self.show_cpr:
            cpr = [
                Fieldset(
                    HTML(
                        '<p class="govuk-body">The route is outside the birth family, so a '
                        "Child Permanence Report is needed (not for special guardianship with "
                        "relatives, nor a pathway plan).</p>"
                    ),
                    Field.checkbox("sgo_with_relatives", small=True),
                    Field.select("cpr_owner"),
                    Field("cpr_due_on"),
                    legend="Task: complete the Child Permanence Report",
                    legend_size=Size.MEDIUM,
                )
            ]
        self.helper = _helper(
            Field.textarea("advice", rows=8),
            Field.select("advised_route"),
            Field.select("advised_contingency_route"),
            *cpr,
            Fieldset(
                HTML(
                    '<p class="govuk-body">Each task needs what, an owner and a due date. '
                    "Leave the rows you do not need empty.</p>"
                ),
                *task_fieldsets,
                HTML(
                    f'<input type="hidden" name="rows" value="{self.rows}">'
                    '<button type="submit" name="action" value="more" '
                    'class="govuk-button govuk-button--secondary" data-module="govuk-button">'
                    "Add another task</button>"
                ),
                legend="Tasks",
                legend_size=Size.MEDIUM,
            ),
            HTML(
                '<div class="govuk-button-group">'
                '<button type="submit" name="action" value="save" '
                'class="govuk-button govuk-button--secondary" data-module="govuk-button">'
                "Save as draft</button>"
                '<button type="submit" name="action" value="send" class="govuk-button" '
                'data-module="govuk-button">Send Part 2</button></div>'
            ),
        )

    def clean(self):
        data = super().clean()
        tasks: list[TaskInput] = []
        today = timezone.localdate()
        if self.data.get("action") == "send":
            # Said here as well as by the service, so one try shows every gap at once.
            if not (data.get("advice") or "").strip():
                self.add_error("advice", "Enter the forum's advice")
            if not data.get("advised_route"):
                self.add_error("advised_route", "Select the route to permanence the forum advises")
        if plans.needs_child_permanence_report(
            data.get("advised_route"), sgo_with_relatives=bool(data.get("sgo_with_relatives"))
        ):
            owner, due = data.get("cpr_owner"), data.get("cpr_due_on")
            if owner or due:
                if not owner:
                    self.add_error("cpr_owner", "Select who will complete the report")
                if not due:
                    self.add_error("cpr_due_on", "Enter the due date for the report")
                elif due < today:
                    self.add_error("cpr_due_on", "The due date must be today or in the future")
                if owner and due and due >= today:
                    tasks.append(
                        TaskInput(
                            what=CPR_TASK,
                            owner=owner,
                            due_on=due,
                            is_child_permanence_report=True,
                        )
                    )
        for n in range(1, self.rows + 1):
            row = _task_row(self, n, today, what_label="what the task is")
            if row is not None:
                tasks.append(TaskInput(*row))
        data["tasks"] = tasks
        return data


def _task_row(form: forms.Form, n: int, today: dt.date, *, what_label: str, prefix="task"):
    """One row of what / owner / due date: all or nothing, with a message beside each gap."""
    what_f, owner_f, due_f = f"{prefix}_{n}_what", f"{prefix}_{n}_owner", f"{prefix}_{n}_due_on"
    data = form.cleaned_data
    what, owner, due = (data.get(what_f) or "").strip(), data.get(owner_f), data.get(due_f)
    if due_f in form.errors:
        return None
    if not (what or owner or due):
        return None
    ok = True
    if not what:
        form.add_error(what_f, f"Enter {what_label} ({prefix} {n})")
        ok = False
    if not owner:
        form.add_error(owner_f, f"Select the owner of {prefix} {n}")
        ok = False
    if not due:
        form.add_error(due_f, f"Enter the due date of {prefix} {n}")
        ok = False
    elif due < today:
        form.add_error(due_f, f"The due date of {prefix} {n} must be today or in the future")
        ok = False
    return (what, owner, due) if ok else None


# -- meetings ---------------------------------------------------------------------------------


class MeetingStartForm(forms.Form):
    """Step one, by GET: which child, and which kind of meeting."""

    child = forms.ModelChoiceField(
        label="Child",
        queryset=Child.objects.none(),
        empty_label="Choose the child",
        error_messages={"required": "Select the child", "invalid_choice": "Select the child"},
    )
    type = forms.ModelChoiceField(
        label="Panel or meeting",
        queryset=MeetingType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the panel or meeting",
            "invalid_choice": "Select the panel or meeting",
        },
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from permanence.selectors import children_for_user

        self.fields["child"].queryset = children_for_user(user=user).order_by(
            "last_name", "first_name"
        )
        self.fields["type"].queryset = selectors.meeting_types()
        self.helper = _helper(
            Field.select("child"),
            Field.radios("type", legend_size=Size.SMALL),
            Submit("submit", "Continue"),
        )
        self.helper.form_method = "get"


def _attendee_choices(child: Child):
    """Staff who might attend: the child's team, and central staff (chairs, CPS duty, IROs)."""
    case_roles = [Role(r).label for r in ALL_CASE_ROLES]
    return (
        User.objects.filter(is_active=True, groups__name__in=case_roles)
        .filter(Q(team=child.team_id) | Q(team__isnull=True))
        .distinct()
        .order_by("first_name", "last_name")
    )


class AttendeesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username}" + (
            f" ({obj.job_title})" if obj.job_title else ""
        )


class MeetingScheduleForm(forms.Form):
    scheduled_for = gds_date("Date")
    start_time = TimeInput(label="Start time", required=False)
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    staff_attendees = AttendeesField(
        label="Staff attending",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label="Other attendees",
        required=False,
        widget=forms.Textarea,
        help_text="For example, legal services, the child's guardian.",
    )
    match_carers = forms.CharField(
        label="Carers in the proposed match", max_length=200, required=False
    )
    form_f_updated_on = gds_date(
        "Form F completed or last updated on",
        required=False,
        kind=DateKind.HAPPENED,
        hint="It must be less than {form_f_current} old on the panel date.",
    )
    cpr_updated_on = gds_date(
        "Child Permanence Report completed or last updated on",
        required=False,
        kind=DateKind.HAPPENED,
        hint="It must be less than {cpr_current} old on the panel date.",
    )
    matching_report = forms.FileField(
        label="Matching report",
        required=False,
        help_text="From the matching meeting: a PDF or Word document, smaller than 20MB.",
    )
    chair = StaffChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose the team manager",
        help_text="The team manager of the child's social worker chairs the meeting.",
    )
    invited_roles = forms.MultipleChoiceField(
        label="Invited",
        choices=MEETING_INVITEE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The social worker, the independent reviewing officer, legal services and the "
        "fostering or adoption service are always invited; the guardian, the Virtual School and "
        "CAMHS where there is one or where needed.",
    )

    initial_plan = forms.CharField(
        label="Initial permanence plan",
        required=False,
        widget=forms.Textarea,
        help_text="As the referral form sets it out: the plan and its contingency.",
    )
    papers = forms.MultipleChoiceField(
        label="Papers ready for the panel",
        choices=GatewayPaper.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The panel hears a case only with all four.",
    )

    def __init__(self, *args, child: Child, meeting_type: MeetingType, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff_attendees"].queryset = _attendee_choices(child)
        gateway = []
        if meeting_type.kind == MeetingType.Kind.LEGAL_GATEWAY:
            # Not required here: the service names the missing plan and papers together.
            gateway = [
                Fieldset(
                    Field.textarea("initial_plan", rows=4),
                    Field.checkboxes("papers", small=True),
                    legend="The referral",
                    legend_size=Size.MEDIUM,
                )
            ]
        else:
            del self.fields["initial_plan"], self.fields["papers"]
        care_planning = meeting_type.kind == MeetingType.Kind.CARE_PLANNING
        planning = []
        if care_planning:
            managers = staff_with_role(role=Role.TEAM_MANAGER)
            if child.team_id:
                managers = managers.filter(team=child.team_id)
            self.fields["chair"].queryset = managers
            self.fields["chair"].required = True
            self.fields["chair"].error_messages["required"] = (
                "Select the team manager who will chair the meeting"
            )
            self.fields["invited_roles"].required = True
            self.fields["invited_roles"].error_messages["required"] = (
                "Select who is invited to the meeting"
            )
            self.fields["invited_roles"].initial = [*CPM_ALWAYS_INVITED, Invitee.GUARDIAN]
            planning = [Field.select("chair"), Field.checkboxes("invited_roles", small=True)]
        else:
            del self.fields["chair"], self.fields["invited_roles"]
        for name, code in (
            ("form_f_updated_on", "form_f_current"),
            ("cpr_updated_on", "cpr_current"),
        ):
            # How old each paper may be, as the administrator has set it (SPEC §5).
            field = self.fields[name]
            field.help_text = field.help_text.format(**{code: timescale(code).offset})
        matching = meeting_type.kind == MeetingType.Kind.MATCHING_PANEL
        if matching:
            self.fields["scheduled_for"].label = "Date of the panel"
            self.fields["scheduled_for"].label_text = "Date of the panel"
        papers = []
        if matching:
            papers = [
                Fieldset(
                    Field.text("match_carers", field_width=20),
                    Field("form_f_updated_on"),
                    Field("cpr_updated_on"),
                    Field("matching_report"),
                    legend="The match and its papers",
                    legend_size=Size.MEDIUM,
                )
            ]
        else:
            for name in ("match_carers", "form_f_updated_on", "cpr_updated_on", "matching_report"):
                del self.fields[name]
        if meeting_type.kind in MATCHING_FLOW_KINDS:
            # The matching meeting and the adoption or fostering panel (000, 003).
            papers = matching_forms.schedule_fields(self, child, meeting_type)
            matching = meeting_type.kind != MeetingType.Kind.MATCHING_MEETING
        self.helper = _helper(
            Field("scheduled_for"),
            Field.text("start_time", field_width=5),
            Field.text("venue", field_width=20),
            *planning,
            Field.checkboxes("staff_attendees", small=True),
            Field.textarea("other_attendees", rows=3),
            *gateway,
            *papers,
            Submit("submit", "List the match" if matching else "Add the meeting"),
        )


class MeetingRecordForm(forms.Form):
    held_on = gds_date("Date held", kind=DateKind.HAPPENED)
    staff_attendees = AttendeesField(
        label="Staff who attended",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label="Other attendees", required=False, widget=forms.Textarea
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the meeting decided"},
    )
    gateway_decision = forms.ChoiceField(
        label="The panel's decision",
        choices=Meeting.GatewayDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rag_rating = forms.ChoiceField(
        label="RAG rating of the plan",
        choices=Meeting.Rag.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG rating", required=False, widget=forms.Textarea
    )
    match_recommendation = forms.ChoiceField(
        label="The panel's recommendation",
        choices=Meeting.MatchRecommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    plan_ratified = forms.TypedChoiceField(
        label="Did the panel ratify the initial permanence plan?",
        choices=[("yes", "Yes, ratified"), ("no", "No, not ratified")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    adoption_contingency = forms.BooleanField(
        label="Adoption is being considered as one of the contingency plans",
        required=False,
        help_text="With a decision to issue care proceedings, the Stage 1 notice goes to the "
        "regional adoption agency.",
    )
    early_family_finding = forms.ChoiceField(
        label="Decision on early family finding",
        help_text="Court permission must be considered for both adoption and permanent fostering.",
        choices=Meeting.EarlyFamilyFinding.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    early_family_finding_reason = forms.CharField(
        label="Why not at this stage", required=False, widget=forms.Textarea
    )
    ffa_considered = forms.TypedChoiceField(
        label="Was fostering for adoption considered?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    ffa_reason = forms.CharField(
        label="Why not", required=False, widget=forms.Textarea, max_length=2000
    )
    attended_roles = forms.MultipleChoiceField(
        label="Who attended",
        choices=MEETING_INVITEE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who attended the meeting"},
    )
    carried_done = forms.ModelMultipleChoiceField(
        label="Actions from earlier meetings now done",
        help_text="Actions not ticked stay open and come back to the next meeting.",
        queryset=MeetingAction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting: Meeting, carried=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = meeting.meeting_type.kind
        self.kind = kind
        self.fields["staff_attendees"].queryset = _attendee_choices(meeting.child)
        owners = selectors.task_owner_choices()
        special = []
        if kind == MeetingType.Kind.LEGAL_GATEWAY:
            self.fields["gateway_decision"].required = True
            self.fields["gateway_decision"].error_messages["required"] = (
                "Select whether the panel decided on pre-proceedings, care proceedings or neither"
            )
            rows = []
            for n in range(1, ASSESSMENT_ROWS + 1):
                self.fields[f"assessment_{n}_kind"] = forms.ChoiceField(
                    label="Assessment",
                    choices=[("", "Choose the assessment"), *MeetingAssessment.Kind.choices],
                    required=False,
                )
                self.fields[f"assessment_{n}_details"] = forms.CharField(
                    label="Details", max_length=300, required=False
                )
                self.fields[f"assessment_{n}_owner"] = StaffChoiceField(
                    label="Owner", queryset=owners, required=False, empty_label="Choose who"
                )
                self.fields[f"assessment_{n}_due_on"] = gds_date(
                    "To be completed by",
                    required=False,
                    hint="The panel sets the date; usually within "
                    f"{timescale('gateway_assessment').offset} of the hearing.",
                )
                rows.append(
                    Fieldset(
                        Field.select(f"assessment_{n}_kind"),
                        Field.text(f"assessment_{n}_details"),
                        Field.select(f"assessment_{n}_owner"),
                        Field(f"assessment_{n}_due_on"),
                        legend=f"Assessment {n}",
                        legend_size=Size.SMALL,
                    )
                )
            self.fields["plan_ratified"].error_messages["required"] = (
                "Select whether the panel ratified the initial plan"
            )
            self.fields["plan_ratified"].required = True
            special = [
                Field.radios("gateway_decision", legend_size=Size.SMALL),
                Field.radios("plan_ratified", legend_size=Size.SMALL),
                Field.checkbox("adoption_contingency"),
                Fieldset(
                    HTML(
                        '<p class="govuk-body">The assessments agreed and their timescales. '
                        "Leave the rows you do not need empty.</p>"
                    ),
                    *rows,
                    legend="Assessments",
                    legend_size=Size.MEDIUM,
                ),
            ]
        elif kind == MeetingType.Kind.PERMANENCE_PANEL:
            self.fields["rag_rating"].required = True
            self.fields["rag_rating"].error_messages["required"] = "Select the plan's RAG rating"
            self.fields["rag_reason"].required = True
            self.fields["rag_reason"].error_messages["required"] = (
                "Enter the reason for the RAG rating"
            )
            special = [
                Field.radios("rag_rating", legend_size=Size.SMALL, inline=True),
                Field.textarea("rag_reason", rows=3),
            ]
        elif kind in MATCHING_FLOW_KINDS:
            special = matching_forms.record_fields(self, meeting)
        elif kind == MeetingType.Kind.MATCHING_PANEL:
            self.fields["match_recommendation"].required = True
            self.fields["match_recommendation"].error_messages["required"] = (
                "Select the panel's recommendation on the match"
            )
            special = [Field.radios("match_recommendation", legend_size=Size.SMALL)]
        elif kind == MeetingType.Kind.CARE_PLANNING:
            special = self._care_planning_fields(carried)
        elif kind == MeetingType.Kind.PERMANENCY_PLANNING:
            special = self._planning_fields(meeting)
        elif kind in AGENDAS:
            special = [
                Fieldset(
                    *self._matter_fields(AGENDAS[kind]),
                    legend="Items",
                    legend_size=Size.MEDIUM,
                )
            ]
        if kind in (MeetingType.Kind.EARLY_PERMANENCE, MeetingType.Kind.UNBORN_TRACKER):
            self.fields["ffa_considered"].required = True
            self.fields["ffa_considered"].error_messages["required"] = (
                "Select whether fostering for adoption was considered"
            )
            special = [
                *special,
                Field.radios("ffa_considered", legend_size=Size.SMALL, inline=True),
                Field.textarea("ffa_reason", rows=2),
            ]
        else:
            del self.fields["ffa_considered"], self.fields["ffa_reason"]
        if kind not in (MeetingType.Kind.PERMANENCY_PLANNING, *BUNDLE_PANEL_KINDS):
            del self.fields["attended_roles"]
        if kind != MeetingType.Kind.LEGAL_GATEWAY:
            del self.fields["plan_ratified"], self.fields["adoption_contingency"]
        if kind != MeetingType.Kind.CARE_PLANNING:
            del self.fields["early_family_finding"], self.fields["early_family_finding_reason"]
            del self.fields["carried_done"]
        action_rows = []
        for n in range(1, ACTION_ROWS + 1):
            what, owner, due = f"action_{n}_what", f"action_{n}_owner", f"action_{n}_due_on"
            self.fields[what] = forms.CharField(label="What", max_length=300, required=False)
            self.fields[owner] = StaffChoiceField(
                label="Owner", queryset=owners, required=False, empty_label="Choose who"
            )
            self.fields[due] = gds_date("Due date", required=False, hint="")
            joint = f"action_{n}_joint"
            self.fields[joint] = StaffChoiceField(
                label="Jointly with (optional)",
                queryset=owners,
                required=False,
                empty_label="No one",
                help_text="For a joint action, for example with the fostering or adoption worker.",
            )
            action_rows.append(
                Fieldset(
                    Field.text(what),
                    Field.select(owner),
                    Field.select(joint),
                    Field(due),
                    legend=f"Action {n}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = _helper(
            Field("held_on"),
            Field.checkboxes("staff_attendees", small=True),
            Field.textarea("other_attendees", rows=3),
            Field.textarea("decisions", rows=6),
            *special,
            Fieldset(
                HTML(
                    '<p class="govuk-body">Each action needs what, an owner and a due date. '
                    "Leave the rows you do not need empty.</p>"
                ),
                *action_rows,
                legend="Actions",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save the record"),
        )

    def _matter_fields(self, codes) -> list:
        layout = []
        for code in codes:
            label = MeetingMatter.Matter(code).label
            name = f"matter_{code}"
            self.fields[name] = forms.CharField(
                label=label,
                widget=forms.Textarea,
                error_messages={
                    "required": f"Enter what the meeting said on {label[0].lower()}{label[1:]}"
                },
            )
            layout.append(Field.textarea(name, rows=3))
        return layout

    def _planning_fields(self, meeting) -> list:
        self.fields["attended_roles"].initial = list(meeting.invited_roles)
        return [
            Fieldset(
                HTML(
                    '<p class="govuk-body">The meeting follows a fixed agenda: record what it '
                    "said on each item.</p>"
                ),
                *self._matter_fields(PPM_AGENDA),
                legend="Agenda",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("attended_roles", small=True),
        ]

    def _care_planning_fields(self, carried) -> list:
        matters = self._matter_fields(CPM_MATTERS)
        self.fields["early_family_finding"].required = True
        self.fields["early_family_finding"].error_messages["required"] = (
            "Select the meeting's decision on early family finding"
        )
        self.fields["rag_rating"].help_text = (
            "Optional. A plan rated red goes to Permanence Panel every "
            f"{timescale('red_plan_panel').offset} until it is no longer red."
        )
        layout = [
            Fieldset(
                HTML(
                    '<p class="govuk-body">Record what the meeting said on each of the matters '
                    "it must consider.</p>"
                ),
                *matters,
                legend="What the meeting considered",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("early_family_finding", legend_size=Size.SMALL),
            Field.textarea("early_family_finding_reason", rows=2),
            Field.radios("rag_rating", legend_size=Size.SMALL, inline=True),
            Field.textarea("rag_reason", rows=3),
        ]
        carried = list(carried or [])
        if carried:
            self.fields["carried_done"].queryset = MeetingAction.objects.filter(
                pk__in=[a.pk for a in carried]
            )
            self.fields["carried_done"].label_from_instance = lambda a: (
                f"{a.what} ({a.owner}, due {a.due_on:%-d %B %Y})"
            )
            layout.insert(0, Field.checkboxes("carried_done", small=True))
        else:
            del self.fields["carried_done"]
        return layout

    def clean(self):
        data = super().clean()
        if self.kind in AGENDAS:
            data["matters"] = {code: data.get(f"matter_{code}", "") for code in AGENDAS[self.kind]}
        if data.get("ffa_considered") is False and not (data.get("ffa_reason") or "").strip():
            self.add_error("ffa_reason", "Enter why fostering for adoption was not considered")
            if (
                data.get("early_family_finding") == Meeting.EarlyFamilyFinding.NOT_NOW
                and not (data.get("early_family_finding_reason") or "").strip()
            ):
                self.add_error(
                    "early_family_finding_reason",
                    "Enter why early family finding is not applied for",
                )
            if data.get("rag_rating") and not (data.get("rag_reason") or "").strip():
                self.add_error("rag_reason", "Enter the reason for the RAG rating")
        today = timezone.localdate()
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            row = _task_row(self, n, today, what_label="what the action is", prefix="action")
            if row is not None:
                actions.append(ActionInput(*row, joint_owner=data.get(f"action_{n}_joint")))
        data["actions"] = actions
        assessments = []
        if self.kind == MeetingType.Kind.LEGAL_GATEWAY:
            for n in range(1, ASSESSMENT_ROWS + 1):
                kind_f, details_f, owner_f, due_f = (
                    f"assessment_{n}_kind",
                    f"assessment_{n}_details",
                    f"assessment_{n}_owner",
                    f"assessment_{n}_due_on",
                )
                kind, details, due = data.get(kind_f), data.get(details_f, ""), data.get(due_f)
                owner = data.get(owner_f)
                if due_f in self.errors or not (kind or details or due or owner):
                    continue
                if not kind:
                    self.add_error(kind_f, f"Select the kind of assessment {n}")
                if not owner:
                    self.add_error(owner_f, f"Select who owns assessment {n}")
                if not due:
                    self.add_error(due_f, f"Enter when assessment {n} is to be completed by")
                if kind and due and owner:
                    assessments.append(
                        AssessmentInput(kind=kind, due_on=due, details=details, owner=owner)
                    )
        data["assessments"] = assessments
        return data


# -- disruption -------------------------------------------------------------------------------


class DisruptionForm(forms.Form):
    disrupted_on = gds_date("Date the child left the placement", kind=DateKind.HAPPENED)
    carer_name = forms.CharField(
        label="Foster carer", max_length=200, error_messages={"required": "Enter the foster carer"}
    )
    details = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Describe what happened"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("disrupted_on"),
            Field.text("carer_name", field_width=20),
            Field.textarea("details", rows=5),
            Submit("submit", "Record the disruption"),
        )


class DisruptionOutcomeForm(forms.Form):
    carer_review_held_on = gds_date(
        "Date of the urgent foster carer review", kind=DateKind.HAPPENED
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Disruption.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the foster carer review"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("carer_review_held_on"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("notes", rows=3),
            Submit("submit", "Record the outcome"),
        )


# -- the weekly Permanence Panel (seed 004) ---------------------------------------------------


class PanelSittingForm(forms.Form):
    sits_on = gds_date("Date of the sitting", kind=DateKind.EVENT)
    chair = StaffChoiceField(
        label="Chair (head of service)",
        queryset=User.objects.none(),
        error_messages={"required": "Select the head of service chairing the panel"},
    )
    core_members = forms.MultipleChoiceField(
        label="Core members attending",
        choices=PanelMember.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = staff_with_role(role=Role.HEAD_OF_SERVICE)
        if not self.is_bound:
            self.initial.setdefault("core_members", list(PanelMember.values))
        self.helper = _helper(
            Field("sits_on"),
            Field.select("chair"),
            Field.checkboxes("core_members", small=True),
            Submit("submit", "Arrange the sitting and build its agenda"),
        )


class PanelEscalationForm(forms.Form):
    group_manager = forms.CharField(
        label="Group manager escalated to",
        max_length=200,
        error_messages={
            "required": "Enter the name of the group manager you escalated the case to"
        },
    )
    reason = forms.CharField(
        label="Complicating factors causing delay",
        widget=forms.Textarea,
        error_messages={"required": "Enter the complicating factors that are delaying permanence"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("group_manager", field_width=20),
            Field.textarea("reason", rows=5),
            Submit("submit", "Escalate to the next Permanence Panel"),
        )


class SessionMinutesForm(forms.Form):
    """The chair's record of the forum: who attended and the minutes (seed 000)."""

    attendees = AttendeesField(
        label="Staff who attended",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label="Other people who attended",
        required=False,
        widget=forms.Textarea,
        help_text="For example, a guest from legal services.",
    )
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea,
        help_text="What was discussed. Each child's advice and tasks are in their Part 2.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = selectors.task_owner_choices()
        self.helper = _helper(
            Field.checkboxes("attendees", small=True),
            Field.textarea("other_attendees", rows=3),
            Field.textarea("minutes", rows=10),
            Submit("submit", "Save the attendance and minutes"),
        )
