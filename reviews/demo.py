"""Demo plans, IRO allocations and reviews for the demo authority (permanence.demo).

Every record is made through the services, acting as the demo's own social workers, team
managers and IROs, so the demo obeys the same rules as real use: rungs ruled out before a plan
moves down the ladder, the checklist before ratification, reviews in the statutory rhythm.
Children whose plan is special guardianship have a second review recommending it, and the
social worker's SGO referral sent in time, late, or (for one) not yet (003).
A child that already has a plan, a review or an allocation is left alone, so loading the demo
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from permanence import dates
from permanence.demo import STAGES
from permanence.finding import demo as finding_demo
from permanence.models import Child, Plan, User
from permanence.models.plans import Route
from permanence.plans import services as plans
from permanence.plans.services import RATIFICATION_CHECKLIST, OptionInput
from permanence.selectors import looked_after_since
from reviews import review_due_dates, services
from reviews.models import IroAllocation, Ppn1, Review

ALL_TICKED = {key: True for key, _ in RATIFICATION_CHECKLIST}

WHY = {
    Route.RETURN_HOME: (
        "Parenting assessment concluded the parents cannot meet the child's needs "
        "within the child's timescales.",
        "Legal Gateway Panel",
    ),
    Route.CONNECTED_PERSON: (
        "Family network meeting held; the viability assessments of the two relatives "
        "put forward were negative.",
        "Family network meeting",
    ),
    Route.SGO_CAO: (
        "No connected carer is able to hold a special guardianship or child arrangements order.",
        "Care planning meeting",
    ),
    Route.LONG_TERM_FOSTERING: (
        "A young child who cannot return to the family needs the lifelong legal security of "
        "adoption rather than long-term fostering.",
        "Permanency forum",
    ),
}

DETAILS = {
    Route.RETURN_HOME: (
        "Rehabilitation home to mother with a support package and a child in need plan.",
        "Parenting assessment complete within 12 weeks; phased return over 6 weeks after it.",
        "Family support worker 3 sessions a week; parenting course place agreed.",
    ),
    Route.CONNECTED_PERSON: (
        "Remain with maternal grandparents as approved connected carers.",
        "Full fostering assessment to fostering panel within 16 weeks of placement.",
        "Supervising social worker allocated; kinship carer training booked.",
    ),
    Route.SGO_CAO: (
        "Special guardianship order to the connected carers, with an SGO support plan.",
        "SGO assessment to court within 12 months of the placement starting.",
        "SGO support plan and allowance agreed by the head of service.",
    ),
    Route.LONG_TERM_FOSTERING: (
        "Long-term fostering with the current carers, matched through fostering panel.",
        "Matching report to fostering panel within 3 months.",
        "Carers' supervising social worker; therapeutic support from CAMHS.",
    ),
    Route.ADOPTION: (
        "Adoption through the regional adoption agency, placement order sought.",
        "Family finding to begin on the placement order; match within 6 months.",
        "Family finder allocated at the regional adoption agency.",
    ),
    Route.RESIDENTIAL: (
        "Long-term placement in a small children's home near school and family.",
        "Placement review at 3 months.",
        "Residential placement funded; education support in place.",
    ),
    Route.PATHWAY_PLAN: (
        "Pathway plan: remain in placement, preparation for independence and staying close.",
        "Pathway plan reviewed every 6 months; personal adviser allocated at 17½.",
        "Personal adviser; leaving care grant; education and training support.",
    ),
}


@dataclass
class Scenario:
    """What the demo shows for one child: the plan's route and how far it has got."""

    route: str
    contingency: str = ""
    status: str = "draft"  # draft, presented, ratified, implementation, achieved, disrupted
    not_ratified: bool = False  # second review records what is missing and a further review
    early_permanence: bool = False
    ppn1: str = ""  # "", "sent", "booked"
    leave_overdue: bool = False  # the latest review due is not held yet
    # The second review recommends special guardianship (003); the SGO referral is then
    # "sent" in time, sent "late", or "not_sent" (the tracker shows it due or overdue).
    sgo_referral: str = ""
    hold_reviews: bool = True
    extra: dict = field(default_factory=dict)


