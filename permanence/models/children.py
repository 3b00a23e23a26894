"""The child and their looked-after episodes, in SSDA903 terms (SPEC §2)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence import dates
from permanence.date_ranges import DateKind, record_problem
from permanence.models.codes import Code
from permanence.models.people import Team, User
from permanence.timescales import due_date, timescale

PATHWAY_PLAN_AGE = 16


class SiblingGroup(models.Model):
    """Brothers and sisters: placed together unless a sibling assessment says not (001 §2.1)."""

    class Placement(models.TextChoices):
        TOGETHER = "together", "To live together"
        APART = "apart", "Some to live apart, after a sibling assessment"

    name = models.CharField(max_length=120)
    placement = models.CharField(
        "placement decision", max_length=20, choices=Placement.choices, default=Placement.TOGETHER
    )
    # The assessment the decision to separate rests on (001 §2.1: only after a robust one).
    assessment = models.ForeignKey(
        "permanence.SiblingAssessment",
        verbose_name="sibling assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    placed_apart_reason = models.TextField(
        blank=True, help_text="Only when a sibling assessment recommends they live apart."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(placement="apart") | Q(assessment__isnull=False),
                name="sibling_group_apart_needs_assessment",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_apart(self) -> bool:
        return self.placement == self.Placement.APART


class Child(models.Model):
    class Sex(models.TextChoices):
        # SSDA903 SEX codes from the 2024-25 collection (1 and 2 before it).
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known or indeterminate"

    class CourtStage(models.TextChoices):
        NONE = "none", "None"
        PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"
        ISSUED = "issued", "Care proceedings issued"
        CONCLUDED = "concluded", "Proceedings concluded"

    child_id = models.CharField(
        "child identifier",
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]{1,10}$",
                "Enter a child identifier of up to 10 letters and numbers, with no spaces",
            )
        ],
        help_text="The authority's SSDA903 CHILD identifier.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    upn = models.CharField(
        "unique pupil number",
        max_length=13,
        blank=True,
        help_text="SSDA903 UPN: 13 characters, or UN1–UN5 when it is not known.",
        validators=[
            RegexValidator(
                r"^(((?![IOS])[A-Z])(\d{12}|\d{11}[A-Z])|UN[1-5])$",
                "Enter a UPN of a letter and 12 characters, or UN1 to UN5 when it is not known",
            )
        ],
    )
    is_mother = models.BooleanField(
        "is a mother", null=True, blank=True, help_text="SSDA903 MOTHER, for girls 12 and over."
    )
    mothers_child_dob = models.DateField(
        "date of birth of her child", null=True, blank=True, help_text="SSDA903 MC_DOB."
    )
    ethnicity = models.CharField(max_length=4, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children")
    social_worker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="caseload", null=True, blank=True
    )
    iro = models.ForeignKey(
        User,
        verbose_name="IRO",
        on_delete=models.PROTECT,
        related_name="iro_children",
        null=True,
        blank=True,
    )
    sibling_group = models.ForeignKey(
        SiblingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    court_stage = models.CharField(
        max_length=20, choices=CourtStage.choices, default=CourtStage.NONE
    )
    # Identity and needs, weighed in the plan and in matching (001 §2, §2.1).
    religion = models.CharField(max_length=100, blank=True)
    first_language = models.CharField("first language", max_length=100, blank=True)
    needs_interpreter = models.BooleanField("needs an interpreter", default=False)
    disability = models.TextField("disability", blank=True)
    health_needs = models.TextField("health needs", blank=True)
    # Every child is told how to complain and how to get an advocate (001 §2.1), dated.
    told_how_to_complain_on = models.DateField(
        "date told how to make a complaint or representation", null=True, blank=True
    )
    told_about_advocacy_on = models.DateField(
        "date told how to get an advocate", null=True, blank=True
    )
    proceedings_issued_on = models.DateField(null=True, blank=True)
    proceedings_concluded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["team", "last_name"]),
            models.Index(fields=["social_worker"]),
            models.Index(fields=["iro"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.child_id})"

    def get_absolute_url(self) -> str:
        return reverse("permanence:child-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, day: dt.date) -> int | None:
        """Whole years of age on `day`, or None for an unborn child."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def needs_pathway_plan(self, today: dt.date) -> bool:
        """At 16 and over permanence is addressed through a pathway plan (000, 001)."""
        age = self.age_on(today)
        return age is not None and age >= PATHWAY_PLAN_AGE

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth is None and self.expected_date_of_birth is None:
            errors["date_of_birth"] = (
                "Enter the date of birth, or the expected date for an unborn child"
            )
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = (
                "Date of birth must be today or in the past; for an unborn child "
                "leave it blank and enter the expected date of birth"
            )
        # A year mistyped (1800 for 2018): refused here too, so an import or a service says so.
        for name, label in (
            ("told_how_to_complain_on", "The date the child was told how to complain"),
            ("told_about_advocacy_on", "The date the child was told how to get an advocate"),
        ):
            told = getattr(self, name)
            if told and told > today:
                errors[name] = f"{label} cannot be in the future"
        for name, label in (
            ("told_how_to_complain_on", "The date the child was told how to complain"),
            ("told_about_advocacy_on", "The date the child was told how to get an advocate"),
            ("date_of_birth", "Date of birth"),
            ("proceedings_issued_on", "The date care proceedings were issued"),
            ("proceedings_concluded_on", "The date proceedings concluded"),
        ):
            problem = record_problem(getattr(self, name), label)
            if problem:
                errors[name] = problem
        if self.expected_date_of_birth:
            problem = DateKind.EXPECTED_BIRTH.range(today).problem(
                self.expected_date_of_birth, "Expected date of birth"
            )
            if problem:
                errors["expected_date_of_birth"] = problem
        # An unborn child's sex may not be known yet; a born child's must be recorded.
        if self.date_of_birth and not self.sex:
            errors["sex"] = "Select the child's sex"
        if self.ethnicity and self.ethnicity not in Code.valid_codes(Code.List.ETHNIC):
            errors["ethnicity"] = f"“{self.ethnicity}” is not an SSDA903 ethnicity code"
        if self.court_stage in {self.CourtStage.ISSUED, self.CourtStage.CONCLUDED}:
            if not self.proceedings_issued_on:
                errors["proceedings_issued_on"] = "Enter the date care proceedings were issued"
            elif self.proceedings_issued_on > today:
                errors["proceedings_issued_on"] = "The issue date cannot be in the future"
        if self.court_stage == self.CourtStage.CONCLUDED and not self.proceedings_concluded_on:
            errors["proceedings_concluded_on"] = "Enter the date proceedings concluded"
        if (
            self.proceedings_concluded_on
            and self.proceedings_issued_on
            and self.proceedings_concluded_on < self.proceedings_issued_on
        ):
            errors["proceedings_concluded_on"] = (
                "Proceedings cannot conclude before they were issued"
            )
        if errors:
            raise ValidationError(errors)


