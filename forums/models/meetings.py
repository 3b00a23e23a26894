"""The other panels and meetings (SPEC §4; seeds 000, 002, 003, 004) and the disruption of a
long-term placement (seed 000).

Dates the deadline engine reads: `Meeting.scheduled_for`, `Meeting.held_on`,
`Meeting.gateway_decision`, `Meeting.rag_rating`, `Meeting.next_due_on` (when the type or decision
says the child comes back), and on `Disruption`: `disrupted_on`, `carer_review_due_on`,
`carer_review_held_on`, `fee_paid_until`, `fee_extended_at` and `outcome`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence import dates
from permanence.models import Child, User
from permanence.timescales import due_date, timescale


class MeetingType(models.Model):
    """A kind of panel or meeting and its cadence, loaded from fixtures/meeting_types.json."""

    class Kind(models.TextChoices):
        GENERIC = "generic", "Decisions and actions"
        LEGAL_GATEWAY = "legal_gateway", "Legal Gateway decision and assessments"
        PERMANENCE_PANEL = "permanence_panel", "RAG rating of the plan"
        MATCHING_PANEL = "matching_panel", "Matching papers and recommendation"
        CARE_PLANNING = (
            "care_planning",
            "Care planning: the matters considered and the plan's rating",
        )
        PERMANENCY_PLANNING = (
            "permanency_planning",
            "Permanency planning: the fixed agenda, attendance by role and joint actions",
        )
        EARLY_PERMANENCE = (
            "early_permanence",
            "Early permanence: papers by the deadline, fostering for adoption considered",
        )
        UNBORN_TRACKER = "unborn_tracker", "Unborn tracker: the items for each unborn baby"
        RAA_PANEL = "raa_panel", "Regional adoption agency panel: adoption plans and placements"
        # Matching (000, 003): the matching meeting, then the adoption or the fostering panel,
        # two separate meeting types with one bundle of papers. The older combined
        # "matching panel" stays for the matches listed before the two were separated.
        MATCHING_MEETING = (
            "matching_meeting",
            "Matching meeting: who arranged and chaired it, and the matching report",
        )
        ADOPTION_PANEL = (
            "adoption_panel",
            "Adoption panel: the match, its bundle and recommendation",
        )
        FOSTERING_PANEL = (
            "fostering_panel",
            "Fostering panel: the match, its bundle and recommendation",
        )

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERIC)
    purpose = models.TextField(blank=True)
    cadence = models.CharField(
        max_length=200, blank=True, help_text="How often it meets, in words, for the pages."
    )
    repeat_amount = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="When the child comes back after a meeting of this type: always for decisions "
        "and actions; at Legal Gateway only for pre-proceedings and section 20; at Permanence "
        "Panel only for a red plan. Left blank: no rule.",
    )
    repeat_unit = models.CharField(
        max_length=20, choices=[(u, u.replace("_", " ")) for u in dates.UNITS], blank=True
    )
    timescale_code = models.CharField(
        "follows the timescale",
        max_length=40,
        blank=True,
        help_text="When set, the child comes back by this timescale, changed under "
        "“Timescales”, and the numbers above are not used: one number, one place.",
    )
    next_label = models.CharField(
        max_length=120,
        blank=True,
        help_text="How the pages name the date the child comes back, e.g. “Back at Legal "
        "Gateway by”.",
    )
    source = models.CharField(
        max_length=60, blank=True, help_text="The local procedure or procedures it comes from."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(repeat_amount__isnull=True) & Q(repeat_unit=""))
                | (Q(repeat_amount__isnull=False) & ~Q(repeat_unit="")),
                name="meeting_type_repeat_amount_and_unit_together",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def repeat(self) -> dates.Offset | None:
        if self.timescale_code:
            return timescale(self.timescale_code).offset
        if self.repeat_amount is None or not self.repeat_unit:
            return None
        return dates.Offset(self.repeat_amount, self.repeat_unit)


# The panels that hear a permanent match (000): the adoption panel and the fostering panel, and
# the older combined matching panel kept for matches listed before they were separated.
PANEL_KINDS = (
    MeetingType.Kind.MATCHING_PANEL,
    MeetingType.Kind.ADOPTION_PANEL,
    MeetingType.Kind.FOSTERING_PANEL,
)
# The two panels whose bundle holds every paper (003) and that record who attended by role.
BUNDLE_PANEL_KINDS = (MeetingType.Kind.ADOPTION_PANEL, MeetingType.Kind.FOSTERING_PANEL)


@dataclass(frozen=True)
class BundleItem:
    """One paper of the permanence bundle for the panel (003), the date field that holds when
    it was completed or updated, who prepares it, and the currency rule it is held to. Seeds
    give a currency for Form F (12 months) and the Child Permanence Report (6 months) only
    (000): the carers' other assessment papers are held to Form F's rule and the child's
    permanency assessment to the report's (our reading: each belongs with that assessment)."""

    field: str
    label: str
    prepared_by: str
    current_by: str = ""
    fostering_only: bool = False


