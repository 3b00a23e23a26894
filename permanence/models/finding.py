"""From a ratified plan to permanence achieved: carers, allocation, family finding, potential
matches and the orders that make permanence legal (000 "Progressing the plan",
"Identification", "Matching"; 003 "Outcomes", "Long-term fostering", "Match to IFA", "Family
finding"; 001 §3.3-3.9 and §6).

The matching meeting, the panels and the decision maker live in `forums`; they write their
outcome onto `PotentialMatch` (recommendation, decision, ratification, placement), so that
`permanence` can tell whether a plan has what it needs to be achieved without importing them.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from permanence.models.children import Child
from permanence.models.people import Service, User
from permanence.models.plans import Plan


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
    placed_on = models.DateField("date the child moved in", null=True, blank=True)
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