class EpisodeQuerySet(models.QuerySet):
    def open(self) -> EpisodeQuerySet:
        return self.filter(dec__isnull=True)


class Episode(models.Model):
    """A looked-after episode in SSDA903 terms: one legal status and one placement."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="episodes")
    decom = models.DateField("start date", help_text="SSDA903 DECOM")
    rne = models.CharField("reason for new episode", max_length=1)
    legal_status = models.CharField("legal status", max_length=2)
    cin = models.CharField("category of need", max_length=2, blank=True)
    # Three characters from 2025-26 (Z11 to Z14 replace Z1).
    place = models.CharField("placement type", max_length=3)
    place_provider = models.CharField("placement provider", max_length=3, blank=True)
    dec = models.DateField("end date", null=True, blank=True, help_text="SSDA903 DEC")
    rec = models.CharField("reason episode ceased", max_length=3, blank=True)
    # Six characters: CUSTOD is a valid code.
    reason_place_change = models.CharField("reason for placement change", max_length=6, blank=True)
    home_post = models.CharField("home postcode district", max_length=8, blank=True)
    pl_post = models.CharField("placement postcode district", max_length=8, blank=True)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True)
    history = HistoricalRecords()

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["child", "decom"]
        indexes = [models.Index(fields=["child", "decom"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=models.F("decom")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(dec__isnull=True) & Q(rec="")) | (Q(dec__isnull=False) & ~Q(rec="")),
                name="episode_end_has_reason",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(dec__isnull=True), name="one_open_episode_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decom:%d/%m/%Y} {self.legal_status} {self.place}"

    CODE_FIELDS = {
        "rne": Code.List.RNE,
        "legal_status": Code.List.LS,
        "place": Code.List.PLACE,
        "place_provider": Code.List.PLACE_PROVIDER,
        "rec": Code.List.REC,
        "cin": "CIN",
        "reason_place_change": Code.List.REASON_PLACE_CHANGE,
    }

    def clean(self) -> None:
        errors = self.problems_alone()
        if self.decom and "decom" not in errors:
            clash = self.overlapping().first()
            if clash:
                errors["decom"] = (
                    f"This overlaps the episode that started on {clash.decom:%d/%m/%Y}"
                    + (f" and ended on {clash.dec:%d/%m/%Y}" if clash.dec else " and has not ended")
                )
        if errors:
            raise ValidationError(errors)

    def problems_alone(self) -> dict[str, str]:
        """What is wrong with this episode on its own, without reading the database: the SSDA903
        import checks thousands at once and compares them with the child's other episodes itself."""
        errors: dict[str, str] = {}
        for field, list_name in self.CODE_FIELDS.items():
            value = getattr(self, field)
            if value and value not in Code.valid_codes(list_name):
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"“{value}” is not an SSDA903 {label} code"
        child = self.child
        if self.decom and child.date_of_birth and self.decom < child.date_of_birth:
            errors["decom"] = (
                f"The episode cannot start before the child's date of birth "
                f"({child.date_of_birth:%d/%m/%Y})"
            )
        if self.decom and child.date_of_birth is None:
            errors["decom"] = "Record the child's date of birth before a looked-after episode"
        if self.decom and self.decom > timezone.localdate():
            errors["decom"] = "The start date cannot be in the future"
        if self.dec and self.dec > timezone.localdate():
            errors["dec"] = "The end date cannot be in the future"
        for name, label in (("decom", "The start date"), ("dec", "The end date")):
            # Only the wide floor: a return may hold episodes from long ago (date_ranges).
            problem = record_problem(getattr(self, name), label)
            if problem:
                errors[name] = problem
        if self.dec and self.decom and self.dec < self.decom:
            errors["dec"] = "The end date cannot be before the start date"
        if self.dec and not self.rec:
            errors["rec"] = "Select the reason the episode ended"
        if self.rec and not self.dec:
            errors["dec"] = "Enter the date the episode ended"
        return errors

    def overlapping(self) -> models.QuerySet:
        """The child's other episodes overlapping this one (one may start as another ends)."""
        others = Episode.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        # Half-open intervals [decom, dec): SSDA903 starts the next episode on the day one ends.
        clash = Q(dec__isnull=True) | Q(dec__gt=self.decom)
        if self.dec:
            clash &= Q(decom__lt=self.dec)
        return others.filter(clash).order_by("decom")


