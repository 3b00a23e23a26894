"""Writes to the child register. Every change goes through here, validated and in history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from permanence.approvals import connected_runs
from permanence.common import require
from permanence.history import save_with_history
from permanence.models import Child, ConnectedPersonApproval, Episode, Notification, User

SYSTEM_USERNAME = "system"
# Reasons for a new episode that mean the child moved placement (SSDA903 RNE).
PLACEMENT_CHANGES = frozenset({"P", "T", "B", "U"})

CHILD_FIELDS = (
    "child_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "ethnicity",
    "team",
    "social_worker",
    "iro",
    "court_stage",
    "religion",
    "first_language",
    "needs_interpreter",
    "disability",
    "health_needs",
    "told_how_to_complain_on",
    "told_about_advocacy_on",
    "proceedings_issued_on",
    "proceedings_concluded_on",
)


def system_user() -> User:
    """The account that scheduled jobs act as, so their changes are attributed in history."""
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "The service", "last_name": "(automatic)", "is_active": False},
    )
    return user


@transaction.atomic
def child_create(*, by: User, **fields) -> Child:
    """Record a child (or an unborn child, 000) in the register."""
    require(by, "permanence.add_child")
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child fields: {sorted(unknown)}")
    child = Child(**fields)
    return save_with_history(child, by=by, reason="Child recorded")


@transaction.atomic
def child_update(*, child: Child, by: User, reason: str = "", **fields) -> Child:
    """Change a child's details; the history keeps the previous values."""
    require(by, "permanence.change_child", child)
    child = Child.objects.select_for_update().get(pk=child.pk)
    for name, value in fields.items():
        if name not in CHILD_FIELDS:
            raise TypeError(f"Unknown child field: {name}")
        setattr(child, name, value)
    return save_with_history(child, by=by, reason=reason or "Details changed")


@transaction.atomic
def episode_record(
    *,
    child: Child,
    by: User,
    decom: dt.date,
    rne: str,
    legal_status: str,
    place: str,
    place_provider: str = "",
    cin: str = "",
    home_post: str = "",
    pl_post: str = "",
    urn: str = "",
    reason_place_change: str = "",
) -> Episode:
    """Record a new looked-after episode; the open one ends the same day (SSDA903 REC X1).

    When the placement changes (RNE P, T, B or U), the episode it ends needs the reason for the
    change (SSDA903 REASON_PLACE_CHANGE), as the DfE return does."""
    require(by, "permanence.add_episode", child)
    # Lock the child so two workers recording episodes at once cannot both close the same one.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    current = child.episodes.open().first()
    if rne == "S" and current is not None:
        raise ValidationError(
            {"rne": "The child is already looked after: choose the reason for this change"}
        )
    if rne != "S" and current is None:
        raise ValidationError(
            {"rne": "The child is not looked after: a new period of care starts with reason S"}
        )
    if current is not None:
        if decom <= current.decom:
            raise ValidationError(
                {
                    "decom": f"The new episode must start after the current one "
                    f"(which started on {current.decom:%d/%m/%Y})"
                }
            )
        if rne in PLACEMENT_CHANGES and not reason_place_change:
            raise ValidationError(
                {"reason_place_change": "Select the reason the placement changed"}
            )
        current.dec = decom
        current.rec = "X1"
        if rne in PLACEMENT_CHANGES:
            current.reason_place_change = reason_place_change
        save_with_history(current, by=by, reason="Ended by a new episode")
    episode = Episode(
        child=child,
        decom=decom,
        rne=rne,
        legal_status=legal_status,
        place=place,
        place_provider=place_provider,
        cin=cin,
        home_post=home_post.strip().upper(),
        pl_post=pl_post.strip().upper(),
        urn=urn.strip().upper(),
    )
    return save_with_history(episode, by=by, reason="Episode recorded")


@transaction.atomic
def episode_end(*, episode: Episode, by: User, dec: dt.date, rec: str) -> Episode:
    """The child stops being looked after: end the open episode with its reason (SSDA903 REC)."""
    require(by, "permanence.change_episode", episode.child)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.dec is not None:
        raise ValidationError({"dec": "This episode has already ended"})
    if rec == "X1":
        raise ValidationError(
            {"rec": "X1 is used when a new episode begins: record the new episode instead"}
        )
    episode.dec = dec
    episode.rec = rec
    return save_with_history(episode, by=by, reason="Left care")