# By stage (permanence.demo.STAGES), one scenario per child in order; None: no plan.
SCENARIOS: dict[str, list[Scenario | None]] = {
    "unborn": [Scenario(Route.ADOPTION, early_permanence=True), None, None],
    "newly looked after": [
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON),
        None,
        None,
        None,
        None,
    ],
    "section 20": [
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "ratified", ppn1="sent"),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "presented", not_ratified=True),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "presented"),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "draft", leave_overdue=True),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "presented", not_ratified=True),
    ],
    "pre-proceedings": [
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "presented"),
        Scenario(Route.RETURN_HOME, Route.CONNECTED_PERSON, "ratified", leave_overdue=True),
        Scenario(Route.RETURN_HOME, Route.ADOPTION, "draft"),
        None,
    ],
    "in proceedings": [
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "ratified", ppn1="sent"),
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "implementation", ppn1="booked"),
        Scenario(Route.SGO_CAO, Route.LONG_TERM_FOSTERING, "presented", sgo_referral="not_sent"),
        Scenario(
            Route.SGO_CAO, Route.ADOPTION, "ratified", early_permanence=True, sgo_referral="sent"
        ),
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "presented"),
        Scenario(Route.RETURN_HOME, Route.ADOPTION, "draft", early_permanence=True),
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "presented", leave_overdue=True),
    ],
    "with a connected person": [
        Scenario(Route.SGO_CAO, Route.LONG_TERM_FOSTERING, "implementation", sgo_referral="sent"),
        Scenario(Route.SGO_CAO, Route.LONG_TERM_FOSTERING, "implementation", sgo_referral="late"),
        Scenario(Route.SGO_CAO, Route.LONG_TERM_FOSTERING, "achieved", sgo_referral="sent"),
        Scenario(Route.CONNECTED_PERSON, Route.LONG_TERM_FOSTERING, "ratified"),
        Scenario(Route.CONNECTED_PERSON, Route.SGO_CAO, "ratified"),
    ],
    "long-term fostering": [
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "achieved"),
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "achieved"),
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "achieved"),
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "implementation"),
        Scenario(Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL, "disrupted"),
    ],
    "placed for adoption": [
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "achieved", early_permanence=True),
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "implementation"),
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "implementation"),
        Scenario(Route.ADOPTION, Route.LONG_TERM_FOSTERING, "implementation"),
    ],
    "16 and over": [
        Scenario(Route.PATHWAY_PLAN, "", "ratified"),
        Scenario(Route.PATHWAY_PLAN, "", "presented"),
    ],
}

SGO_SUMMARY = (
    "Care plan reviewed. The IRO recommends a plan of special guardianship to the maternal "
    "grandparents: the social worker to send the SGO referral form to the SGO team manager."
)
SGO_TEAM_MANAGER = "Karen Lewis"  # the demo's SGO team manager (not a user of the service)
PROPOSED_GUARDIANS = ["Margaret and Peter Hughes", "Susan and David Ward", "Linda and Alan Price"]

# How many newly looked-after children iro1 takes on (the rest still wait for an IRO).
NEWLY_ALLOCATED = 3


def _stage_of() -> dict[str, tuple[str, int]]:
    """DEMO child id -> (stage name, index within the stage), as permanence.demo numbers them."""
    out, number = {}, 0
    for stage in STAGES:
        for i in range(stage.count):
            number += 1
            out[f"DEMO{number:04d}"] = (stage.name, i)
    return out


def seed_plans_and_reviews(context: dict) -> None:
    """Plans at every status, IRO allocations, reviews held, due soon and overdue (SPEC §3, §5)."""
    today: dt.date = context["today"]
    users: dict[str, User] = context["users"]
    teams = list(context["teams"])
    stages = _stage_of()
    for child in context["children"]:
        stage, index = stages.get(child.child_id, ("", 0))
        scenario = (
            SCENARIOS.get(stage, [])[index] if index < len(SCENARIOS.get(stage, [])) else None
        )
        rng = random.Random(f"plans-{child.child_id}")  # noqa: S311 (synthetic demo data)
        child.refresh_from_db()
        seeding = _ChildSeed(child, scenario, today, users, teams, rng, stage, index)
        seeding.run()