# SSDA903 PLACE codes for foster placements with relatives or friends (connected persons).
CONNECTED_PLACEMENTS = frozenset({"U1", "U2", "U3"})
CONNECTED_APPROVAL_RULE = "connected_person_approval"
NO_EXTENSION = (
    "No extension can be recorded: the extension allowed for a temporary approval is set to 0 weeks"
)


def max_extension_weeks() -> int:
    """The longest extension of a temporary approval, in weeks (CPPCR 2010 reg 25: up to 8, the
    rule's default). Set to 0 by the administrator, no extension can be recorded."""
    return timescale(CONNECTED_APPROVAL_RULE).extension_amount


def temporary_approval_ends(placed_on: dt.date, extension_weeks: int | None = None) -> dt.date:
    """When a connected person's temporary approval ends: 16 weeks from the placement, plus
    the extension agreed (CPPCR 2010 regs 24-25). Counted as the tracker's deadline is."""
    extension = dates.Offset(extension_weeks, "weeks") if extension_weeks else None
    return due_date(CONNECTED_APPROVAL_RULE, placed_on, extension=extension)


class ConnectedPersonApproval(models.Model):
    """A connected person approved as a foster carer only temporarily, so that the child can
    live with them while they are assessed (CPPCR 2010 reg 24); extended at most once (reg 25).
    By the end the carers are fully approved, or the child moves."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Fully approved as foster carers"
        NOT_APPROVED = "not_approved", "Not approved: the child moved"
        ENDED_OTHERWISE = "ended_otherwise", "Ended another way"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="connected_approvals")
    placed_on = models.DateField(
        "date placed with the connected person",
        help_text="The date the child was placed with them under regulation 24.",
    )
    carers = models.CharField(
        "connected person or people", max_length=200, help_text="Their names."
    )
    extended_on = models.DateField("date the extension was agreed", null=True, blank=True)
    extension_weeks = models.PositiveSmallIntegerField(
        "length of the extension in weeks",
        null=True,
        blank=True,
    )
    extension_agreed_by = models.CharField(
        "extension agreed by",
        max_length=200,
        blank=True,
        help_text="The nominated officer who agreed it (regulation 25).",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    resolved_on = models.DateField("date of the outcome", null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="recorded by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "placed_on"]
        verbose_name = "connected person's temporary approval"
        constraints = [
            models.UniqueConstraint(
                fields=["child", "placed_on"], name="connected_approval_one_per_placement"
            ),
            models.CheckConstraint(
                condition=(Q(extended_on__isnull=True) & Q(extension_weeks__isnull=True))
                | (Q(extended_on__isnull=False) & Q(extension_weeks__gte=1)),
                name="connected_approval_extension_complete",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(resolved_on__isnull=True))
                | (~Q(outcome="") & Q(resolved_on__isnull=False)),
                name="connected_approval_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True) | Q(extended_on__gte=models.F("placed_on")),
                name="connected_approval_extended_after_placement",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("placed_on")),
                name="connected_approval_resolved_after_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"Temporary approval of {self.carers} from {self.placed_on:%d/%m/%Y}"

    @property
    def is_extended(self) -> bool:
        return self.extended_on is not None

    @property
    def is_resolved(self) -> bool:
        return bool(self.outcome)

    @property
    def first_ends_on(self) -> dt.date:
        """The end of the first 16 weeks, before any extension (reg 24)."""
        return temporary_approval_ends(self.placed_on)

    @property
    def ends_on(self) -> dt.date:
        """The end of the temporary approval with its extension, if any (regs 24-25)."""
        return temporary_approval_ends(self.placed_on, self.extension_weeks)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        placed = self.placed_on
        born = self.child.date_of_birth if self.child_id else None
        if placed and placed > today:
            errors["placed_on"] = "The date placed cannot be in the future"
        elif placed and born and placed < born:
            errors["placed_on"] = (
                f"The date placed cannot be before the child's date of birth ({born:%d/%m/%Y})"
            )
        if self.extended_on:
            if self.extended_on > today:
                errors["extended_on"] = "The date the extension was agreed cannot be in the future"
            elif placed and self.extended_on < placed:
                errors["extended_on"] = (
                    "The extension cannot be agreed before the child was placed "
                    f"({placed:%d/%m/%Y})"
                )
            elif placed and self.extended_on > self.first_ends_on:
                errors["extended_on"] = (
                    "The extension must be agreed before the temporary approval ends, "
                    f"on {self.first_ends_on:%d/%m/%Y}"
                )
            longest = max_extension_weeks()
            if not longest:
                errors["extension_weeks"] = NO_EXTENSION
            elif self.extension_weeks is None:
                errors["extension_weeks"] = "Enter the length of the extension in weeks"
            elif not 1 <= self.extension_weeks <= longest:
                errors["extension_weeks"] = f"The extension must be between 1 and {longest} weeks"
            if not self.extension_agreed_by.strip():
                errors["extension_agreed_by"] = "Enter who agreed the extension"
        elif self.extension_weeks is not None or self.extension_agreed_by:
            errors["extended_on"] = "Enter the date the extension was agreed"
        if self.resolved_on:
            if self.resolved_on > today:
                errors["resolved_on"] = "The date of the outcome cannot be in the future"
            elif placed and self.resolved_on < placed:
                errors["resolved_on"] = (
                    f"The outcome cannot be before the child was placed ({placed:%d/%m/%Y})"
                )
            elif self.extended_on and self.resolved_on < self.extended_on:
                errors["resolved_on"] = (
                    "The outcome cannot be before the extension was agreed "
                    f"({self.extended_on:%d/%m/%Y})"
                )
            if not self.outcome:
                errors["outcome"] = "Select the outcome"
        elif self.outcome:
            errors["resolved_on"] = "Enter the date of the outcome"
        if errors:
            raise ValidationError(errors)
