"""Writes for the disruption of a long-term placement (seed 000)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from forums import plans
from forums.models import Disruption
from forums.services.common import child_label, cps_duty_staff, path, require
from permanence.access import who_may_see
from permanence.history import save_with_history
from permanence.models import Child, User
from permanence.notifications import notify
from permanence.roles import Role
from permanence.timescales import due_date, timescale


@transaction.atomic
def disruption_record(
    *, child: Child, by: User, disrupted_on: dt.date, carer_name: str, details: str
) -> Disruption:
    """A long-term placement broke down: plan disrupted, carer review and fee 2 weeks (000)."""
    require(by, "forums.add_disruption", child)
    errors = {}
    if disrupted_on > timezone.localdate():
        errors["disrupted_on"] = "The date the child left the placement cannot be in the future"
    if not carer_name.strip():
        errors["carer_name"] = "Enter the foster carer's name"
    if not details.strip():
        errors["details"] = "Describe what happened"
    if errors:
        raise ValidationError(errors)
    disruption = Disruption(
        child=child,
        disrupted_on=disrupted_on,
        carer_name=carer_name.strip(),
        details=details.strip(),
        carer_review_due_on=due_date("urgent_foster_carer_review", disrupted_on),
        fee_paid_until=due_date("carer_fee", disrupted_on),
        recorded_by=by,
    )
    save_with_history(disruption, by=by, reason="Long-term placement disrupted")
    disruption.plan_disrupted = plans.disrupt_plan(
        child=child,
        by=by,
        reason=f"Long-term placement with {disruption.carer_name} broke down on "
        f"{disrupted_on:%-d %B %Y}",
        on=disrupted_on,
    )
    managers = child.team.members.filter(groups__name=Role.TEAM_MANAGER.label, is_active=True)
    recipients = [child.social_worker, child.iro, *managers, *cps_duty_staff()]
    # Only those who may open the child are told (CPS duty of another service is not).
    recipients = [r for r in who_may_see(recipients, child) if r.pk != by.pk]
    transaction.on_commit(
        lambda: notify(
            recipients=recipients,
            subject=f"Long-term placement disrupted for {child_label(child)}",
            body=(
                f"Urgent foster carer review due by {disruption.carer_review_due_on:%-d %B %Y}; "
                f"the carer's fee continues until {disruption.fee_paid_until:%-d %B %Y}."
            ),
            link=path("forums:disruption-detail", disruption.pk),
        )
    )
    return disruption


@transaction.atomic
def disruption_fee_extend(*, disruption: Disruption, by: User, reason: str) -> Disruption:
    """The carer's fee may be extended once, by a further 2 weeks (seed 000)."""
    require(by, "forums.change_disruption", disruption)
    disruption = Disruption.objects.select_for_update().get(pk=disruption.pk)
    if disruption.fee_was_extended:
        raise ValidationError(
            {
                "reason": "The fee has already been extended once, to "
                f"{disruption.fee_paid_until:%-d %B %Y}: it cannot be extended again"
            }
        )
    if disruption.outcome:
        raise ValidationError(
            {"reason": "The review's outcome has been recorded: the fee is settled by it"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the fee needs to continue"})
    extension = timescale("carer_fee").extension
    # Counted from the disruption as the tracker counts it, so the two dates agree.
    disruption.fee_paid_until = due_date("carer_fee", disruption.disrupted_on, extended=True)
    disruption.fee_extended_at = timezone.now()
    disruption.fee_extended_by = by
    disruption.fee_extension_reason = reason.strip()
    return save_with_history(disruption, by=by, reason=f"Carer's fee extended by {extension}")


@transaction.atomic
def disruption_outcome_record(
    *,
    disruption: Disruption,
    by: User,
    carer_review_held_on: dt.date,
    outcome: str,
    notes: str = "",
) -> Disruption:
    """The urgent carer review decides: amended terms, resignation or de-registration (000)."""
    require(by, "forums.change_disruption", disruption)
    disruption = Disruption.objects.select_for_update().get(pk=disruption.pk)
    errors = {}
    if disruption.outcome:
        raise ValidationError("The outcome of the carer review has already been recorded")
    if carer_review_held_on > timezone.localdate():
        errors["carer_review_held_on"] = "The date of the review cannot be in the future"
    elif carer_review_held_on < disruption.disrupted_on:
        errors["carer_review_held_on"] = (
            f"The review cannot be before the disruption ({disruption.disrupted_on:%-d %B %Y})"
        )
    if outcome not in Disruption.Outcome.values:
        errors["outcome"] = "Select the outcome of the foster carer review"
    if errors:
        raise ValidationError(errors)
    disruption.carer_review_held_on = carer_review_held_on
    disruption.outcome = outcome
    disruption.outcome_notes = notes.strip()
    disruption.outcome_recorded_at = timezone.now()
    if outcome != Disruption.Outcome.CONTINUES:
        # The carer will not foster on: the fee stops with the review's answer (seed 000).
        disruption.fee_paid_until = min(disruption.fee_paid_until, carer_review_held_on)
    return save_with_history(
        disruption, by=by, reason=f"Carer review: {disruption.get_outcome_display()}"
    )


# Which stored date of a disruption each timescale counts, and which disruptions still wait on
# it: a review already held, or a fee its outcome settled, keeps the date it had then (the record
# of whether it was on time).
_FOLLOWS = {
    "urgent_foster_carer_review": ("carer_review_due_on", {"carer_review_held_on": None}),
    "carer_fee": ("fee_paid_until", {"outcome": ""}),
}


@transaction.atomic
def disruptions_follow_timescale(*, code: str, by: User) -> int:
    """Disruptions still waiting on their urgent carer review or fee decision are due by
    timescale CODE's new value, as the tracker's stored deadline is (000)."""
    if code not in _FOLLOWS:
        return 0
    field, waiting = _FOLLOWS[code]
    changed = []
    for disruption in Disruption.objects.select_for_update().filter(**waiting).order_by("pk"):
        extended = field == "fee_paid_until" and disruption.fee_was_extended
        new = due_date(code, disruption.disrupted_on, extended=extended)
        # A timescale turned to count backwards would put the date before the disruption,
        # which the record refuses: such a disruption keeps its date.
        if new != getattr(disruption, field) and new >= disruption.disrupted_on:
            setattr(disruption, field, new)
            changed.append(disruption)
    bulk_update_with_history(
        changed,
        Disruption,
        [field],
        batch_size=1000,
        default_user=by,
        default_change_reason="Timescale changed",
    )
    return len(changed)
