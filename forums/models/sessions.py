"""The permanency forum (seed 000, SPEC §4): sessions, bookings of their slots, Part 1 and Part 2.

Dates the deadline engine reads: `ForumSession.forum_date` (Part 1 is due 3 working days before
it, 17:00), `Booking.requested_at` / `confirmed_at` / `presented_at`, `Part1.submitted_at` and
`Part2.sent_at`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from permanence import timescales
from permanence.common import condition
from permanence.models import Child, User
from permanence.models.plans import Route


class ForumSessionQuerySet(models.QuerySet):
    def not_cancelled(self) -> ForumSessionQuerySet:
        return self.filter(cancelled_at__isnull=True)


class ForumSession(models.Model):
    """One sitting of the permanency forum, opened by CPS duty with a fixed number of slots."""

    forum_date = models.DateField("date of the forum")
    start_time = models.TimeField("start time")
    slot_minutes = models.PositiveSmallIntegerField(
        "minutes for each slot", default=30, help_text="Used to show each slot's time."
    )
    venue = models.CharField(max_length=200)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chaired_forums")
    slot_count = models.PositiveSmallIntegerField("number of slots")
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A cancelled session stays on record (and on its page) but takes no bookings.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cancelled_reason = models.TextField("reason the forum was cancelled", blank=True)
    # What the chair records of the sitting: who attended and the minutes (seed 000: the forum
    # "will consist of senior managers and others with experience of permanency planning").
    attendees = models.ManyToManyField(
        User, blank=True, related_name="forums_attended", verbose_name="staff attending"
    )
    other_attendees = models.TextField(
        "other people attending", blank=True, help_text="For example, a guest from legal services."
    )
    minutes = models.TextField(blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    objects = ForumSessionQuerySet.as_manager()

    class Meta:
        ordering = ["forum_date", "start_time", "pk"]
        indexes = [models.Index(fields=["forum_date"]), models.Index(fields=["chair"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_count__gte=1) & Q(slot_count__lte=20),
                name="forum_session_slots_between_1_and_20",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="forum_session_slot_at_least_5_minutes"
            ),
            # Nobody cancels a forum without saying why (the social workers are told it).
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancelled_reason=""),
                name="forum_session_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Permanency forum, {self.forum_date:%-d %B %Y} {self.start_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("forums:session-detail", args=[self.pk])

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.forum_date, self.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )

    @property
    def ends_at(self) -> dt.datetime:
        return self.slot_starts_at(self.slot_count + 1)

    @property
    def part1_due_at(self) -> dt.datetime:
        """Part 1 is due 3 working days before the forum, 17:00 (seeds 000 and 003).

        Counted by the one function the tracker's stored deadline uses; with no time of day set
        on the rule, Part 1 is in time until the due day ends, as the tracker counts it."""
        return timescales.due("part1_submitted", self.forum_date).by

    def part1_standing(self, now: dt.datetime | None = None) -> str:
        """Where Part 1's cut-off stands (timescales.Standing): passed, near (within the
        warning the administrator set for the rule) or still to come."""
        return timescales.standing("part1_submitted", self.forum_date, now or timezone.now())[1]

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def slot_starts_at(self, number: int) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes * (number - 1))

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at


class Pathway(models.TextChoices):
    """The three ways a child comes to the permanency forum (seed 000)."""

    UNBORN_ADOPTION_REQUEST = (
        "unborn_adoption",
        "A mother has asked for her unborn child to be placed for adoption",
    )
    LEGAL_PLANNING_MEETING = (
        "legal_planning_meeting",
        "A legal planning meeting decided to explore permanence outside the birth family",
    )
    BEFORE_SECOND_REVIEW = (
        "before_second_review",
        "Before the child's second looked-after review, so that it can endorse the plan",
    )


def _may(perm: str):
    """A transition's permission: the `rules` object permission on this booking."""

    def check(instance, user) -> bool:
        return user.has_perm(perm, instance)

    check.__name__ = f"may_{perm.split('.')[-1]}"
    return check