PANEL_BUNDLE = (
    BundleItem("matching_report", "Matching meeting report", "Permanency worker"),
    BundleItem("cpr_updated_on", "Child Permanence Report", "Social worker", "cpr_current"),
    BundleItem(
        "permanency_assessment_on", "Permanency assessment report", "Social worker", "cpr_current"
    ),
    BundleItem(
        "foster_home_review_on",
        "Foster home review",
        "Permanency worker",
        "form_f_current",
        fostering_only=True,
    ),
    BundleItem("form_f_updated_on", "Form F assessment", "Permanency worker", "form_f_current"),
    BundleItem(
        "checks_medicals_on", "DBS checks and medicals", "Permanency worker", "form_f_current"
    ),
    BundleItem("risk_assessment_on", "Risk assessment", "Permanency worker", "form_f_current"),
    BundleItem("references_on", "References", "Permanency worker", "form_f_current"),
    BundleItem(
        "motivation_questionnaire_on",
        "Motivation questionnaire",
        "Permanency worker",
        "form_f_current",
    ),
)


def bundle_for(kind: str) -> tuple[BundleItem, ...]:
    """The papers the panel of KIND needs: the foster home review at the fostering panel only."""
    fostering = kind == MeetingType.Kind.FOSTERING_PANEL
    return tuple(item for item in PANEL_BUNDLE if fostering or not item.fostering_only)


def matching_report_path(instance: Meeting, filename: str) -> str:
    # No child details in the stored name (it may appear in logs): a random name and the extension.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"forums/matching-reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Invitee(models.TextChoices):
    """Who a care planning meeting invites, by role (seed 004)."""

    SOCIAL_WORKER = "social_worker", "The child's social worker"
    IRO = "iro", "Independent reviewing officer"
    FOSTERING = "fostering", "Fostering service"
    ADOPTION = "adoption", "Adoption service"
    LEGAL = "legal", "Legal services"
    GUARDIAN = "guardian", "The child's guardian"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
    CAMHS = "camhs", "CAMHS"
    TEAM_MANAGER = "team_manager", "Social work team manager"
    FOSTERING_MANAGER = "fostering_manager", "Nominated manager from the fostering team"
    ADOPTION_MANAGER = "adoption_manager", "Nominated manager from the adoption team"
    HOME_FINDER = "home_finder", "Nominated home finder"
    # Who attends the adoption or fostering panel (003): the social worker, the permanency
    # worker and the carers, and the child if appropriate.
    PERMANENCY_WORKER = "permanency_worker", "Permanency worker or family finder"
    CARERS = "carers", "The carers in the proposed match"
    CHILD = "child", "The child"


