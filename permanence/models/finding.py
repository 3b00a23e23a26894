"""From a ratified plan to permanence achieved: carers, allocation, family finding, potential
matches and the orders that make permanence legal (000 "Progressing the plan",
"Identification", "Matching"; 003 "Outcomes", "Long-term fostering", "Match to IFA", "Family
finding"; 001 §3.3-3.9 and §6).

The matching meeting, the panels and the decision maker live in `forums`; they write their
outcome onto `PotentialMatch` (recommendation, decision, ratification, placement), so that
`permanence` can tell whether a plan has what it needs to be achieved without importing them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from permanence.date_ranges import past_date_problems
from permanence.models.children import Child
from permanence.models.people import Service, User
from permanence.models.plans import Plan


def _blank(value) -> bool:
    return not (value or "").strip()


class CarerHousehold(models.Model):
    """A household that may care for a child permanently: foster carers, connected people,
    an independent agency's carers or approved adopters (000, 003). CPS duty and the
    permanence coordinator keep the register; a child's social worker never contacts the carers
    directly, only through their supervising social worker (000)."""

    class Kind(models.TextChoices):
        IN_HOUSE = "in_house", "In-house foster carers"
        CONNECTED = "connected", "Connected person (family and friends)"
        IFA = "ifa", "Independent fostering agency carers"
        ADOPTERS = "adopters", "Approved adopters"
        RAA_ADOPTERS = "raa_adopters", "Adopters through the regional adoption agency"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        LEFT = "left", "Left the register"

    name = models.CharField(
        "household", max_length=200, help_text="How the household is known, e.g. 'Mr and Mrs Hale'."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agency_name = models.CharField(
        "agency",
        max_length=200,
        blank=True,
        help_text="The independent fostering agency or regional adoption agency.",
    )
    approved_on = models.DateField("date approved", null=True, blank=True)
    approved_for = models.CharField(
        "terms of approval",
        max_length=300,
        blank=True,
        help_text="For example, 'up to two children aged 0 to 10'.",
    )
    form_f_on = models.DateField(
        "date the Form F assessment was completed or last updated", null=True, blank=True
    )
    supervising_social_worker = models.ForeignKey(
        User,
        verbose_name="supervising social worker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_households",
        help_text="Our supervising social worker, for in-house and connected carers.",
    )
    agency_contact = models.CharField(
        "agency's supervising social worker",
        max_length=300,
        blank=True,
        help_text="Name and e-mail address of the agency's worker, for agency carers.",
    )
    contact_details = models.TextField(
        "the carers' contact details",
        blank=True,
        help_text="Address and telephone. Shown only to those who keep the register and the "
        "supervising social worker.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="carer_households",
        help_text="The service whose fostering and adoption managers oversee the household.",
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "carer household"
        indexes = [models.Index(fields=["service", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("approved_on", "The date approved"),
                ("form_f_on", "The date of the Form F assessment"),
            ),
        )
        if _blank(self.name):
            errors["name"] = "Enter the household's name"
        if self.kind in (self.Kind.IFA, self.Kind.RAA_ADOPTERS) and _blank(self.agency_name):
            errors["agency_name"] = "Enter the agency the carers are approved by"
        if self.kind == self.Kind.IFA and _blank(self.agency_contact):
            errors["agency_contact"] = (
                "Enter the agency's supervising social worker: requests to the carers go "
                "through them"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_agency(self) -> bool:
        return self.kind in (self.Kind.IFA, self.Kind.RAA_ADOPTERS)

    @property
    def is_adopters(self) -> bool:
        return self.kind in (self.Kind.ADOPTERS, self.Kind.RAA_ADOPTERS)


class FamilyFindingAllocation(models.Model):
    """Who takes the plan forward once it is ratified, by route (000, 003): a family finder for
    adoption and for long-term fostering with new carers, an SGO assessing worker for special
    guardianship, or the supervising social worker of the child's existing carers."""

    class Kind(models.TextChoices):
        FAMILY_FINDER = "family_finder", "Family finder"
        SGO_ASSESSOR = "sgo_assessor", "Special guardianship assessing worker"
        SUPERVISING_SW = "supervising_sw", "Supervising social worker of the existing carers"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField("allocated as", max_length=20, choices=Kind.choices)
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="allocations")
    allocated_on = models.DateField("date allocated")
    ended_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-allocated_on", "-pk"]
        indexes = [models.Index(fields=["worker", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.worker}"

    def clean(self) -> None:
        errors = past_date_problems(self, (("allocated_on", "The date allocated"),))
        if errors:
            raise ValidationError(errors)


class FamilySearch(models.Model):
    """The search for a family: internal carers first; outside the authority only with a senior
    manager's written permission, copied to the Placements team (003). A request to an
    independent agency needs its funding agreed by the assistant director and the business case
    signed off (000, 003)."""

    class Scope(models.TextChoices):
        INTERNAL = "internal", "Our own carers"
        EXTERNAL = "external", "External: independent agencies and other authorities"
        NATIONAL = "national", "National search"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="searches")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.INTERNAL)
    started_on = models.DateField("date the search started")
    pen_picture_sent_on = models.DateField(
        "date the pen picture was sent to our carers", null=True, blank=True
    )
    permission_by = models.ForeignKey(
        User,
        verbose_name="senior manager who gave permission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    permission_on = models.DateField("date permission was given", null=True, blank=True)
    permission_note = models.TextField(
        "the written permission", blank=True, help_text="What the senior manager wrote."
    )
    copied_to_placements = models.BooleanField(
        "the permission was copied to the Placements team", default=False
    )
    ifa_request = models.BooleanField("a request to an independent fostering agency", default=False)
    ifa_funding_agreed_by = models.CharField(
        "assistant director who agreed the funding", max_length=200, blank=True
    )
    ifa_funding_agreed_on = models.DateField("date the funding was agreed", null=True, blank=True)
    business_case_signed_off_by = models.CharField(
        "who signed off the business case", max_length=200, blank=True
    )
    business_case_signed_off_on = models.DateField(
        "date the business case was signed off", null=True, blank=True
    )
    ended_on = models.DateField("date the search ended", null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-started_on", "-pk"]
        verbose_name_plural = "family searches"

    def __str__(self) -> str:
        return f"{self.get_scope_display()} search from {self.started_on:%d/%m/%Y}"

    @property
    def is_outside(self) -> bool:
        return self.scope in (self.Scope.EXTERNAL, self.Scope.NATIONAL)

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("started_on", "The date the search started"),
                ("pen_picture_sent_on", "The date the pen picture was sent"),
                ("permission_on", "The date permission was given"),
                ("ifa_funding_agreed_on", "The date the funding was agreed"),
                ("business_case_signed_off_on", "The date the business case was signed off"),
                ("ended_on", "The date the search ended"),
            ),
        )
        if self.is_outside:
            # 003: written permission from the service manager before an external search,
            # copied to the Placements team.
            if self.permission_by_id is None:
                errors["permission_by"] = (
                    "A search outside our own carers needs a senior manager's written "
                    "permission: choose who gave it"
                )
            if self.permission_on is None:
                errors.setdefault("permission_on", "Enter the date permission was given")
            if _blank(self.permission_note):
                errors["permission_note"] = (
                    "Enter the senior manager's written permission for the search"
                )
            if not self.copied_to_placements:
                errors["copied_to_placements"] = (
                    "Copy the written permission to the Placements team before the search "
                    "starts, and tick to confirm"
                )
            if self.permission_on and self.started_on and self.permission_on > self.started_on:
                errors.setdefault(
                    "permission_on", "Permission must be given before the search starts"
                )
        if self.ifa_request:
            # 000, 003: the assistant director agrees the funding; the business case is signed
            # off before an agency's carers are asked.
            if _blank(self.ifa_funding_agreed_by):
                errors["ifa_funding_agreed_by"] = (
                    "A request to an independent fostering agency needs its funding agreed by "
                    "the assistant director: enter who agreed it"
                )
            if self.ifa_funding_agreed_on is None:
                errors.setdefault("ifa_funding_agreed_on", "Enter the date the funding was agreed")
            if self.business_case_signed_off_on is None:
                errors.setdefault(
                    "business_case_signed_off_on",
                    "Enter the date the business case was signed off: an agency placement "
                    "needs it first",
                )
            if _blank(self.business_case_signed_off_by):
                errors["business_case_signed_off_by"] = "Enter who signed off the business case"
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors.setdefault("ended_on", "The search cannot end before it started")
        if errors:
            raise ValidationError(errors)


