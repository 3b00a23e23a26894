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
            code: Timescale(
                code=code,
                amount=amount,
                unit=unit,
                due_time=due_time,
                extension_amount=extension or 0,
                direction=direction,
                counts_start_day=counts_start_day,
                warning_days=warning_days or 0,
            )
            for (
                code,
                amount,
                unit,
                due_time,
                extension,
                direction,
                counts_start_day,
                warning_days,
            ) in (
                DeadlineRule.objects.values_list(
                    "code",
                    "amount",
                    "unit",
                    "due_time",
                    "extension_amount",
                    "direction",
                    "counts_start_day",
                    "warning_days",
                )
            )
        }
        _cache["at"] = now
    return _cache["rules"].get(code)