@condition(
    lambda booking: (
        f"The forum is on {booking.session.forum_date:%-d %B %Y}: a case can be "
        "recorded as presented on the day"
    )
)
def forum_day_has_come(booking) -> bool:
    """A case is presented at the forum, so not before the forum's day (seed 000)."""
    return booking.session.forum_date <= timezone.localdate()


class BookingQuerySet(models.QuerySet):
    def live(self) -> BookingQuerySet:
        return self.filter(status__in=Booking.LIVE)

    def open(self) -> BookingQuerySet:
        return self.filter(status__in=Booking.OPEN)


class Booking(ConcurrentTransitionMixin, models.Model):
    """A child's slot at a forum session: requested by the social worker, confirmed by CPS duty."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        PART1_SUBMITTED = "part1_submitted", "Part 1 submitted"
        PRESENTED = "presented", "Presented"
        PART2_SENT = "part2_sent", "Part 2 sent"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # A live booking holds its slot; an open one is still on its way to the forum.
    LIVE = (
        Status.REQUESTED,
        Status.CONFIRMED,
        Status.PART1_SUBMITTED,
        Status.PRESENTED,
        Status.PART2_SENT,
    )
    OPEN = (Status.REQUESTED, Status.CONFIRMED, Status.PART1_SUBMITTED, Status.PRESENTED)
    BEFORE_FORUM = (Status.REQUESTED, Status.CONFIRMED, Status.PART1_SUBMITTED)
    # A booking in one of these shows that its forum has sat.
    HELD = (Status.PRESENTED, Status.PART2_SENT)

    session = models.ForeignKey(ForumSession, on_delete=models.PROTECT, related_name="bookings")
    slot_number = models.PositiveSmallIntegerField("slot")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="forum_bookings")
    pathway = models.CharField("referral pathway", max_length=30, choices=Pathway.choices)
    status = FSMField(
        max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=True
    )
    connected_placement_broken_down = models.BooleanField(
        "the connected-person placement has broken down", default=False
    )
    breakdown_details = models.TextField("what happened to the placement", blank=True)
    # Flagged when booked: the forum falls after the second review, which should endorse the
    # plan the forum advised on (seed 000). The review's date (held or due) at the time.
    after_second_review_on = models.DateField(
        "the forum is after the second review, held or due on", null=True, blank=True
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    presented_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField("cancelled or withdrawn at", null=True, blank=True)
    ended_reason = models.TextField("reason cancelled or withdrawn", blank=True)
    history = HistoricalRecords()

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["session__forum_date", "slot_number", "pk"]
        permissions = [("confirm_booking", "Can confirm or decline forum bookings")]
        indexes = [models.Index(fields=["child", "status"])]
        constraints = [
            # Nobody can double-book a slot, even with two requests in the same instant (SPEC §4).
            models.UniqueConstraint(
                fields=["session", "slot_number"],
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "part1_submitted",
                        "presented",
                        "part2_sent",
                    ]
                ),
                name="forum_one_live_booking_per_slot",
            ),
            models.UniqueConstraint(
                fields=["session", "child"],
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "part1_submitted",
                        "presented",
                        "part2_sent",
                    ]
                ),
                name="forum_one_live_booking_per_child_per_session",
            ),
            # A child waits for one forum at a time: a second open booking elsewhere is refused.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["requested", "confirmed", "part1_submitted", "presented"]),
                name="forum_one_open_booking_per_child",
            ),
            models.CheckConstraint(
                condition=Q(slot_number__gte=1), name="forum_booking_slot_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} at {self.session}, slot {self.slot_number}"

    def get_absolute_url(self) -> str:
        return reverse("forums:booking-detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def slot_starts_at(self) -> dt.datetime:
        return self.session.slot_starts_at(self.slot_number)

    # Transitions set fields only; the services check permission, save and notify.

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=RETURN_VALUE(Status.CONFIRMED, Status.PART1_SUBMITTED),
        permission=_may("forums.confirm_booking"),
    )
    def confirm(self, *, by: User) -> str:
        """CPS duty confirms the slot (seed 000); a Part 1 already submitted stays submitted."""
        self.decided_by = by
        self.confirmed_at = timezone.now()
        part1 = getattr(self, "part1", None)
        if part1 is not None and part1.is_submitted:
            return self.Status.PART1_SUBMITTED
        return self.Status.CONFIRMED

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.DECLINED,
        permission=_may("forums.confirm_booking"),
    )
    def decline(self, *, by: User, reason: str) -> None:
        """CPS duty declines the request, with a reason (seed 000)."""
        self.decided_by = by
        self.declined_at = timezone.now()
        self.decline_reason = reason

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.CONFIRMED],
        target=RETURN_VALUE(Status.REQUESTED, Status.PART1_SUBMITTED),
        permission=_may("forums.change_part1"),
    )
    def submit_part1(self) -> str:
        """The social worker submits Part 1 to CPS duty (seed 000), whether or not CPS duty has
        confirmed the slot yet: Part 1's cut-off counts back from the forum's date, never from
        CPS duty's reply. A request stays a request until it is confirmed."""
        if self.status == self.Status.REQUESTED:
            return self.Status.REQUESTED
        return self.Status.PART1_SUBMITTED

    @transition(
        field=status,
        source=Status.PART1_SUBMITTED,
        target=Status.PRESENTED,
        conditions=[forum_day_has_come],
        permission=_may("forums.change_part2"),
    )
    def present(self) -> None:
        """The social worker has presented the case at the forum, on its day (seed 000)."""
        self.presented_at = timezone.now()

    @transition(
        field=status,
        source=Status.PRESENTED,
        target=Status.PART2_SENT,
        permission=_may("forums.change_part2"),
    )
    def send_part2(self) -> None:
        """The chair returns Part 2 to the social worker, copied to the IRO (seed 000)."""

    @transition(
        field=status,
        source=BEFORE_FORUM,
        target=Status.CANCELLED,
        permission=_may("forums.confirm_booking"),
    )
    def cancel(self, *, by: User, reason: str) -> None:
        """CPS duty cancels the booking before the forum."""
        self.ended_by = by
        self.ended_at = timezone.now()
        self.ended_reason = reason

    @transition(
        field=status,
        source=BEFORE_FORUM,
        target=Status.WITHDRAWN,
        permission=_may("forums.withdraw_booking"),
    )
    def withdraw(self, *, by: User, reason: str) -> None:
        """The social worker withdraws the request before the forum."""
        self.ended_by = by
        self.ended_at = timezone.now()
        self.ended_reason = reason