class _ChildSeed:
    def __init__(self, child, scenario, today, users, teams, rng, stage, index):
        self.child: Child = child
        self.scenario: Scenario | None = scenario
        self.today = today
        self.rng = rng
        self.stage = stage
        self.index = index
        self.users = users
        team_number = teams.index(child.team) + 1 if child.team in teams else 1
        self.tm = users[f"tm{team_number}"]
        self.sw = child.social_worker or users["sw1"]
        self.since = looked_after_since(child=child)

    def run(self) -> None:
        if IroAllocation.objects.filter(child=self.child).exists():
            return  # already seeded
        if (
            Plan.objects.filter(child=self.child).exists()
            or Review.objects.filter(child=self.child).exists()
        ):
            return
        self._allocate()
        held = self._review_dates()
        plan = self._plan(held)
        self._reviews(held, plan)
        if plan is not None:
            self._progress(plan, held)

    # -- IRO ---------------------------------------------------------------------------------

    def _allocate(self) -> None:
        child = self.child
        if self.since is None:
            return
        iro = child.iro
        if iro is None and self.stage == "newly looked after" and self.index < NEWLY_ALLOCATED:
            iro = self.users["iro1"]
        if self.scenario is not None and self.scenario.leave_overdue:
            iro = self.users["iro1"]  # so that iro1's page shows overdue reviews
        if iro is None:
            return
        on = min(dates.add_working_days(self.since, self.rng.randint(1, 4)), self.today)
        services.iro_allocate(child=child, iro=iro, by=self.tm, allocated_on=on)
        child.refresh_from_db()

    # -- reviews -----------------------------------------------------------------------------

    def _review_dates(self) -> list[dt.date]:
        """Dates the reviews were held: each a few days before it was due, up to today."""
        if self.since is None or self.child.iro is None:
            return []
        if self.scenario is not None and not self.scenario.hold_reviews:
            return []
        held: list[dt.date] = []
        while True:
            due = review_due_dates.review_due(
                sequence=len(held) + 1, looked_after_since=self.since, held=held
            )
            if due >= self.today:
                break
            on = dates.add_days(due, -self.rng.randint(0, 6))
            floor = held[-1] if held else self.since
            on = max(on, dates.add_days(floor, 1))
            if on >= self.today:
                break
            held.append(on)
        if self.scenario is not None and self.scenario.leave_overdue and held:
            held.pop()  # the latest review due has not been held: overdue
        return held

    def _participation(self, on: dt.date) -> str:
        age = self.child.age_on(on)
        if age is not None and age < 4:
            return "PN0"
        return self.rng.choice(["PN1", "PN1", "PN2", "PN5", "PN6"])

    def _reviews(self, held: list[dt.date], plan: Plan | None) -> None:
        iro = self.child.iro
        sgo = self.scenario.sgo_referral if self.scenario is not None else ""
        for number, on in enumerate(held, start=1):
            recommends_sgo = bool(sgo) and number == 2
            review = services.review_record(
                child=self.child,
                by=iro,
                held_on=on,
                participation=self._participation(on),
                summary=SGO_SUMMARY
                if recommends_sgo
                else "Care plan reviewed; recommendations agreed with the social worker.",
                recommends_sgo=recommends_sgo,
            )
            ratified = number == 2 and plan is not None and self._ratify_at_second(review, plan)
            if recommends_sgo and sgo != "not_sent":
                self._sgo_referral(review, late=sgo == "late")
            if ratified == "further":
                return  # the further review is booked and still to come
        if iro is not None and self.since is not None and held:
            self._book_next()

    def _sgo_referral(self, review: Review, *, late: bool) -> None:
        """The social worker sends the SGO referral form: in time, or a week or two late."""
        days = self.rng.randint(7, 12) if late else self.rng.randint(1, 4)
        sent_on = min(dates.add_working_days(review.held_on, days), self.today)
        services.sgo_referral_record(
            review=review,
            by=self.child.social_worker or self.tm,
            sent_on=sent_on,
            sent_to=SGO_TEAM_MANAGER,
            proposed_guardians=self.rng.choice(PROPOSED_GUARDIANS),
            relationship="Maternal grandparents, the child's connected carers",
            summary="The child is settled with the grandparents, who want to care for the child "
            "until adulthood. Viability assessment positive; contact with the parents "
            "supervised by the grandparents.",
        )

    def _book_next(self) -> None:
        """Book the next review for some children so the IRO's page shows bookings."""
        upcoming = review_due_dates.review_due(
            sequence=len(self._held()) + 1, looked_after_since=self.since, held=self._held()
        )
        if upcoming < self.today or self.rng.random() < 0.5:
            return
        planned = max(self.today, dates.add_days(upcoming, -self.rng.randint(1, 10)))
        services.review_book(child=self.child, by=self.child.iro, planned_on=planned)

    def _held(self) -> list[dt.date]:
        return list(
            Review.objects.filter(child=self.child, held_on__isnull=False)
            .order_by("sequence")
            .values_list("held_on", flat=True)
        )

    def _ratify_at_second(self, review: Review, plan: Plan) -> str:
        scenario = self.scenario
        # Re-read rather than refresh_from_db, which unprotects the state fields while it runs.
        plan = Plan.objects.get(pk=plan.pk)
        if plan.status != Plan.Status.PRESENTED:
            return ""
        if scenario.status == "presented" and not scenario.not_ratified:
            return ""
        further_on = dates.add_days(self.today, 21)
        latest = review_due_dates.review_due(
            sequence=3, looked_after_since=self.since, held=[self._held()[0], review.held_on]
        )
        if scenario.not_ratified and further_on <= latest:
            ticks = dict(ALL_TICKED, resources_available=False)
            services.review_ratification_record(
                review=review,
                by=self.child.iro,
                ratify=False,
                checklist=ticks,
                missing="The parenting assessment is not complete, so the resources for a "
                "return home cannot be agreed yet.",
                further_review_on=further_on,
            )
            return "further"
        if scenario.not_ratified:
            return ""
        services.review_ratification_record(
            review=review, by=self.child.iro, ratify=True, checklist=ALL_TICKED
        )
        if scenario.ppn1:
            self._ppn1(review)
        return "ratified"

    def _ppn1(self, review: Review) -> None:
        ppn1 = services.ppn1_complete(
            review=review,
            by=self.child.iro,
            adoption_manager=self.users["tm2"],
            fostering_manager=self.users["tm1"],
            admin_officer=self.users["ao1"],
            plan_summary="The plan agreed at the second review, with its contingency.",
            family_finding=Ppn1.FamilyFinding.BOTH
            if self.scenario.route == Route.ADOPTION
            else Ppn1.FamilyFinding.NONE,
            recommendations="Agree the family finding and assessment actions and who does each.",
        )
        if self.scenario.ppn1 == "booked":
            services.ppn1_meeting_book(
                ppn1=ppn1, by=self.tm, meeting_on=dates.add_days(self.today, 12)
            )

    # -- the plan ----------------------------------------------------------------------------

    def _plan(self, held: list[dt.date]) -> Plan | None:
        scenario = self.scenario
        if scenario is None:
            return None
        child, sw, rng = self.child, self.sw, self.rng
        start = self.since or dates.add_days(self.today, -rng.randint(5, 20))
        options = []
        for rung in plans.rungs_above(scenario.route):
            why, who = WHY.get(
                rung, ("Considered and ruled out at the care planning meeting.", "Care planning")
            )
            considered = min(dates.add_days(start, rng.randint(5, 40)), self.today)
            options.append(OptionInput(rung, considered, why, who))
        summary, timescales, resources = DETAILS[scenario.route]
        next_due = dates.add_months(held[-1], 6) if held else dates.add_days(self.today, 60)
        plan = plans.plan_create(
            child=child,
            by=sw,
            route=scenario.route,
            contingency_route=scenario.contingency,
            reason="Plan drafted after the care planning meeting",
            options=options,
            early_permanence=scenario.early_permanence,
            summary=summary,
            timescales=timescales,
            resources=resources,
            plan_review_on=max(next_due, dates.add_days(self.today, 14)),
            child_views="Wants to keep seeing brothers and sisters and stay at the same school.",
            parents_views="Mother wants the child home; father agrees with the plan.",
            others_views="Grandmother supports the plan and wants regular contact.",
        )
        self._actions(plan)
        if scenario.status != "draft":
            if len(held) >= 2:
                presented = max(dates.add_days(held[1], -rng.randint(7, 20)), held[0])
            else:
                presented = max(dates.add_days(self.today, -rng.randint(1, 15)), start)
            plans.plan_present(
                plan=plan,
                by=sw,
                reason="Advice received from the permanency forum",
                on=min(presented, self.today),
            )
        return plan

    def _actions(self, plan: Plan) -> None:
        cps = self.users["cps1"]
        rows = [
            ("Complete the Child Permanence Report", self.sw, 10, False),
            ("Arrange a family network meeting", self.sw, -20, True),
            ("Present the plan to the permanence panel", self.tm, 25, False),
        ]
        if plan.route == Route.ADOPTION:
            rows.append(("Notify the regional adoption agency (stage 1)", cps, -3, False))
        for what, owner, days, done in rows:
            action = plans.plan_action_add(
                plan=plan,
                by=self.sw,
                what=what,
                owner=owner,
                due_on=dates.add_days(self.today, days),
                source="Care planning meeting",
            )
            if done:
                plans.plan_action_complete(
                    action=action, by=self.sw, done_on=dates.add_days(self.today, days - 2)
                )

    def _progress(self, plan: Plan, held: list[dt.date]) -> None:
        """Take a ratified plan on to implementation, achievement or disruption."""
        scenario = self.scenario
        plan = Plan.objects.get(pk=plan.pk)
        if plan.status == Plan.Status.PRESENTED and scenario.status in (
            "ratified",
            "implementation",
            "achieved",
            "disrupted",
        ):
            # The second review is still to come: a group manager ratified it for court.
            plans.plan_ratify(
                plan=plan,
                by=self.users["hos1"],
                reason="Final plan ratified before filing to court",
                checklist=ALL_TICKED,
            )
            plan = Plan.objects.get(pk=plan.pk)
        if plan.status != Plan.Status.RATIFIED:
            return
        ratified = plan.ratified_on
        if scenario.status in ("implementation", "achieved", "disrupted"):
            on = min(dates.add_days(ratified, 14), self.today)
            plan = plans.plan_implement(
                plan=plan, by=self.sw, reason="Family finding and assessments started", on=on
            )
            if scenario.status == "implementation":
                finding_demo.start_family_finding(plan, users=self.users, on=on)
        if scenario.status in ("achieved", "disrupted"):
            on = min(dates.add_days(ratified, 120), self.today)
            # Achieved only from evidence: the match and placement, or the order made.
            finding_demo.record_evidence(plan, by=self.sw, on=on)
            plan = plans.plan_achieve(
                plan=plan, by=self.sw, reason=_ACHIEVED.get(plan.route, "Match approved"), on=on
            )
        if scenario.status == "disrupted":
            plans.plan_disrupt(
                plan=plan,
                by=self.sw,
                reason="The long-term placement broke down; the child moved in an emergency.",
                on=dates.add_days(self.today, -6),
            )


_ACHIEVED = {
    Route.ADOPTION: "Match approved by the adoption panel; the child is placed for adoption",
    Route.LONG_TERM_FOSTERING: "Long-term match approved by the fostering panel",
    Route.SGO_CAO: "Special guardianship order made",
    Route.CONNECTED_PERSON: "Connected carers approved as long-term foster carers",
}
