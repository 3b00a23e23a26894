"""Demo carers and family finding (issue 14): a few households on the register, the evidence
behind each demo plan marked achieved, and family finding under way for children whose
adoption plan is in implementation. Written straight to the models with history, since the
demo is seed data; every model's own rules (clean) still hold."""

from __future__ import annotations

import datetime as dt

from permanence import dates
from permanence.history import save_with_history
from permanence.models import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    Plan,
    PotentialMatch,
    Service,
    User,
)
from permanence.models.plans import Route

H = CarerHousehold.Kind
# name, kind, agency, supervising social worker (demo username) or agency contact
HOUSEHOLDS = (
    ("Mr and Mrs Hale", H.IN_HOUSE, "", "sw2", ""),
    ("Ms Okafor", H.IN_HOUSE, "", "sw3", ""),
    ("The Brennan family", H.ADOPTERS, "", "sw3", ""),
    ("Mr Reid and Mr Shah", H.RAA_ADOPTERS, "Adoption West Midlands", "", ""),
    (
        "Mr and Mrs Doyle",
        H.IFA,
        "Brightstart Fostering",
        "",
        "Lena Marsh, lena.marsh@brightstart.invalid",
    ),
    ("Mrs Patel (grandmother)", H.CONNECTED, "", "sw2", ""),
)


def seed_carers(*, today: dt.date, service: Service, users: dict[str, User], by) -> None:
    """The carers' register of the demo authority (idempotent)."""
    if CarerHousehold.objects.exists():
        return
    for index, (name, kind, agency, worker, contact) in enumerate(HOUSEHOLDS):
        save_with_history(
            CarerHousehold(
                name=name,
                kind=kind,
                agency_name=agency,
                agency_contact=contact,
                supervising_social_worker=users.get(worker) if worker else None,
                approved_on=dates.add_months(today, -(14 + 3 * index)),
                form_f_on=dates.add_months(today, -(2 + index)),
                approved_for="Up to two children aged 0 to 10",
                contact_details="Demo address; telephone on the fostering team's file",
                service=service,
                created_by=users["cps1"],
            ),
            by=by,
            reason="Demo authority",
        )


def _household(kind: str) -> CarerHousehold:
    return CarerHousehold.objects.filter(kind=kind).order_by("pk").first()


def _days_before(on: dt.date, days: int) -> dt.date:
    return dates.add_days(on, -days)


def record_evidence(plan: Plan, *, by: User, on: dt.date) -> None:
    """What the plan's route needs before it is achieved on ON: an approved match and the
    placement, an order made, or a return home completed."""
    if plan.route in (Route.ADOPTION, Route.LONG_TERM_FOSTERING):
        adoption = plan.route == Route.ADOPTION
        if adoption:
            _order(plan, OrderRecord.Kind.PLACEMENT_ORDER, by=by, on=_days_before(on, 40))
        household = _household(H.ADOPTERS if adoption else H.IN_HOUSE)
        save_with_history(
            PotentialMatch(
                plan=plan,
                carer=household,
                considered_on=_days_before(on, 60),
                outcome=PotentialMatch.Outcome.MATCHED,
                reason="Matching meeting found the carers meet the child's long-term needs",
                existing_carers=not adoption,
                explore_sgo=not adoption,
                explore_sgo_note="" if adoption else "The carers prefer to stay foster carers",
                panel_recommendation=PotentialMatch.Recommendation.RECOMMENDED,
                panel_on=_days_before(on, 14),
                decision=PotentialMatch.Decision.APPROVED,
                decided_on=_days_before(on, 7),
                decided_by="Agency decision maker",
                ratified_by_hos=None if adoption else User.objects.get(username="hos1"),
                ratified_on=None if adoption else _days_before(on, 5),
                adoption_support_assessed_on=_days_before(on, 20) if adoption else None,
                placed_on=on,
                recorded_by=by,
            ),
            by=by,
            reason="Demo authority",
        )
        return
    kind = {
        Route.RETURN_HOME: OrderRecord.Kind.RETURN_HOME,
        Route.RESIDENTIAL: OrderRecord.Kind.RESIDENTIAL,
        Route.PATHWAY_PLAN: OrderRecord.Kind.PATHWAY_PLAN,
    }.get(plan.route, OrderRecord.Kind.SGO)
    _order(plan, kind, by=by, on=on)


def _order(plan: Plan, kind: str, *, by: User, on: dt.date) -> None:
    sgo = kind == OrderRecord.Kind.SGO
    save_with_history(
        OrderRecord(
            plan=plan,
            child=plan.child,
            kind=kind,
            status=OrderRecord.Status.MADE,
            sought_because="The carers will care for the child for life and decide day-to-day "
            "matters; the child keeps links with the family"
            if sgo
            else "",
            applicants="Mrs Patel" if sgo else "",
            applicant_basis=OrderRecord.Applicant.FOSTER_CARER_YEAR if sgo else "",
            made_on=on,
            recorded_by=by,
        ),
        by=by,
        reason="Demo authority",
    )


def start_family_finding(plan: Plan, *, users: dict[str, User], on: dt.date) -> None:
    """Family finding under way for an adoption plan in implementation: a family finder
    allocated, the internal search with the pen picture sent, and two households considered,
    one ruled out (000, 003)."""
    if plan.route != Route.ADOPTION or plan.allocations.exists():
        return
    cps = users["cps1"]
    save_with_history(
        FamilyFindingAllocation(
            plan=plan,
            kind=FamilyFindingAllocation.Kind.FAMILY_FINDER,
            worker=users.get("ff1") or users["sw3"],
            allocated_on=on,
            by=cps,
        ),
        by=cps,
        reason="Demo authority",
    )
    save_with_history(
        FamilySearch(
            plan=plan,
            scope=FamilySearch.Scope.INTERNAL,
            started_on=on,
            pen_picture_sent_on=on,
            recorded_by=cps,
        ),
        by=cps,
        reason="Demo authority",
    )
    for kind, outcome, reason in (
        (H.ADOPTERS, PotentialMatch.Outcome.PROCEEDING, "Strong match for the child's needs"),
        (
            H.RAA_ADOPTERS,
            PotentialMatch.Outcome.RULED_OUT,
            "They are approved for one child: the plan keeps the brothers together",
        ),
    ):
        save_with_history(
            PotentialMatch(
                plan=plan,
                carer=_household(kind),
                considered_on=on,
                outcome=outcome,
                reason=reason,
                recorded_by=cps,
            ),
            by=cps,
            reason="Demo authority",
        )
