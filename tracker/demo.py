"""The demo authority's tracker settings: the service went live six months ago.

Children in the demo have been looked after for up to four years, and the authority only began
recording panels and care planning meetings in the service when it went live. Its administrator
has therefore set those rules' "tracked from" date to the go-live date, as a real authority
would, so the tracker does not show panels due in 2022 that nobody could have recorded.
"""

from __future__ import annotations

from permanence import dates
from tracker.models import DeadlineRule
from tracker.services import deadline_rule_update

# The events the demo authority recorded elsewhere before it went live.
RECORDED_SINCE_GO_LIVE = ("early_permanence_panel", "first_ppm", "care_planning_meeting")


def go_live(today):
    """The first day of the month six months before TODAY."""
    return dates.add_months(today, -6).replace(day=1)


def seed_tracker(context: dict) -> None:
    admin = context["users"]["admin"]
    since = go_live(context["today"])
    # Only rules never given a date: an administrator's own setting is kept.
    for rule in DeadlineRule.objects.filter(
        code__in=RECORDED_SINCE_GO_LIVE, applies_from__isnull=True
    ):
        deadline_rule_update(
            rule=rule, by=admin, reason="Demo authority: went live", applies_from=since
        )
