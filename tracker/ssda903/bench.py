"""A synthetic SSDA903 return the size of a large authority's, for the import benchmark (issue 18).

Shaped like a real one: most children looked after for several years (a run of episodes, each
continuing the one before, the last often still open), a review every six months while looked
after, codes of several lists. Nothing in it is a real child.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, CollectionYear, format_date

ETHNIC = ("WBRI", "WOTH", "MWBC", "AIND", "BAFR", "CHNE", "OOTH")
PLACES = ("U1", "U3", "U4", "U6", "K2", "R1", "P1", "A6")
CHANGES = ("CARPL", "CLOSE", "ALLEG", "STAND", "CHILD", "LAREQ", "CUSTOD", "OTHER")


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def synthetic_return(
    *, children: int, year: CollectionYear, seed: int = 903
) -> tuple[list[tuple[str, bytes]], dict[str, int]]:
    """The Header, Episodes and Reviews files of a return for `year`, and their row counts."""
    rng = random.Random(seed)  # noqa: S311 (test data, not security)
    end = year.end
    header, episodes, reviews = [], [], []
    for n in range(children):
        child = f"B{n:07d}"
        born = end - dt.timedelta(days=rng.randint(2 * 365, 17 * 365))
        header.append(
            {
                "CHILD": child,
                "SEX": rng.choice("MF"),
                "DOB": format_date(born),
                "ETHNIC": rng.choice(ETHNIC),
                "UPN": "UN1",
                "MOTHER": "",
                "MC_DOB": "",
            }
        )
        # Looked after for up to five years before the year ends.
        start = max(born + dt.timedelta(days=30), end - dt.timedelta(days=rng.randint(60, 1800)))
        first = start
        steps = rng.randint(1, 5)
        for step in range(steps):
            last = step == steps - 1
            length = rng.randint(20, 400)
            stop = start + dt.timedelta(days=length)
            closed = stop <= end and (not last or rng.random() < 0.3)
            episodes.append(
                {
                    "CHILD": child,
                    "DECOM": format_date(start),
                    "RNE": "S" if step == 0 else "P",
                    "LS": "C1" if step == 0 else "C2",
                    "CIN": "N1",
                    "PLACE": rng.choice(PLACES),
                    "PLACE_PROVIDER": "PR1",
                    "DEC": format_date(stop) if closed else "",
                    "REC": ("X1" if not last else "E13") if closed else "",
                    "REASON_PLACE_CHANGE": rng.choice(CHANGES) if closed and not last else "",
                    "HOME_POST": "SY1 1AG",
                    "PL_POST": "SY2 5AF",
                    "URN": "",
                }
            )
            if not closed:
                break
            start = stop
        last_day = min(end, start if not closed else stop)
        held = first + dt.timedelta(days=20)
        while held <= last_day:
            age = held.year - born.year - ((held.month, held.day) < (born.month, born.day))
            reviews.append(
                {
                    "CHILD": child,
                    "DOB": format_date(born),
                    "REVIEW": format_date(held),
                    "REVIEW_CODE": "PN0" if age < 4 else rng.choice(("PN1", "PN2", "PN3")),
                }
            )
            held += dt.timedelta(days=182)
    files = [
        (HEADER.filename, _csv(HEADER.columns, header)),
        (EPISODES.filename, _csv(EPISODES.columns, episodes)),
        (REVIEWS.filename, _csv(REVIEWS.columns, reviews)),
    ]
    return files, {"children": len(header), "episodes": len(episodes), "reviews": len(reviews)}
