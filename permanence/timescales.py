"""The numbers of SPEC §5 as every app reads them: one source for each timescale.

The defaults are `fixtures/timescales.json`. Once the tracker registers its rule table as the
source (from its AppConfig.ready), an administrator's change to a timescale reaches every page
that shows a due date: the review schedule, Part 1's cut-off, the disruption's carer review and
fee, the matching panel's papers. `permanence` never imports the tracker to do this.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from permanence.dates import Offset


@dataclass(frozen=True)
class Timescale:
    code: str
    amount: int
    unit: str
    due_time: dt.time | None = None
    extension_amount: int = 0

    @property
    def offset(self) -> Offset:
        return Offset(self.amount, self.unit)

    @property
    def extension(self) -> Offset:
        return Offset(self.extension_amount, self.unit)


_source: Callable[[str], Timescale | None] | None = None


def register_source(source: Callable[[str], Timescale | None]) -> None:
    """Let the app that holds the administrator's values answer for them."""
    global _source
    _source = source


@cache
def _defaults() -> dict[str, Timescale]:
    path = Path(settings.BASE_DIR) / "fixtures" / "timescales.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        row["code"]: Timescale(
            code=row["code"],
            amount=row["amount"],
            unit=row["unit"],
            due_time=dt.time.fromisoformat(row["due_time"]) if row.get("due_time") else None,
            extension_amount=row.get("extension_amount") or 0,
        )
        for row in rows
    }


def timescale(code: str) -> Timescale:
    """The timescale `code` as the administrator has set it, or its default (SPEC §5)."""
    if _source is not None:
        found = _source(code)
        if found is not None:
            return found
    return _defaults()[code]
