"""The SPEC §5 timescale defaults shipped in fixtures/timescales.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings

TIMESCALES_FILE = Path(settings.BASE_DIR) / "fixtures" / "timescales.json"


def default_timescales(path: Path = TIMESCALES_FILE) -> list[dict]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        if row.get("due_time"):
            row["due_time"] = dt.time.fromisoformat(row["due_time"])
    return rows


def load_timescales(rule_model, path: Path = TIMESCALES_FILE) -> int:
    """Create each rule the database does not have yet; an administrator's edits are kept."""
    existing = set(rule_model.objects.values_list("code", flat=True))
    new = [rule_model(**row) for row in default_timescales(path) if row["code"] not in existing]
    rule_model.objects.bulk_create(new)
    return len(new)
