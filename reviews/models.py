"""The IRO's part: allocation, looked-after reviews, ratification at the second review, PPN1.

Sources: 004 (IRO appointed in 5 working days; reviews at 20 working days, 3 months, then every
6 months; a further review to ratify when the plan is not ready), 002 §7-8 (the checklist and
form PPN1), SSDA903 (review date and participation code).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence.models import Child, Code, Plan, User
from permanence.models.plans import Route

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th")


class IroAllocation(models.Model):
    """An IRO allocated to a child: due within 5 working days of becoming looked after (004)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="iro_allocations")
    iro = models.ForeignKey(
        User, verbose_name="IRO", on_delete=models.PROTECT, related_name="iro_allocations"
    )
    allocated_on = models.DateField()
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-allocated_on", "-pk"]
        verbose_name = "IRO allocation"
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_current_iro"
            )
        ]

    def __str__(self) -> str:
        return f"{self.iro} for {self.child.full_name} from {self.allocated_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.allocated_on and self.allocated_on > timezone.localdate():
            raise ValidationError(
                {"allocated_on": "The date of allocation cannot be in the future"}
            )


class Review(models.Model):
    """A looked-after review: due, booked, held (SSDA903 REVIEW, REVIEW_CODE) or cancelled."""

    class Kind(models.TextChoices):
        STATUTORY = "statutory", "Statutory review"
        FURTHER = "further", "Further review to ratify the plan"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="reviews")
    period_started_on = models.DateField(
        "became looked after on", help_text="The start of the period of care it belongs to."
    )
    sequence = models.PositiveSmallIntegerField(
        help_text="1 for the first review of the period of care, 2 for the second, and so on."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUTORY)
    due_on = models.DateField("due by")
    planned_on = models.DateField("booked for", null=True, blank=True)
    held_on = models.DateField("date held", null=True, blank=True)
    participation = models.CharField(
        "participation code",
        max_length=3,
        blank=True,
        help_text="SSDA903 REVIEW_CODE: how the child took part (PN0 to PN7).",
    )
    iro = models.ForeignKey(
        User,
        verbose_name="chaired by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews_chaired",
    )
    summary = models.TextField("outcome and recommendations", blank=True)
    recommends_sgo = models.BooleanField(
        "recommends a special guardianship order",
        default=False,
        help_text="The SGO referral to the SGO team then falls due, by its timescale.",
    )
    cancelled = models.BooleanField(default=False)
    cancelled_reason = models.TextField("why it was cancelled", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "period_started_on", "sequence", "pk"]
        indexes = [
            models.Index(fields=["child", "held_on"]),
            models.Index(fields=["held_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "period_started_on", "sequence"],
                condition=Q(cancelled=False),
                name="one_review_per_sequence",
            ),
            models.CheckConstraint(
                condition=Q(cancelled=False) | Q(held_on__isnull=True),
                name="cancelled_review_not_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.child.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", args=[self.pk])

    @property
    def title(self) -> str:
        name = f"{ordinal(self.sequence).capitalize()} review"
        return f"{name} (further review)" if self.kind == self.Kind.FURTHER else name

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    @property
    def is_booked(self) -> bool:
        return self.held_on is None and not self.cancelled

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        child = self.child
        if self.held_on:
            if self.held_on > today:
                errors["held_on"] = "The date held cannot be in the future"
            elif self.period_started_on and self.held_on < self.period_started_on:
                errors["held_on"] = (
                    f"The review cannot be dated before {child.first_name} became looked after "
                    f"on {self.period_started_on.day} {self.period_started_on:%B %Y}"
                )
            if not self.participation:
                errors["participation"] = "Select how the child took part in the review"
        if self.planned_on and self.period_started_on and self.planned_on < self.period_started_on:
            errors["planned_on"] = (
                f"The review cannot be booked before {child.first_name} became looked after"
            )
        if self.participation:
            valid = Code.objects.filter(
                list_name=Code.List.REVIEW_CODE, code=self.participation
            ).exists()
            if not valid:
                errors["participation"] = (
                    f"“{self.participation}” is not an SSDA903 review participation code (PN0–PN7)"
                )
            elif self.held_on and child.date_of_birth and "participation" not in errors:
                under_four = child.age_on(self.held_on) < 4
                if under_four and self.participation != "PN0":
                    errors["participation"] = (
                        f"{child.first_name} was under 4 at the review: the code is PN0"
                    )
                elif not under_four and self.participation == "PN0":
                    errors["participation"] = (
                        f"PN0 is only for a child under 4; {child.first_name} was "
                        f"{child.age_on(self.held_on)}"
                    )
        if errors:
            raise ValidationError(errors)


class RatificationCheck(models.Model):
    """The IRO's checklist at a review (002 §7): ratified, or what is missing (004)."""

    class Outcome(models.TextChoices):
        RATIFIED = "ratified", "Plan ratified"
        NOT_RATIFIED = "not_ratified", "Not ratified: further review set"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="ratification")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="ratification_checks")
    plan_drawn_up = models.BooleanField(default=False)
    actions_clear = models.BooleanField(default=False)
    timescales_clear = models.BooleanField(default=False)
    resources_available = models.BooleanField(default=False)
    contingency_in_place = models.BooleanField(default=False)
    review_dates_set = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    missing = models.TextField("what is missing", blank=True)
    further_review = models.OneToOneField(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="set_by_check"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ratification checklist"

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.review}"

    def items(self) -> list[tuple[str, bool]]:
        from permanence.plans.services import RATIFICATION_CHECKLIST

        return [(label, getattr(self, key)) for key, label in RATIFICATION_CHECKLIST]