@transaction.atomic
def connected_approval_start(
    *, child: Child, by: User, placed_on: dt.date, carers: str
) -> ConnectedPersonApproval:
    """The connected person the child is placed with is approved as a foster carer
    temporarily, for 16 weeks from the day of the placement (CPPCR 2010 reg 24)."""
    require(by, "permanence.add_connectedpersonapproval", child)
    Child.objects.select_for_update().filter(pk=child.pk).first()
    if placed_on <= timezone.localdate():
        # The approval is about a placement on the record: the tracker counts from its start.
        runs = connected_runs(child.episodes.all())
        if not runs:
            raise ValidationError(
                {
                    "placed_on": f"{child.first_name} has no placement with a connected person "
                    "(placement type U1, U2 or U3): record the episode first"
                }
            )
        if placed_on not in {run.start for run in runs}:
            raise ValidationError(
                {
                    "placed_on": "Enter the date the placement with the connected person "
                    f"started: {runs[-1].start:%d/%m/%Y}"
                }
            )
    if ConnectedPersonApproval.objects.filter(child=child, placed_on=placed_on).exists():
        raise ValidationError(
            {"placed_on": f"A temporary approval from {placed_on:%d/%m/%Y} is already recorded"}
        )
    approval = ConnectedPersonApproval(
        child=child, placed_on=placed_on, carers=carers.strip(), recorded_by=by
    )
    return save_with_history(approval, by=by, reason="Temporary approval recorded (reg 24)")


def _locked_approval(approval: ConnectedPersonApproval) -> ConnectedPersonApproval:
    return (
        ConnectedPersonApproval.objects.select_for_update()
        .select_related("child")
        .get(pk=approval.pk)
    )


@transaction.atomic
def connected_approval_extend(
    *,
    approval: ConnectedPersonApproval,
    by: User,
    extended_on: dt.date,
    extension_weeks: int,
    agreed_by: str,
) -> ConnectedPersonApproval:
    """The nominated officer extends a temporary approval once, by up to 8 weeks, while the
    carers' assessment is finished (CPPCR 2010 reg 25)."""
    require(by, "permanence.change_connectedpersonapproval", approval.child)
    approval = _locked_approval(approval)
    if approval.is_resolved:
        raise ValidationError(
            {
                "extended_on": "The temporary approval has already ended: the outcome was "
                f"recorded on {approval.resolved_on:%d/%m/%Y}"
            }
        )
    if approval.is_extended:
        raise ValidationError(
            {
                "extended_on": f"The temporary approval was already extended on "
                f"{approval.extended_on:%d/%m/%Y}: it can be extended only once"
            }
        )
    approval.extended_on = extended_on
    approval.extension_weeks = extension_weeks
    approval.extension_agreed_by = agreed_by.strip()
    return save_with_history(
        approval, by=by, reason=f"Temporary approval extended by {extension_weeks} weeks (reg 25)"
    )


@transaction.atomic
def connected_approval_resolve(
    *, approval: ConnectedPersonApproval, by: User, outcome: str, resolved_on: dt.date
) -> ConnectedPersonApproval:
    """How the temporary approval ended: the carers fully approved as foster carers, or not
    and the child moved on (CPPCR 2010 regs 24-25)."""
    require(by, "permanence.change_connectedpersonapproval", approval.child)
    approval = _locked_approval(approval)
    if approval.is_resolved:
        raise ValidationError(
            {
                "outcome": f"The outcome was already recorded: "
                f"{approval.get_outcome_display().lower()} on {approval.resolved_on:%d/%m/%Y}"
            }
        )
    if outcome not in ConnectedPersonApproval.Outcome.values:
        raise ValidationError({"outcome": "Select the outcome"})
    approval.outcome = outcome
    approval.resolved_on = resolved_on
    label = ConnectedPersonApproval.Outcome(outcome).label
    return save_with_history(approval, by=by, reason=f"Temporary approval ended: {label}")


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """The recipient has opened the notification."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
