"""Each child's family-finding stage and the days in it, for the dashboard's rows (issue 14;
seeds 000 "Progressing the plan", "Identification", "Matching"; 003 "Family finding").

The stage is the furthest the child has reached: a family finder allocated, the search under
way, a household being considered, the matching meeting, the panel, the agency decision maker's
approval, the child placed, permanence achieved. It is read live for the rows on the page (a
handful of queries a page), so the days are always today's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from forums.models import Meeting, MeetingType
from forums.models.meetings import PANEL_KINDS
from permanence.models import FamilyFindingAllocation, FamilySearch, PotentialMatch
from permanence.models.plans import Status
from tracker.lookups import Keys
from tracker.statements import rows_about

STAGES = (
    ("allocated", "Family finder allocated"),
    ("searching", "Searching for a family"),
    ("potential_match", "Potential match being considered"),
    ("matching_meeting", "Matching meeting"),
    ("panel", "At panel"),
    ("decision", "Match approved by the decision maker"),
    ("placed", "Placed with the family"),
    ("achieved", "Permanence achieved"),
)
LABELS = dict(STAGES)
ORDER = {code: n for n, (code, _) in enumerate(STAGES)}
CLOSED = (PotentialMatch.Outcome.RULED_OUT, PotentialMatch.Outcome.WITHDRAWN)


@dataclass(frozen=True)
class Stage:
    code: str
    since: dt.date
    today: dt.date

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def days(self) -> int:
        return max((self.today - self.since).days, 0)

    @property
    def position(self) -> int:
        return ORDER[self.code] + 1


def _reach(reached: dict, child_id: int, code: str, since: dt.date | None) -> None:
    """Keep the furthest stage for the child; for the same stage, the day it was first reached."""
    if since is None:
        return
    current = reached.get(child_id)
    further = current is None or ORDER[code] > ORDER[current[0]]
    if further or (current[0] == code and since < current[1]):
        reached[child_id] = (code, since)


# Family finding follows a ratified plan (000 "Progressing the plan"): rows of other plans are
# not looked up at all.
AFTER_RATIFICATION = (Status.RATIFIED, Status.IN_IMPLEMENTATION, Status.ACHIEVED, Status.DISRUPTED)


def _reached_q(ids: Keys):
    """One query: (child, stage, day) for every step any of these children has taken."""
    allocated = FamilyFindingAllocation.objects.filter(
        plan__child_id__any_of=ids, kind=FamilyFindingAllocation.Kind.FAMILY_FINDER
    ).values_list("plan__child_id", Value("allocated"), "allocated_on")
    searching = FamilySearch.objects.filter(plan__child_id__any_of=ids).values_list(
        "plan__child_id", Value("searching"), "started_on"
    )
    matches = PotentialMatch.objects.filter(plan__child_id__any_of=ids).exclude(outcome__in=CLOSED)
    considered = matches.values_list("plan__child_id", Value("potential_match"), "considered_on")
    decided = matches.filter(decision=PotentialMatch.Decision.APPROVED).values_list(
        "plan__child_id", Value("decision"), "decided_on"
    )
    placed = matches.values_list("plan__child_id", Value("placed"), "placed_on")
    meetings = (
        Meeting.objects.filter(child_id__any_of=ids, potential_match__isnull=False)
        .exclude(potential_match__outcome__in=CLOSED)
        .filter(meeting_type__kind__in=(MeetingType.Kind.MATCHING_MEETING, *PANEL_KINDS))
        .annotate(
            stage=Case(
                When(
                    meeting_type__kind=MeetingType.Kind.MATCHING_MEETING,
                    then=Value("matching_meeting"),
                ),
                default=Value("panel"),
                output_field=CharField(),
            ),
            day=TruncDate("created_at"),
        )
        .values_list("child_id", "stage", "day")
    )
    return allocated.order_by().union(
        searching.order_by(),
        considered.order_by(),
        decided.order_by(),
        placed.order_by(),
        meetings.order_by(),
        all=True,
    )


def stages_for(rows: Iterable, today: dt.date | None = None) -> dict[int, Stage]:
    """The family-finding stage of each row's child that has one (rows: the dashboard's
    `TrackerRow`s on the page). One query for the page, none when no row's plan is ratified."""
    today = today or timezone.localdate()
    rows = [row for row in rows if row.plan_status in AFTER_RATIFICATION]
    ids = Keys(row.child_id for row in rows)
    if not ids:
        return {}
    reached: dict[int, tuple[str, dt.date]] = {}
    for child_id, code, day in rows_about(_reached_q, ids):
        _reach(reached, child_id, code, day)
    for row in rows:
        if row.child_id in reached and row.plan_status == Status.ACHIEVED:
            _reach(reached, row.child_id, "achieved", row.achieved_on)
    return {child_id: Stage(code, since, today) for child_id, (code, since) in reached.items()}