class Part1Status(models.TextChoices):
    """Where a booking's Part 1 stands, as CPS duty and the social worker see it (SPEC §4)."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SUBMITTED_LATE = "submitted_late", "Submitted late"
    MISSING = "missing", "Missing (overdue)"
    NOT_NEEDED = "not_needed", "Not needed"


class Consulted(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate (for example, the child's age)"


class Part1(models.Model):
    """The permanency forum consultation, Part 1: the social worker's case (seed 000)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="part1")
    reason_for_referral = models.TextField("reason for referral", blank=True)
    child_situation = models.TextField("the child's situation and needs", blank=True)
    family_explored = models.TextField(
        "family and connected persons explored",
        blank=True,
        help_text="Who in the family and friends network has been considered, and the outcome.",
    )
    child_consulted = models.CharField(
        "was the child consulted?", max_length=20, choices=Consulted.choices, blank=True
    )
    child_views = models.TextField("the child's views", blank=True)
    parents_consulted = models.CharField(
        "were the parents consulted?", max_length=20, choices=Consulted.choices, blank=True
    )
    parents_views = models.TextField("the parents' views", blank=True)
    others_consulted = models.CharField(
        "were other important people consulted?",
        max_length=20,
        choices=Consulted.choices,
        blank=True,
    )
    others_views = models.TextField("the views of other important people", blank=True)
    options_considered = models.TextField(
        "options considered",
        blank=True,
        help_text="Each route on the ladder, and why it was ruled in or out.",
    )
    proposed_route = models.CharField(
        "proposed route to permanence", max_length=30, choices=Route.choices, blank=True
    )
    contingency_route = models.CharField(
        "contingency route", max_length=30, choices=Route.choices, blank=True
    )
    route_details = models.TextField("proposed plan and contingency in detail", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Part 1"
        verbose_name_plural = "Part 1s"

    def __str__(self) -> str:
        return f"Part 1 for {self.booking}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def was_late(self) -> bool:
        return self.is_submitted and self.submitted_at > self.booking.session.part1_due_at

    CONTENT_FIELDS = (
        "reason_for_referral",
        "child_situation",
        "family_explored",
        "child_consulted",
        "child_views",
        "parents_consulted",
        "parents_views",
        "others_consulted",
        "others_views",
        "options_considered",
        "proposed_route",
        "contingency_route",
        "route_details",
    )


def part1_status(booking: Booking, now: dt.datetime | None = None) -> str:
    """Part 1 is due 3 working days before the forum at 17:00; late is flagged (seed 000)."""
    # A missing reverse one-to-one raises an AttributeError subclass, so getattr copes.
    part1 = getattr(booking, "part1", None)
    if part1 is not None and part1.is_submitted:
        return Part1Status.SUBMITTED_LATE if part1.was_late else Part1Status.SUBMITTED
    if booking.status not in Booking.BEFORE_FORUM:
        return Part1Status.NOT_NEEDED
    if (now or timezone.now()) > booking.session.part1_due_at:
        return Part1Status.MISSING
    return Part1Status.DRAFT if part1 is not None else Part1Status.NOT_STARTED


def part1_attachment_path(instance: Part1Attachment, filename: str) -> str:
    # No child details in the stored name (it may appear in logs): a random name and the extension.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"forums/part1-attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Part1Attachment(models.Model):
    """A paper sent with Part 1 (a genogram, a chronology, an assessment): stored privately and
    served only to those who may see the child (seed 000: the forum reads the case)."""

    class Kind(models.TextChoices):
        GENOGRAM = "genogram", "Genogram"
        CHRONOLOGY = "chronology", "Chronology"
        ASSESSMENT = "assessment", "Assessment"
        OTHER = "other", "Other paper"

    part1 = models.ForeignKey(Part1, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("what it is", max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=part1_attachment_path)
    original_name = models.CharField("file name", max_length=255)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["part1", "uploaded_at", "pk"]
        verbose_name = "Part 1 attachment"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def suffix(self) -> str:
        return self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else "bin"


class Part2(models.Model):
    """Part 2: the chair's advice and the tasks that progress the plan (seed 000)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="part2")
    advice = models.TextField("the forum's advice", blank=True)
    advised_route = models.CharField(
        "route to permanence the forum advises", max_length=30, choices=Route.choices, blank=True
    )
    advised_contingency_route = models.CharField(
        "contingency route the forum advises", max_length=30, choices=Route.choices, blank=True
    )
    sgo_with_relatives = models.BooleanField(
        "the special guardians are relatives or connected people", default=False
    )
    # The plan's route when Part 2 was sent, kept when the forum advised another (000): the IRO
    # sees the difference on the review and ratification pages.
    plan_route_when_sent = models.CharField(
        "the plan's route when Part 2 was sent", max_length=30, choices=Route.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Part 2"
        verbose_name_plural = "Part 2s"
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"Part 2 for {self.booking}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def differs_from_plan(self) -> bool:
        return bool(self.plan_route_when_sent) and self.plan_route_when_sent != self.advised_route


class Part2Task(models.Model):
    """A task the forum set: what, who, by when; on sending it becomes a plan action (000)."""

    part2 = models.ForeignKey(Part2, on_delete=models.CASCADE, related_name="tasks")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="forum_tasks")
    due_on = models.DateField("due date")
    is_child_permanence_report = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # The plan action this task became when Part 2 was sent (the plan lives in permanence).
    plan_action_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["part2", "position", "pk"]

    def __str__(self) -> str:
        return self.what