class PotentialMatch(models.Model):
    """A household considered for the child, with its outcome and reason (000, 003). Existing
    carers are assessed as permanent carers alongside other applicants (000). The forums write
    the panel's recommendation, the agency decision maker's decision and, for long-term
    fostering, the head of service's ratification onto it (000, 003)."""

    class Outcome(models.TextChoices):
        CONSIDERING = "considering", "Being considered"
        RULED_OUT = "ruled_out", "Ruled out"
        PROCEEDING = "proceeding", "Proceeding to matching"
        MATCHED = "matched", "Matched"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Recommendation(models.TextChoices):
        RECOMMENDED = "recommended", "Recommended"
        NOT_RECOMMENDED = "not_recommended", "Not recommended"
        DEFERRED = "deferred", "Deferred"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        NOT_APPROVED = "not_approved", "Not approved"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="potential_matches")
    carer = models.ForeignKey(
        CarerHousehold,
        verbose_name="household",
        on_delete=models.PROTECT,
        related_name="potential_matches",
    )
    considered_on = models.DateField("date first considered")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.CONSIDERING)
    reason = models.TextField(
        blank=True, help_text="Why: a household ruled out or withdrawn needs its reason."
    )
    existing_carers = models.BooleanField(
        "the child's existing carers, assessed as permanent carers alongside other applicants",
        default=False,
    )
    explore_sgo = models.BooleanField(
        "special guardianship explored with the carers", default=False
    )
    explore_sgo_note = models.TextField(
        "what the carers said about special guardianship", blank=True
    )
    adoption_support_assessed_on = models.DateField(
        "date the need for adoption support was assessed", null=True, blank=True
    )
    adoption_support_note = models.TextField("adoption support to be provided", blank=True)
    # Filled from the forums: the panel, the agency decision maker, the head of service.
    panel_recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, blank=True
    )
    panel_on = models.DateField("date of the panel", null=True, blank=True)
    decision = models.CharField(
        "agency decision maker's decision", max_length=20, choices=Decision.choices, blank=True
    )
    decided_on = models.DateField("date of the decision", null=True, blank=True)
    decided_by = models.CharField("agency decision maker", max_length=200, blank=True)
    ratified_by_hos = models.ForeignKey(
        User,
        verbose_name="head of service who ratified the match",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ratified_on = models.DateField("date the match was ratified", null=True, blank=True)
    placed_on = models.DateField(
        "date placed",
        null=True,
        blank=True,
        help_text="The day the child moved in, or, with existing carers, the day the placement "
        "became permanent.",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "considered_on", "pk"]
        verbose_name_plural = "potential matches"
        constraints = [
            models.UniqueConstraint(fields=["plan", "carer"], name="one_match_per_plan_and_carer")
        ]

    def __str__(self) -> str:
        return f"{self.carer} ({self.get_outcome_display().lower()})"

    @property
    def is_approved(self) -> bool:
        return self.decision == self.Decision.APPROVED and self.decided_on is not None

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("considered_on", "The date first considered"),
                ("adoption_support_assessed_on", "The date adoption support was assessed"),
                ("panel_on", "The date of the panel"),
                ("decided_on", "The date of the decision"),
                ("ratified_on", "The date the match was ratified"),
                ("placed_on", "The date placed"),
            ),
        )
        if self.outcome in (self.Outcome.RULED_OUT, self.Outcome.WITHDRAWN) and _blank(self.reason):
            errors["reason"] = (
                f"Enter why the household was {self.get_outcome_display().lower()}: "
                "every household considered keeps its reason"
            )
        if self.decision and not self.panel_recommendation:
            errors["decision"] = (
                "The agency decision maker decides after the panel's recommendation"
            )
        if self.decided_on and self.panel_on and self.decided_on < self.panel_on:
            errors.setdefault("decided_on", "The decision cannot be before the panel")
        if self.placed_on and not self.is_approved:
            errors["placed_on"] = (
                "The child is placed only after the agency decision maker has approved the match"
            )
        elif self.placed_on and self.decided_on and self.placed_on < self.decided_on:
            errors["placed_on"] = "The child cannot be placed before the match was approved"
        if errors:
            raise ValidationError(errors)


