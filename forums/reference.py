"""Reference data shipped in fixtures/: the panel and meeting types (SPEC §4)."""

import json
from pathlib import Path

from django.conf import settings

MEETING_TYPES_FILE = Path(settings.BASE_DIR) / "fixtures" / "meeting_types.json"
FIELDS = (
    "name",
    "kind",
    "purpose",
    "cadence",
    "repeat_amount",
    "repeat_unit",
    "timescale_code",
    "next_label",
    "source",
    "position",
)


def load_meeting_types(meeting_type_model, path: Path = MEETING_TYPES_FILE) -> int:
    """Create any meeting type the fixture has and the database lacks; an administrator's later
    changes to an existing type are kept (idempotent). Returns how many the fixture holds."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    known = {field.name for field in meeting_type_model._meta.get_fields()}
    for row in rows:
        meeting_type_model.objects.get_or_create(
            code=row["code"], defaults={name: row[name] for name in FIELDS if name in known}
        )
    return len(rows)