class Ppn1(models.Model):
    """Form PPN1: after the second review it calls a Permanency Planning Meeting (002 §7-8)."""

    class FamilyFinding(models.TextChoices):
        NONE = "none", "Not needed"
        ADOPTION = "adoption", "Adoption"
        FOSTERING = "fostering", "Long-term fostering"
        BOTH = "both", "Adoption and long-term fostering (parallel plan)"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="ppn1")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ppn1s")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="ppn1s")
    route = models.CharField(max_length=50, choices=Route.choices)
    contingency_route = models.CharField(max_length=50, choices=Route.choices, blank=True)
    plan_summary = models.TextField("the permanence plan agreed at the review")
    family_finding = models.CharField(
        "family finding needed", max_length=20, choices=FamilyFinding.choices
    )
    recommendations = models.TextField(
        "what the Permanency Planning Meeting should agree", blank=True
    )
    adoption_manager = models.ForeignKey(
        User, verbose_name="adoption team manager", on_delete=models.PROTECT, related_name="+"
    )
    fostering_manager = models.ForeignKey(
        User, verbose_name="fostering support manager", on_delete=models.PROTECT, related_name="+"
    )
    # Blank only on PPN1s completed before the role existed.
    admin_officer = models.ForeignKey(
        User,
        verbose_name="designated admin officer",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The Permanency Planning Meeting booked from this PPN1 (a forums meeting; its id only,
    # since reviews does not import forums).
    planning_meeting_id = models.PositiveIntegerField(null=True, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    meeting_on = models.DateField("Permanency Planning Meeting date", null=True, blank=True)
    meeting_booked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "PPN1"
        verbose_name_plural = "PPN1s"
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["meeting_on"])]

    def __str__(self) -> str:
        return f"PPN1 for {self.child.full_name}, {self.completed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:ppn1-detail", args=[self.pk])

    @property
    def meeting_to_be_booked(self) -> bool:
        return self.meeting_on is None

    @property
    def planning_meeting_url(self) -> str:
        if self.planning_meeting_id is None:
            return ""
        return reverse("forums:meeting-detail", args=[self.planning_meeting_id])

    def clean(self) -> None:
        if self.meeting_on and self.completed_on and self.meeting_on < self.completed_on:
            raise ValidationError(
                {"meeting_on": "The meeting cannot be before the PPN1 was completed"}
            )


class SgoReferral(models.Model):
    """The SGO referral form the child's social worker sends to the SGO team manager, due
    within 5 working days of the review recommending special guardianship (003)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sgo_referrals")
    review = models.OneToOneField(
        Review,
        verbose_name="review recommending special guardianship",
        on_delete=models.CASCADE,
        related_name="sgo_referral",
    )
    sent_on = models.DateField("date sent")
    sent_to = models.CharField(
        "sent to", max_length=200, help_text="The SGO team manager the referral form went to."
    )
    proposed_guardians = models.CharField("proposed special guardian or guardians", max_length=300)
    relationship = models.CharField("relationship to the child", max_length=200)
    summary = models.TextField("summary and reasons", blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "SGO referral"
        ordering = ["child", "-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"SGO referral for {self.child.full_name}, sent {self.sent_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        review = self.review if self.review_id else None
        if review is not None:
            if self.child_id and review.child_id != self.child_id:
                errors["review"] = "The review is for another child"
            elif not review.is_held:
                errors["review"] = "Record the review as held before the SGO referral"
            elif not review.recommends_sgo:
                errors["review"] = "This review did not recommend a special guardianship order"
        if self.sent_on:
            if self.sent_on > timezone.localdate():
                errors["sent_on"] = "The date cannot be in the future"
            elif review is not None and review.held_on and self.sent_on < review.held_on:
                held = review.held_on
                errors["sent_on"] = (
                    "The referral cannot be sent before the review that recommended it, "
                    f"held on {held.day} {held:%B %Y}"
                )
        if errors:
            raise ValidationError(errors)
