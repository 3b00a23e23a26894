"""The tracker's rule table answers for every app's timescales (see permanence.timescales).

All rules are read in one query and kept for a minute, so a list page that shows many due
dates costs nothing more; a change through `deadline_rule_update` is seen at once here and
within a minute by other processes.
"""

from __future__ import annotations

import time

from permanence.timescales import Timescale

_SECONDS = 60
_cache: dict = {"at": None, "rules": {}}


def forget() -> None:
    _cache["at"] = None


def rule_timescale(code: str) -> Timescale | None:
    """The administrator's values for rule `code`, or None if it is not in the table."""
    from tracker.models import DeadlineRule

    now = time.monotonic()
    if _cache["at"] is None or now - _cache["at"] > _SECONDS:
        _cache["rules"] = {
            c: Timescale(code=c, amount=a, unit=u, due_time=t, extension_amount=e or 0)
            for c, a, u, t, e in DeadlineRule.objects.values_list(
                "code", "amount", "unit", "due_time", "extension_amount"
            )
        }
        _cache["at"] = now
    return _cache["rules"].get(code)
