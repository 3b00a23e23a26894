"""The people around the child: sibling assessments, new evidence on reunification, contact
arrangements and the adults who will stand by the child (001 §2.1, 002 §5)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from permanence import dates
from permanence.date_ranges import past_date_problems, record_problem
from permanence.models.children import Child, SiblingGroup
from permanence.models.people import User
from permanence.timescales import due_date, timescale


class SiblingAssessment(models.Model):
    """A sibling assessment: the only ground for placing brothers and sisters apart (001 §2.1)."""

    class Recommendation(models.TextChoices):
        TOGETHER = "together", "They should live together"
        APART = "apart", "Some should live apart"

    group = models.ForeignKey(SiblingGroup, on_delete=models.CASCADE, related_name="assessments")
    completed_on = models.DateField("date the assessment was completed")
    completed_by = models.CharField(
        "completed by", max_length=200, help_text="Who carried out the assessment."
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    summary = models.TextField(
        "what the assessment found",
        help_text="The children's individual and shared needs, and why it recommends this.",
    )
    apart = models.ManyToManyField(
        Child,
        verbose_name="children to live apart",
        blank=True,
        related_name="sibling_assessments_apart",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[apart])

    class Meta:
        ordering = ["group", "-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"Sibling assessment of {self.completed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = past_date_problems(
            self, (("completed_on", "The date the assessment was completed"),)
        )
        if not (self.summary or "").strip():
            errors["summary"] = "Enter what the assessment found"
        if not (self.completed_by or "").strip():
            errors["completed_by"] = "Enter who carried out the assessment"
        if errors:
            raise ValidationError(errors)


class SiblingEvidence(models.Model):
    """New evidence that separated siblings could live together again: the plan is reviewed
    for all of them (001 §2.1)."""

    group = models.ForeignKey(SiblingGroup, on_delete=models.CASCADE, related_name="evidence")
    noted_on = models.DateField("date of the new evidence")
    evidence = models.TextField("what the new evidence is")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "-noted_on", "-pk"]
        verbose_name_plural = "sibling evidence"

    def __str__(self) -> str:
        return f"New evidence of {self.noted_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = past_date_problems(self, (("noted_on", "The date of the new evidence"),))
        if not (self.evidence or "").strip():
            errors["evidence"] = "Enter what the new evidence is"
        if errors:
            raise ValidationError(errors)


class ContactArrangement(models.Model):
    """Contact with a parent, a brother or sister or other family: who, how often, supervised
    or not (001 §2.1: contact actively promoted; separated siblings keep good contact)."""

    class With(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        SIBLING = "sibling", "Brother or sister in the sibling group"
        OTHER_SIBLING = "other_sibling", "Another brother or sister"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_FAMILY = "other_family", "Other family"
        FRIEND = "friend", "Family friend or other important person"

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        CALLS = "calls", "Phone or video calls"
        INDIRECT = "indirect", "Letters or cards (indirect)"

    class Supervision(models.TextChoices):
        SUPERVISED = "supervised", "Supervised"
        SUPPORTED = "supported", "Supported"
        UNSUPERVISED = "unsupervised", "Unsupervised"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contact_arrangements")
    relationship = models.CharField("contact with", max_length=20, choices=With.choices)
    person_name = models.CharField(
        "their name", max_length=200, blank=True, help_text="Not needed for a sibling chosen below."
    )
    sibling = models.ForeignKey(
        Child,
        verbose_name="brother or sister",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    frequency = models.CharField("how often", max_length=100)
    kind = models.CharField("how", max_length=20, choices=Kind.choices)
    supervision = models.CharField("supervised or not", max_length=20, choices=Supervision.choices)
    notes = models.TextField(blank=True)
    starts_on = models.DateField("date it starts", null=True, blank=True)
    ended_on = models.DateField("date it ended", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "ended_on", "relationship", "pk"]

    def __str__(self) -> str:
        return f"Contact with {self.with_whom}"

    @property
    def with_whom(self) -> str:
        if self.sibling_id:
            return self.sibling.full_name
        return self.person_name or self.get_relationship_display()

    def clean(self) -> None:
        errors = past_date_problems(self, (("ended_on", "The date it ended"),))
        # Contact may be agreed to start later, so only a mistyped year is refused.
        problem = record_problem(self.starts_on, "The date it starts")
        if problem:
            errors["starts_on"] = problem
        if self.relationship == self.With.SIBLING:
            if not self.sibling_id:
                errors["sibling"] = "Choose the brother or sister the contact is with"
            elif self.sibling_id == self.child_id:
                errors["sibling"] = "Contact must be with someone other than the child"
            elif self.child_id and not (
                Child.objects.filter(
                    pk=self.sibling_id,
                    sibling_group__isnull=False,
                    sibling_group__children=self.child_id,
                ).exists()
            ):
                errors["sibling"] = "Choose a brother or sister from the child's sibling group"
        elif not (self.person_name or "").strip():
            errors["person_name"] = "Enter the name of the person the contact is with"
        if not (self.frequency or "").strip():
            errors["frequency"] = "Enter how often contact happens"
        if self.starts_on and self.ended_on and self.ended_on < self.starts_on:
            errors["ended_on"] = "The date it ended cannot be before the date it starts"
        if errors:
            raise ValidationError(errors)


class SupportingAdult(models.Model):
    """An adult in the child's wider family or network who will give emotional support and a
    long-term trusting relationship, particularly at times of change (002 §5)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="supporting_adults")
    name = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the child", max_length=200)
    support = models.TextField("the support they will give")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if not (self.name or "").strip():
            errors["name"] = "Enter the person's name"
        if not (self.support or "").strip():
            errors["support"] = "Enter the support they will give"
        if errors:
            raise ValidationError(errors)