# Invited to every care planning meeting: the social worker, the IRO and legal services, and the
# fostering or adoption service given the child's needs (seed 004). The guardian, the Virtual
# School and CAMHS are invited where there is one or where needed.
CPM_ALWAYS_INVITED = (Invitee.SOCIAL_WORKER, Invitee.IRO, Invitee.LEGAL)
CPM_PLACEMENT_SERVICES = (Invitee.FOSTERING, Invitee.ADOPTION)
# Who attends a Permanency Planning Meeting (002 §9); the IRO "if appropriate".
PPM_ATTENDEES = (
    Invitee.SOCIAL_WORKER,
    Invitee.TEAM_MANAGER,
    Invitee.FOSTERING_MANAGER,
    Invitee.ADOPTION_MANAGER,
    Invitee.HOME_FINDER,
)
PPM_INVITED = (*PPM_ATTENDEES, Invitee.IRO)
PANEL_ATTENDEES = (Invitee.SOCIAL_WORKER, Invitee.PERMANENCY_WORKER, Invitee.CARERS)
PANEL_ATTENDEE_CHOICES = (*PANEL_ATTENDEES, Invitee.CHILD)
# The other meetings' invitation and attendance lists leave out those who attend only the panel.
MEETING_INVITEE_CHOICES = [
    (code, label)
    for code, label in Invitee.choices
    if code not in (Invitee.PERMANENCY_WORKER, Invitee.CARERS, Invitee.CHILD)
]


class GatewayPaper(models.TextChoices):
    """The papers a referral to the Legal Gateway Panel brings (seed 004)."""

    CULTURAL_GENOGRAM = "cultural_genogram", "Cultural genogram"
    CHRONOLOGY = "chronology", "Chronology"
    REFERRAL_FORM = "referral_form", "Referral form, with the initial permanence plan"
    ASSESSMENT = "assessment", "Most recent child and family assessment"


