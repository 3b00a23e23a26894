"""The demo authority's rows of the return's other tables (issue 18).

A real authority's other tables (health checks in OC2, the decision to place for adoption, the
previous permanence order, its social worker episodes) come from its own case system, in the
returns it imports. The demo authority has none to import, so this makes, for this collection
year and the last, the rows its case system would have given for its children, from their
episodes: enough for the export of every table to pass the DfE's rules (`make validate-903`).
Nothing here is a real child's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from permanence.history import save_with_history
from permanence.models import Child
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.tables import CollectionYear, format_date
from tracker.ssda903.writer import episodes_in_year

REASON = "Demo authority: its case system's rows of the return"
ADOPTION_PLACES = frozenset({"A3", "A4", "A5", "A6"})
ADOPTED = frozenset({"E11", "E12"})
# The DfE collects social worker episodes from 2023-24.
FIRST_SW_YEAR = 2024


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _period_start(episodes) -> dt.date:
    """The day the child's current run of episodes began."""
    start = episodes[0].decom
    for before, after in zip(episodes, episodes[1:], strict=False):
        if after.rne == "S" or before.dec != after.decom:
            start = after.decom
    return start


def rows_for_year(year: CollectionYear) -> list[tuple[Child, str, str, dict]]:
    """(child, table, key, values) for each row the demo's case system would give."""
    by_child: dict[int, list] = defaultdict(list)
    children: dict[int, Child] = {}
    for episode in episodes_in_year(year):
        by_child[episode.child_id].append(episode)
        children[episode.child_id] = episode.child
    found = []
    for pk, episodes in by_child.items():
        child = children[pk]
        born = child.date_of_birth
        last = episodes[-1]
        open_at_end = last.dec is None or last.dec > year.end
        if any(e.rne == "S" and e.decom >= year.start for e in episodes):
            found.append(
                (child, "PrevPerm", "", {"PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""})
            )
        adoption = [e for e in episodes if e.legal_status == "E1" or e.place in ADOPTION_PLACES]
        if adoption:
            ceased = not open_at_end and last.rec not in ADOPTED
            found.append(
                (
                    child,
                    "PlacedAdoption",
                    format_date(adoption[0].decom),
                    {
                        "DATE_PLACED": format_date(adoption[0].decom),
                        "DATE_PLACED_CEASED": format_date(last.dec) if ceased else "",
                        "REASON_PLACED_CEASED": "RD4" if ceased else "",
                    },
                )
            )
        since = _period_start(episodes)
        if open_at_end and since <= year.end - dt.timedelta(days=365) and born:
            age = _age(born, year.end)
            # A score from the year the child turns 4 to the year before they turn 17.
            sdq = age >= 4 and _age(born, year.start) < 17
            found.append(
                (
                    child,
                    "OC2",
                    "",
                    {
                        "SDQ_SCORE": "12" if sdq else "",
                        "SDQ_REASON": "",
                        "CONVICTED": "0" if age >= 10 else "",
                        "HEALTH_CHECK": "1" if age < 5 else "",
                        "IMMUNISATIONS": "1",
                        "TEETH_CHECK": "1",
                        "HEALTH_ASSESSMENT": "1",
                        "SUBSTANCE_MISUSE": "0",
                        "INTERVENTION_RECEIVED": "",
                        "INTERVENTION_OFFERED": "",
                    },
                )
            )
        if year.end_year >= FIRST_SW_YEAR and child.social_worker_id:
            # From the start of the year, or of the care that began in it.
            began_care = [e.decom for e in episodes if e.rne == "S" and e.decom >= year.start]
            begun = max(year.start, born or year.start, *began_care[:1])
            found.append(
                (
                    child,
                    "SWEpisodes",
                    f"{format_date(begun)}|SW{child.social_worker_id:06d}",
                    {
                        "SW_ID": f"SW{child.social_worker_id:06d}",
                        "SW_DECOM": format_date(begun),
                        "SW_DEC": "",
                        "SW_REASON": "FCONTA",
                    },
                )
            )
    return found


@transaction.atomic
def seed_return_rows(context: dict) -> None:
    """This year's and last year's rows for the demo's children (idempotent)."""
    today = context["today"]
    by = context["by"]
    current = CollectionYear.containing(today)
    for year in (current, CollectionYear(current.end_year - 1)):
        for child, table, key, values in rows_for_year(year):
            row = ReturnRow.objects.filter(
                child=child, table=table, year=year.end_year, key=key
            ).first()
            if row is None:
                row = ReturnRow(child=child, table=table, year=year.end_year, key=key)
            elif row.values == values:
                continue
            row.values = values
            save_with_history(row, by=by, reason=REASON)
