"""The return's social worker episodes (SWEpisodes, collected from 2023-24), from each child's own
allocation history (issue 18).

Who a child's social worker was, and from when, is in the child's history (simple-history keeps
every change of `Child.social_worker` with its time). Each run of one worker is an episode: it
begins the day the worker was allocated and ends the day another was (or none). A day's last
allocation is the one that counts, so a correction the same day is not an episode of its own.

Before the service held a child's allocations, the returns imported say who it was: their rows
that begin before the first allocation in the history are written as they were given, the one
still open then ended that day, or continued when the history names the same worker. A child
with no allocation in the year keeps the imported rows as given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from permanence.models import Child
from tracker.ssda903.tables import CollectionYear, format_date, parse_date

# The first collection year with social worker episodes: 2023-24.
FIRST_SW_YEAR = 2024
# The reason for a change of social worker: the service does not record one.
FIRST_CONTACT = "FCONTA"
OTHER_REASON = "OTHERS"
_BATCH = 500


@dataclass(frozen=True)
class Allocation:
    worker_id: int
    began: dt.date
    ended: dt.date | None = None


def sw_id(worker_id: int) -> str:
    """The social worker's identifier in the return: SW and the account's number."""
    return f"SW{worker_id:06d}"


def allocations(child_pks) -> dict[int, list[Allocation]]:
    """Each child's allocations, oldest first, from its history."""
    by_day: dict[int, dict[dt.date, int | None]] = defaultdict(dict)
    history = Child.history.model.objects
    pks = sorted(set(child_pks))
    for start in range(0, len(pks), _BATCH):
        part = pks[start : start + _BATCH]
        rows = (
            history.filter(id__in=part)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "history_date", "social_worker_id")
        )
        for pk, when, worker in rows:
            by_day[pk][timezone.localdate(when)] = worker
    found: dict[int, list[Allocation]] = {}
    for pk, days in by_day.items():
        runs: list[Allocation] = []
        current: int | None = None
        began: dt.date | None = None
        for day, worker in sorted(days.items()):
            if worker == current:
                continue
            if current is not None and began is not None:
                runs.append(Allocation(current, began, day))
            current, began = worker, day
        if current is not None and began is not None:
            runs.append(Allocation(current, began))
        found[pk] = runs
    return found


def _row(child: Child, worker: int, began: str, ended: dt.date | None, reason: str) -> dict:
    return {
        "CHILD": child.child_id,
        "DOB": format_date(child.date_of_birth),
        "SW_ID": sw_id(worker),
        "SW_DECOM": began,
        "SW_DEC": format_date(ended),
        "SW_REASON": reason,
    }


def _before_history(imported: list[dict], first: Allocation) -> tuple[list[dict], dict | None]:
    """The imported rows that begin before the history's first allocation (the one still open
    then ended that day), and the one it continues, if it names the same worker."""
    kept, continued = [], None
    for row in sorted(imported, key=lambda r: parse_date(r["SW_DECOM"])):
        if parse_date(row["SW_DECOM"]) >= first.began:
            continue
        ended = parse_date(row["SW_DEC"]) if row["SW_DEC"] else None
        if ended is None or ended > first.began:
            if row["SW_ID"] == sw_id(first.worker_id):
                continued = row
                continue
            row = {**row, "SW_DEC": format_date(first.began)}
        kept.append(row)
    return kept, continued


def rows_for_year(
    year: CollectionYear, children: list[Child], imported: list[dict]
) -> list[dict[str, str]]:
    """The SWEpisodes rows of the year: for each child, its allocations in the year, after the
    imported rows that come before them."""
    by_child: dict[str, list[dict]] = defaultdict(list)
    for row in imported:
        by_child[row["CHILD"]].append(row)
    runs_of = allocations(c.pk for c in children)
    found: list[dict[str, str]] = []
    done = set()
    for child in sorted(children, key=lambda c: c.child_id):
        done.add(child.child_id)
        runs = [
            run
            for run in runs_of.get(child.pk, [])
            if run.began <= year.end and (run.ended is None or run.ended > year.start)
        ]
        if not runs:
            found.extend(by_child[child.child_id])
            continue
        earlier, continued = _before_history(by_child[child.child_id], runs[0])
        found.extend(earlier)
        for number, run in enumerate(runs):
            ended = run.ended if run.ended and run.ended <= year.end else None
            if number == 0 and continued is not None:
                began, reason = continued["SW_DECOM"], continued["SW_REASON"]
            else:
                began = format_date(run.began)
                reason = FIRST_CONTACT if number == 0 and not earlier else OTHER_REASON
            found.append(_row(child, run.worker_id, began, ended, reason))
    for child_id, rows in sorted(by_child.items()):
        if child_id not in done:
            found.extend(rows)
    return found