class Meeting(models.Model):
    """A child's case at a panel or meeting: when, who, what was decided, what happens next."""

    class EarlyFamilyFinding(models.TextChoices):
        APPLY_ADOPTION = "apply_adoption", "Apply for early family finding for adoption"
        APPLY_FOSTERING = (
            "apply_fostering",
            "Apply for early family finding for permanent fostering",
        )
        NOT_NOW = "not_now", "Not at this stage"

    class GatewayDecision(models.TextChoices):
        PRE_PROCEEDINGS = "pre_proceedings", "Enter pre-proceedings"
        CARE_PROCEEDINGS = "care_proceedings", "Initiate care proceedings"
        NEITHER = "neither", "Neither"

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    class MatchRecommendation(models.TextChoices):
        RECOMMENDED = "recommended", "Match recommended"
        NOT_RECOMMENDED = "not_recommended", "Match not recommended"
        DEFERRED = "deferred", "Deferred"

    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateField("date")
    start_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    held_on = models.DateField("held on", null=True, blank=True)
    staff_attendees = models.ManyToManyField(
        User, blank=True, related_name="meetings_attended", verbose_name="staff attending"
    )
    other_attendees = models.TextField(
        "other attendees", blank=True, help_text="For example, legal services, the guardian."
    )
    decisions = models.TextField(blank=True)
    chair = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    invited_roles = models.JSONField(
        "invited", default=list, blank=True, help_text="Who was invited, by role (Invitee)."
    )
    attended_roles = models.JSONField(
        "attended", default=list, blank=True, help_text="Who attended, by role (Invitee)."
    )
    early_family_finding = models.CharField(
        "decision on early family finding",
        max_length=20,
        choices=EarlyFamilyFinding.choices,
        blank=True,
    )
    early_family_finding_reason = models.TextField("why", blank=True)
    # Early permanence (003, 001 §3.8): the papers sent by the deadline, and a record that
    # fostering for adoption was considered, or why not.
    papers_sent_at = models.DateTimeField("papers sent", null=True, blank=True)
    papers_sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ffa_considered = models.BooleanField("fostering for adoption considered", null=True, blank=True)
    ffa_reason = models.TextField("why fostering for adoption was not considered", blank=True)
    gateway_decision = models.CharField(
        "Legal Gateway decision", max_length=20, choices=GatewayDecision.choices, blank=True
    )
    papers = models.JSONField(
        "papers ready", default=list, blank=True, help_text="Codes of GatewayPaper."
    )
    initial_plan = models.TextField("initial permanence plan", blank=True)
    plan_ratified = models.BooleanField("initial plan ratified", null=True, blank=True)
    adoption_contingency = models.BooleanField(
        "adoption considered as a contingency plan", default=False
    )
    stage1_notice_sent_on = models.DateField(
        "Stage 1 notice sent to the regional adoption agency on", null=True, blank=True
    )
    rag_rating = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    rag_reason = models.TextField("reason for the RAG rating", blank=True)
    match_carers = models.CharField("carers in the proposed match", max_length=200, blank=True)
    form_f_updated_on = models.DateField(
        "Form F completed or last updated on", null=True, blank=True
    )
    cpr_updated_on = models.DateField(
        "Child Permanence Report completed or last updated on", null=True, blank=True
    )
    matching_report = models.FileField(upload_to=matching_report_path, blank=True)
    # The rest of the panel's bundle (003), each paper by the date it was completed or updated.
    permanency_assessment_on = models.DateField(
        "permanency assessment report completed or updated on", null=True, blank=True
    )
    foster_home_review_on = models.DateField(
        "foster home review completed on", null=True, blank=True
    )
    checks_medicals_on = models.DateField(
        "DBS checks and medicals completed on", null=True, blank=True
    )
    risk_assessment_on = models.DateField("risk assessment completed on", null=True, blank=True)
    references_on = models.DateField("references completed on", null=True, blank=True)
    motivation_questionnaire_on = models.DateField(
        "motivation questionnaire completed on", null=True, blank=True
    )
    # The household proposed for the child, at the matching meeting and the panel (000, 003):
    # the panel's recommendation and the agency decision maker's decision are written onto it.
    potential_match = models.ForeignKey(
        "permanence.PotentialMatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="the proposed match",
    )
    # The matching meeting (003): the permanency worker arranges it; complex cases are chaired
    # by the fostering team manager. `chair` above is who chaired it.
    arranged_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="arranged by",
    )
    match_recommendation = models.CharField(
        max_length=20, choices=MatchRecommendation.choices, blank=True
    )
    next_due_on = models.DateField(
        "comes back by",
        null=True,
        blank=True,
        help_text="When the meeting's type or decision says the child's case comes back.",
    )
    # The weekly Permanence Panel sitting whose agenda the child is on (seed 004).
    sitting = models.ForeignKey(
        "PanelSitting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[staff_attendees])

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        indexes = [
            models.Index(fields=["child", "meeting_type", "held_on"]),
            models.Index(fields=["scheduled_for"]),
            # CPS duty's children from panels and matching (forums.access): one type's children,
            # or its red-rated ones, read from this index alone.
            models.Index(
                fields=["meeting_type", "rag_rating", "child"], name="meeting_type_rag_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_type} on {self.scheduled_for:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("forums:meeting-detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    @property
    def kind(self) -> str:
        return self.meeting_type.kind

    @property
    def paper_labels(self) -> list[str]:
        return [GatewayPaper(code).label for code in self.papers if code in GatewayPaper.values]

    @property
    def invited_labels(self) -> list[str]:
        return [Invitee(code).label for code in self.invited_roles if code in Invitee.values]

    @property
    def attended_labels(self) -> list[str]:
        return [Invitee(code).label for code in self.attended_roles if code in Invitee.values]

    @property
    def proceedings_check_ins(self) -> list:
        """Permanence Panel 4 and 14 weeks after a decision to issue (seed 004)."""
        return [date for _, date in self.proceedings_check_in_rows]

    @property
    def proceedings_check_in_rows(self) -> list[tuple[str, dt.date]]:
        """Each check-in as (how long after the decision, in words; the date), from the rules."""
        if self.gateway_decision != self.GatewayDecision.CARE_PROCEEDINGS or not self.held_on:
            return []
        codes = ("proceedings_checkin_4", "proceedings_checkin_14")
        return [(str(timescale(code).offset), due_date(code, self.held_on)) for code in codes]


class MeetingAction(models.Model):
    """An action a meeting agreed: what, who, by when, and when it was done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="meeting_actions")
    # A joint action (002 §10): the social worker with the fostering or adoption worker.
    joint_owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="joint_meeting_actions",
        null=True,
        blank=True,
        verbose_name="jointly with",
    )
    due_on = models.DateField("due date")
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what


class MeetingMatter(models.Model):
    """What a care planning meeting said on one of the matters it must consider (seed 004)."""

    class Matter(models.TextChoices):
        NEEDS = "needs", "The assessment of the child's current and future needs"
        HOME_OR_SUBSTITUTE = (
            "home_or_substitute",
            "Whether those needs can be met permanently by a return home or by an alternative",
        )
        CONNECTED_CARERS = (
            "connected_carers",
            "Where an alternative to home is considered, the viability of connected carers",
        )
        PLACEMENT_TYPE = "placement_type", "The placement type that will meet the child's needs"
        LEGAL_OUTCOME = "legal_outcome", "The legal outcome that secures permanence there"
        CONTINGENCY = "contingency", "Whether an appropriate range of contingency plans is in place"
        WHO_WHAT_WHEN = "who_what_when", "Who will do what and when to achieve the plan"
        PARENTS_INFORMED = "parents_informed", "How the parents will be kept informed"
        # The Permanency Planning Meeting's fixed agenda (002 §11). The seed names a fixed
        # agenda document without its items: these are ours, from its purpose (§10).
        PPM_PLAN = "ppm_plan", "The plan agreed at the second review and its contingency"
        PPM_LAST_ACTIONS = "ppm_last_actions", "Actions from the last meeting"
        PPM_FAMILY_FINDING = "ppm_family_finding", "Family finding and matching"
        PPM_REPORTS = "ppm_reports", "Assessments and reports for panel"
        PPM_CHILD = "ppm_child", "The child's views, preparation and life story work"
        PPM_SUPPORT = "ppm_support", "Contact, support and the carers' needs"
        PPM_ROLES = "ppm_roles", "Roles and responsibilities of each worker"
        PPM_TIMESCALES = "ppm_timescales", "Timescales, and whether the plan is on track"
        # The unborn tracker meeting (004).
        UNBORN_ACCOMMODATION = (
            "unborn_accommodation",
            "Whether the baby needs safeguarding (accommodation) at birth",
        )
        UNBORN_FFA = "unborn_ffa", "Fostering for adoption"
        UNBORN_CONNECTED = (
            "unborn_connected",
            "Connected carers identified and their viability assessments",
        )
        UNBORN_REG24 = "unborn_reg24", "A Regulation 24 placement considered"
        # The regional adoption agency panel (004).
        RAA_PLACEMENT_ORDERS = (
            "raa_placement_orders",
            "Placement orders and the adoption plan's progress",
        )
        RAA_FFA = "raa_ffa", "Fostering-for-adoption placements"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="matters")
    matter = models.CharField(max_length=20, choices=Matter.choices)
    notes = models.TextField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "matter"], name="one_note_per_matter")
        ]

    def __str__(self) -> str:
        return self.get_matter_display()

    @property
    def position(self) -> int:
        return list(self.Matter.values).index(self.matter)


def _codes(prefix: str) -> tuple[str, ...]:
    return tuple(m for m in MeetingMatter.Matter.values if m.startswith(prefix))


PPM_AGENDA = _codes("ppm_")
CPM_MATTERS = tuple(
    m for m in MeetingMatter.Matter.values if not m.startswith(("ppm_", "unborn_", "raa_"))
)
# What each kind of meeting records, item by item (002, 004).
AGENDAS = {
    MeetingType.Kind.CARE_PLANNING: CPM_MATTERS,
    MeetingType.Kind.PERMANENCY_PLANNING: PPM_AGENDA,
    MeetingType.Kind.UNBORN_TRACKER: _codes("unborn_"),
    MeetingType.Kind.RAA_PANEL: _codes("raa_"),
}


class MeetingAssessment(models.Model):
    """An assessment the Legal Gateway Panel asked for, with its timescale (seed 004)."""

    class Kind(models.TextChoices):
        FAMILY_GROUP_CONFERENCE = "fgc", "Family Group Conference or Family Network Meeting"
        PARENTING = "parenting", "Parenting assessment (including PAMS if required)"
        SIBLING = "sibling", "Sibling assessment (together or apart)"
        VIABILITY = "viability", "Viability assessments of family and connected carers"
        PSYCHOLOGICAL = "psychological", "Psychological assessment"
        DRUG_ALCOHOL = "drug_alcohol", "Drug or alcohol testing"
        OTHER = "other", "Other assessment"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.CharField(max_length=300, blank=True)
    # Blank only on assessments recorded before each had an owner.
    owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="meeting_assessments",
        null=True,
        blank=True,
    )
    due_on = models.DateField("to be completed by")
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Disruption(models.Model):
    """A long-term placement broke down (seed 000): urgent carer review, fee, outcome."""

    class Outcome(models.TextChoices):
        CONTINUES = "continues", "Carer continues to foster, with amended terms of approval"
        RESIGNS = "resigns", "Carer resigns"
        DEREGISTRATION = "deregistration", "Carer to be recommended to panel for de-registration"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disruptions")
    disrupted_on = models.DateField("date the child left the placement")
    carer_name = models.CharField("foster carer", max_length=200)
    details = models.TextField("what happened")
    carer_review_due_on = models.DateField("urgent foster carer review due by")
    carer_review_held_on = models.DateField(
        "urgent foster carer review held on", null=True, blank=True
    )
    fee_paid_until = models.DateField("carer's fee continues until")
    fee_extended_at = models.DateTimeField(null=True, blank=True)
    fee_extended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    fee_extension_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-disrupted_on", "-pk"]
        indexes = [models.Index(fields=["child", "disrupted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(carer_review_due_on__gte=models.F("disrupted_on"))
                & Q(fee_paid_until__gte=models.F("disrupted_on")),
                name="disruption_dates_after_disruption",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(carer_review_held_on__isnull=False),
                name="disruption_outcome_needs_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Disruption on {self.disrupted_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("forums:disruption-detail", args=[self.pk])

    @property
    def fee_was_extended(self) -> bool:
        return self.fee_extended_at is not None

    @property
    def fee_continues(self) -> bool:
        """The fee continues when the carer goes on fostering with amended terms (seed 000)."""
        return self.outcome == self.Outcome.CONTINUES


class PanelMember(models.TextChoices):
    """The core members of the weekly Permanence Panel, by role (seed 004)."""

    HEAD_OF_SERVICE = "head_of_service", "Head of Service (chair)"
    FOSTERING = "fostering", "Fostering service group manager or team manager"
    IRO_GROUP_MANAGER = "iro_group_manager", "IRO group manager"
    COORDINATOR = "coordinator", "Permanence coordinator"
    CASE_PROGRESSION = "case_progression", "Case progression officer"
    TEAM_GROUP_MANAGER = "team_group_manager", "The team's group manager and team manager"
    BUSINESS_SUPPORT = "business_support", "Business support (minutes)"
    LEGAL = "legal", "Legal services"


class PanelSitting(models.Model):
    """One weekly sitting of the Permanence Panel (seed 004): its date, chair and core members.
    Its agenda is the permanence panel `Meeting` of each child put before it (`agenda`)."""

    sits_on = models.DateField("date of the sitting")
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    core_members = models.JSONField(
        "core members attending", default=list, blank=True, help_text="Codes of PanelMember."
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sits_on", "-pk"]

    def __str__(self) -> str:
        return f"Permanence Panel on {self.sits_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("forums:panel-sitting-detail", args=[self.pk])

    @property
    def member_labels(self) -> list[str]:
        return [PanelMember(c).label for c in self.core_members if c in PanelMember.values]


class PanelEscalation(models.Model):
    """A team manager's escalation of a child's case to the group manager, which brings the
    child to the next Permanence Panel sitting (seed 004)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="panel_escalations")
    group_manager = models.CharField("group manager escalated to", max_length=200)
    reason = models.TextField("complicating factors causing delay")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    sitting = models.ForeignKey(
        PanelSitting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name="brought to the sitting",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"Escalated to {self.group_manager}"
