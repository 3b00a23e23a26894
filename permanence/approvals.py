"""A connected person's temporary approval as the child's page shows it (CPPCR 2010 regs 24-25).

A child may live with a relative or friend approved as a foster carer only temporarily, for 16
weeks from the day they are placed (reg 24), extended once by up to 8 weeks while the carers'
assessment is finished (reg 25). Here: which placement the approval is about (the start of the
run of connected-person episodes) and where it stands. The writes are in permanence.services;
the deadline the tracker stores comes from the same dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from permanence.models import Child, ConnectedPersonApproval, Episode, User
from permanence.models.children import (
    CONNECTED_PLACEMENTS,
    max_extension_weeks,
    temporary_approval_ends,
)


@dataclass(frozen=True)
class ConnectedRun:
    """An unbroken run of placements with connected people (SSDA903 PLACE U1, U2, U3)."""

    start: dt.date
    end: dt.date | None  # when the child left the connected person, None while still there
    place: str  # the placement type of its latest episode


def connected_runs(episodes: Iterable[Episode]) -> list[ConnectedRun]:
    """The child's runs of connected-person placements, oldest first; a new period of care
    (RNE S) starts a new run, as the tracker counts them."""
    runs: list[ConnectedRun] = []
    start = None
    last = None
    for episode in sorted(episodes, key=lambda e: e.decom):
        connected = episode.place in CONNECTED_PLACEMENTS
        if start is not None and (not connected or episode.rne == "S"):
            runs.append(ConnectedRun(start, last.dec, last.place))
            start = None
        if connected and start is None:
            start = episode.decom
        last = episode
    if start is not None:
        runs.append(ConnectedRun(start, last.dec, last.place))
    return runs


def latest_connected_placement(*, child: Child) -> ConnectedRun | None:
    """The run of connected-person placements the child's latest episode belongs to, if any
    (from the episodes the page has read already, when it has)."""
    episodes = sorted(child.episodes.all(), key=lambda e: e.decom)
    if not episodes or episodes[-1].place not in CONNECTED_PLACEMENTS:
        return None
    return connected_runs(episodes)[-1]


@dataclass(frozen=True)
class ApprovalSection:
    """What the child's page shows about the temporary approval, and what the user may do."""

    run: ConnectedRun
    approval: ConnectedPersonApproval | None
    ends_on: dt.date
    status: str
    tag: str
    can_start: bool
    can_change: bool

    @property
    def can_extend(self) -> bool:
        a = self.approval
        return (
            self.can_change
            and a is not None
            and not a.is_extended
            and not a.is_resolved
            and max_extension_weeks() > 0
        )

    @property
    def can_resolve(self) -> bool:
        return self.can_change and self.approval is not None and not self.approval.is_resolved


def connected_approval_section(
    *, child: Child, user: User, today: dt.date
) -> ApprovalSection | None:
    """The temporary approval of the connected person the child lives with (or last lived
    with), shown when their latest placement is with a connected person (regs 24-25)."""
    run = latest_connected_placement(child=child)
    if run is None:
        return None
    # All the child's approvals (the page has read them already): one per placement.
    approval = next((a for a in child.connected_approvals.all() if a.placed_on == run.start), None)
    if approval is None:
        ends_on = temporary_approval_ends(run.start)
        status, tag = "Not recorded", "grey"
    else:
        ends_on = approval.ends_on
        if approval.is_resolved:
            status = approval.get_outcome_display()
            tag = "green" if approval.outcome == approval.Outcome.APPROVED else "grey"
        elif approval.is_extended:
            status, tag = f"Temporary, extended by {approval.extension_weeks} weeks", "yellow"
        else:
            status, tag = "Temporary", "blue"
    unresolved = approval is None or not approval.is_resolved
    if unresolved and run.end is None and run.place == "U3" and ends_on < today:
        status, tag = f"{status}: the temporary approval has ended", "red"
    return ApprovalSection(
        run=run,
        approval=approval,
        ends_on=ends_on,
        status=status,
        tag=tag,
        can_start=approval is None
        and user.has_perm("permanence.add_connectedpersonapproval", child),
        can_change=user.has_perm("permanence.change_connectedpersonapproval", child),
    )