# Why a special guardianship or child arrangements order, in 003's table ("Identifying the right
# permanence plan") and 001 §3.4-3.5: recorded as codes in OrderRecord.reasons.
SGO_CAO_REASONS = (
    (
        "legal_security",
        "The child needs the security of a legally defined placement with these carers, "
        "without the lifelong change of identity adoption brings",
    ),
    (
        "lifelong_commitment",
        "The carers will exercise day-to-day parental responsibility as a lifelong commitment",
    ),
    (
        "no_monitoring",
        "The local authority need not keep monitoring and reviewing, though support may still "
        "be arranged",
    ),
    (
        "strong_attachment",
        "The child is strongly attached to the carers, and legal permanence adds to their "
        "sense of belonging",
    ),
    (
        "decide_without_consulting",
        "The carers need to decide day-to-day matters without consulting the parents "
        "(special guardianship)",
    ),
    (
        "share_with_parents",
        "The carers will share parental responsibility and consult the parents (child "
        "arrangements order)",
    ),
)


class OrderRecord(models.Model):
    """An order sought or made for the child, or a return home completed: what makes the plan
    legally permanent (001 §3.3-3.9, §6). Special guardianship and child arrangements orders
    are recorded separately, though the route on the ladder is one, "SGO / CAO"; which is
    sought, and why, is weighed against 003's table."""

    class Kind(models.TextChoices):
        SGO = "sgo", "Special guardianship order"
        CAO = "cao", "Child arrangements order"
        PLACEMENT_ORDER = "placement_order", "Placement order"
        CONSENT_S19 = "consent_s19", "Parents' consent to placement for adoption (section 19)"
        CONSENT_S20 = "consent_s20", "Parents' advance consent to adoption (section 20)"
        ADOPTION_ORDER = "adoption_order", "Adoption order"
        RETURN_HOME = "return_home", "Return home completed"
        RESIDENTIAL = "residential", "Long-term residential placement confirmed"
        PATHWAY_PLAN = "pathway_plan", "Pathway plan agreed with the young person"

    class Status(models.TextChoices):
        SOUGHT = "sought", "Sought"
        MADE = "made", "Made"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REVOKED = "revoked", "Revoked or discharged"

    class Applicant(models.TextChoices):
        """Who may apply (001 §3.4-3.5); `leave` is open to anyone with the court's leave."""

        PARENT = "parent", "A parent of the child"
        GUARDIAN = "guardian", "A guardian of the child"
        MARRIAGE = "marriage", "A party to a marriage in which the child was a child of the family"
        FOSTER_CARER_YEAR = (
            "foster_carer_year",
            "A local authority foster carer the child has lived with for a year",
        )
        LIVED_THREE_YEARS = (
            "lived_three_years",
            "Someone the child has lived with for three of the last five years",
        )
        HOLDS_ORDER = (
            "holds_order",
            "Holds a child arrangements or residence order, or has its holders' consent",
        )
        LA_CONSENT = "la_consent", "Has the local authority's consent (child in care)"
        PR_CONSENT = "pr_consent", "Has the consent of everyone with parental responsibility"
        LEAVE = "leave", "Has, or is seeking, the court's leave to apply"
        LOCAL_AUTHORITY = "local_authority", "The local authority"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="orders")
    plan = models.ForeignKey(
        Plan,
        verbose_name="plan version",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        help_text="The version of the plan in force when it was recorded.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SOUGHT)
    reasons = models.JSONField(
        "why this order",
        default=list,
        blank=True,
        help_text="The needs of the child that point to this order rather than another.",
    )
    sought_because = models.TextField("why this order is sought", blank=True)
    applicants = models.CharField("applicant or applicants", max_length=300, blank=True)
    applicant_basis = models.CharField(
        "on what footing they apply", max_length=30, choices=Applicant.choices, blank=True
    )
    household = models.ForeignKey(
        CarerHousehold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    applied_on = models.DateField("date applied for", null=True, blank=True)
    made_on = models.DateField("date made or completed", null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-made_on", "-pk"]
        verbose_name = "order or outcome"
        verbose_name_plural = "orders and outcomes"
        indexes = [models.Index(fields=["child", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    @property
    def is_made(self) -> bool:
        return self.status == self.Status.MADE and self.made_on is not None

    @property
    def is_order(self) -> bool:
        return self.kind not in (
            self.Kind.RETURN_HOME,
            self.Kind.RESIDENTIAL,
            self.Kind.PATHWAY_PLAN,
            self.Kind.CONSENT_S19,
            self.Kind.CONSENT_S20,
        )

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("applied_on", "The date applied for"),
                ("made_on", "The date made or completed"),
                ("ended_on", "The date it ended"),
            ),
        )
        if self.status == self.Status.MADE and self.made_on is None:
            errors.setdefault("made_on", "Enter the date it was made or completed")
        if self.made_on and self.applied_on and self.made_on < self.applied_on:
            errors.setdefault("made_on", "It cannot be made before it was applied for")
        if self.kind == self.Kind.SGO and self.applicant_basis == self.Applicant.PARENT:
            # 001 §3.5: the parents of a child may not become that child's special guardians.
            errors["applicant_basis"] = (
                "A parent cannot become their own child's special guardian: consider a child "
                "arrangements order, or another applicant"
            )
        if self.kind in (self.Kind.SGO, self.Kind.CAO) and _blank(self.sought_because):
            errors["sought_because"] = (
                "Enter why this order rather than the other: what the child needs, and whether "
                "the carers will share parental responsibility with the parents"
            )
        if errors:
            raise ValidationError(errors)


class SgoAssessment(models.Model):
    """The assessment of prospective special guardians, with the support plan every order
    needs: finance and support after the order (000, 001 §3.5, 003)."""

    class Recommendation(models.TextChoices):
        POSITIVE = "positive", "Positive: recommends special guardianship"
        NEGATIVE = "negative", "Negative: does not recommend it"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sgo_assessments")
    order = models.ForeignKey(
        OrderRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    household = models.ForeignKey(
        CarerHousehold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sgo_assessments",
    )
    applicants = models.CharField("prospective special guardians", max_length=300)
    assessor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sgo_assessments",
    )
    assessor_other = models.CharField(
        "assessor outside the authority",
        max_length=200,
        blank=True,
        help_text="If the assessment is done by someone who is not one of our staff.",
    )
    started_on = models.DateField("date the assessment started", null=True, blank=True)
    completed_on = models.DateField("date the assessment was completed", null=True, blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    support_plan = models.TextField("the support plan", blank=True)
    financial_support = models.TextField(
        "financial support", blank=True, help_text="Allowance, one-off payments, how reviewed."
    )
    support_after_order = models.TextField(
        "support after the order",
        blank=True,
        help_text="Who the special guardians turn to, contact support, and how to ask again.",
    )
    support_plan_agreed_on = models.DateField(
        "date the support plan was agreed", null=True, blank=True
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-started_on", "-pk"]
        verbose_name = "special guardianship assessment"

    def __str__(self) -> str:
        return f"Special guardianship assessment of {self.applicants}"

    @property
    def assessor_name(self) -> str:
        return str(self.assessor) if self.assessor_id else self.assessor_other

    @property
    def has_support_plan(self) -> bool:
        return not (
            _blank(self.support_plan)
            or _blank(self.financial_support)
            or _blank(self.support_after_order)
        )

    def clean(self) -> None:
        errors = past_date_problems(
            self,
            (
                ("started_on", "The date the assessment started"),
                ("completed_on", "The date the assessment was completed"),
                ("support_plan_agreed_on", "The date the support plan was agreed"),
            ),
        )
        if _blank(self.applicants):
            errors["applicants"] = "Enter the prospective special guardians"
        if self.assessor_id is None and _blank(self.assessor_other):
            errors["assessor"] = "Choose who is carrying out the assessment, or enter their name"
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            errors.setdefault("completed_on", "The assessment cannot end before it started")
        if self.completed_on:
            # 000: every special guardianship order has a robust support plan and support after
            # the order; 001 §3.5(b): the need for support, financial support included, assessed.
            for name, what in (
                ("support_plan", "the support plan"),
                ("financial_support", "the financial support"),
                ("support_after_order", "the support after the order"),
            ):
                if _blank(getattr(self, name)):
                    errors[name] = f"A completed assessment records {what}: enter it"
            if not self.recommendation:
                errors["recommendation"] = "Choose what the completed assessment recommends"
        if errors:
            raise ValidationError(errors)


# -- what achieving the plan needs (issue 14; 000 "Matching", 001 §3.3-3.9 and §6) ----------------


def plan_lineage(plan: Plan) -> list[int]:
    """The ids of this version of the plan and the versions before it, back to (not including)
    one that disrupted: work recorded against an earlier version still counts, but a match
    that broke down does not carry over to the plan that replaced it (000 "Disruption")."""
    ids: list[int] = []
    current: Plan | None = plan
    while current is not None:
        if current.pk != plan.pk and current.disrupted_on is not None:
            break
        ids.append(current.pk)
        current = current.previous
    return ids


def _approved_matches(plan: Plan):
    return PotentialMatch.objects.filter(
        plan_id__in=plan_lineage(plan),
        decision=PotentialMatch.Decision.APPROVED,
        decided_on__isnull=False,
    ).select_related("carer")


def _orders_made(plan: Plan, kinds) -> bool:
    return OrderRecord.objects.filter(
        plan_id__in=plan_lineage(plan),
        kind__in=kinds,
        status=OrderRecord.Status.MADE,
        made_on__isnull=False,
    ).exists()


def may_place_for_adoption(child: Child) -> bool:
    """A placement order, or the parents' consent recorded, allows placing for adoption
    (001 §6: a placement order is likely to be needed unless the parents relinquish)."""
    return OrderRecord.objects.filter(
        child=child,
        kind__in=(
            OrderRecord.Kind.PLACEMENT_ORDER,
            OrderRecord.Kind.CONSENT_S19,
            OrderRecord.Kind.CONSENT_S20,
        ),
        status=OrderRecord.Status.MADE,
        made_on__isnull=False,
    ).exists()


PLACEMENT_AUTHORITY_MISSING = (
    "a placement order made, or the parents' consent to adoption recorded, so that the child "
    "may be placed for adoption"
)


def _match_missing(plan: Plan, *, hos: bool) -> list[str]:
    matches = list(_approved_matches(plan))
    if not matches:
        return [
            "a match approved by the agency decision maker, with the date of the decision"
            + (" and the head of service's ratification" if hos else "")
        ]
    if hos and not any(m.ratified_by_hos_id and m.ratified_on for m in matches):
        return ["the head of service's ratification of the approved match"]
    if not any(m.placed_on for m in matches):
        return ["the date the child was placed with the approved carers"]
    return []


def achievement_missing(plan: Plan) -> list[str]:
    """What the plan's route still needs recorded before permanence can be marked achieved,
    each as a phrase ("a special guardianship or child arrangements order made"); empty when
    the evidence is there. The one rule: `Plan.achieve` checks it, the plan page shows it."""
    from permanence.models.plans import Route

    route = plan.route
    orders_sgo_cao = (OrderRecord.Kind.SGO, OrderRecord.Kind.CAO)
    if route == Route.ADOPTION:
        missing = [] if may_place_for_adoption(plan.child) else [PLACEMENT_AUTHORITY_MISSING]
        return missing + _match_missing(plan, hos=False)
    if route == Route.LONG_TERM_FOSTERING:
        return _match_missing(plan, hos=True)
    if route == Route.SGO_CAO:
        if _orders_made(plan, orders_sgo_cao):
            return []
        return ["a special guardianship order or child arrangements order made"]
    if route == Route.CONNECTED_PERSON:
        # Most often a special guardianship order (000); or the connected carers approved as
        # the child's long-term foster carers through the fostering panel.
        if _orders_made(plan, orders_sgo_cao) or not _match_missing(plan, hos=True):
            return []
        return [
            "a special guardianship or child arrangements order made, or the connected "
            "carers' long-term match approved and ratified"
        ]
    if route == Route.RETURN_HOME:
        if _orders_made(plan, (OrderRecord.Kind.RETURN_HOME,)):
            return []
        return ["the return home recorded as completed"]
    if route == Route.RESIDENTIAL:
        if _orders_made(plan, (OrderRecord.Kind.RESIDENTIAL,)):
            return []
        return ["the long-term residential placement recorded as confirmed"]
    if route == Route.PATHWAY_PLAN:
        if _orders_made(plan, (OrderRecord.Kind.PATHWAY_PLAN,)):
            return []
        return ["the pathway plan recorded as agreed with the young person"]
    return []


def achievement_message(plan: Plan) -> str:
    missing = achievement_missing(plan)
    if not missing:
        return ""
    return "Permanence cannot be recorded as achieved until there is " + (
        missing[0] if len(missing) == 1 else "; ".join(missing[:-1]) + "; and " + missing[-1]
    )