SUPERVISION_ORDER_RULE = "supervision_order_ends"
ADULT_AGE_MONTHS = 18 * 12


def eighteenth_birthday(child: Child) -> dt.date | None:
    """The day the child turns 18, when no order made for them may run past (001 §3.2)."""
    if child.date_of_birth is None:
        return None
    return dates.add_months(child.date_of_birth, ADULT_AGE_MONTHS)


def supervision_order_ends(made_on: dt.date, extension_months: int | None = None) -> dt.date:
    """When a supervision order ends: a year from when it was made, plus any extension the court
    granted, counted as the tracker's deadline is (001 §3.2)."""
    extension = dates.Offset(extension_months, "months") if extension_months else None
    return due_date(SUPERVISION_ORDER_RULE, made_on, extension=extension)


class SupervisionOrder(models.Model):
    """A supervision order: the child stays at home, advised, helped and befriended by the
    authority. One year at first, extendable to three in all, never past 18 (001 §3.2)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="supervision_orders")
    made_on = models.DateField("date the order was made")
    conditions = models.TextField(
        blank=True, help_text="For example, a medical examination or particular activities."
    )
    extended_on = models.DateField("date the court extended it", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(
        "length of the extension in months", null=True, blank=True
    )
    ended_on = models.DateField("date it ended or was discharged", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-made_on", "-pk"]

    def __str__(self) -> str:
        return f"Supervision order made on {self.made_on:%d/%m/%Y}"

    @property
    def ends_on(self) -> dt.date:
        """When the order ends as things stand: its year, any extension, never past 18."""
        end = supervision_order_ends(self.made_on, self.extension_months)
        adult = eighteenth_birthday(self.child)
        return min(end, adult) if adult else end

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("made_on", "The date the order was made"),
                ("extended_on", "The date the court extended it"),
                ("ended_on", "The date it ended"),
            ),
        )
        adult = eighteenth_birthday(self.child) if self.child_id else None
        if self.made_on and "made_on" not in errors:
            born = self.child.date_of_birth if self.child_id else None
            if born and self.made_on < born:
                errors["made_on"] = "The order cannot be made before the child was born"
            elif adult and self.made_on >= adult:
                errors["made_on"] = (
                    f"A supervision order cannot be made once the child is 18 "
                    f"(on {adult:%-d %B %Y})"
                )
        if self.extension_months is not None or self.extended_on:
            longest = timescale(SUPERVISION_ORDER_RULE).extension_amount
            if not self.extended_on:
                errors["extended_on"] = "Enter the date the court extended the order"
            elif self.made_on and self.extended_on < self.made_on:
                errors["extended_on"] = "The order cannot be extended before it was made"
            if not self.extension_months:
                errors["extension_months"] = "Enter the length of the extension in months"
            elif self.extension_months > longest:
                errors["extension_months"] = (
                    f"An order can be extended by {longest} months at most: "
                    "no more than three years in all"
                )
            elif adult and self.made_on and "made_on" not in errors:
                end = supervision_order_ends(self.made_on, self.extension_months)
                if end > adult:
                    errors["extension_months"] = (
                        f"The order cannot run past the child's 18th birthday "
                        f"({adult:%-d %B %Y}): with this extension it would end on "
                        f"{end:%-d %B %Y}"
                    )
        if self.ended_on and self.made_on and self.ended_on < self.made_on:
            errors["ended_on"] = "The order cannot end before it was made"
        if errors:
            raise ValidationError(errors)


class PlacementSupport(models.Model):
    """Support offered when a placement is at risk of breaking down, before it disrupts
    (001 §2.1: readily available help when difficulties present a risk of disruption)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placement_support")
    risk_noted_on = models.DateField("date the risk was identified")
    risk = models.TextField("what puts the placement at risk")
    support = models.TextField("the support offered")
    offered_on = models.DateField("date the support was offered")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-risk_noted_on", "-pk"]
        verbose_name_plural = "placement support"

    def __str__(self) -> str:
        return f"Support offered on {self.offered_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("risk_noted_on", "The date the risk was identified"),
                ("offered_on", "The date the support was offered"),
            ),
        )
        if (
            self.offered_on
            and self.risk_noted_on
            and not errors
            and self.offered_on < self.risk_noted_on
        ):
            errors["offered_on"] = "Support cannot be offered before the risk was identified"
        for name, words in (
            ("risk", "Enter what puts the placement at risk"),
            ("support", "Enter the support offered"),
        ):
            if not (getattr(self, name) or "").strip():
                errors[name] = words
        if errors:
            raise ValidationError(errors)
