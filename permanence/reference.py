"""Reference data shipped in fixtures/: the SSDA903 code lists."""

import json
from pathlib import Path

from django.conf import settings

CODES_FILE = Path(settings.BASE_DIR) / "fixtures" / "ssda903_codes.json"


def load_codes(code_model, path: Path = CODES_FILE) -> int:
    """Create or update every code in the fixture (idempotent); returns how many it holds."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    existing = {(c.list_name, c.code): c for c in code_model.objects.all()}
    # The field arrived with the 2025-26 codes; an earlier migration's model lacks it.
    has_introduced = any(f.name == "introduced_in" for f in code_model._meta.get_fields())
    new, changed = [], []
    for row in rows:
        key = (row["list"], row["code"])
        values = {"description": row["description"][:300], "retired_from": row.get("retired_from")}
        if has_introduced:
            values["introduced_in"] = row.get("introduced_in")
        current = existing.get(key)
        if current is None:
            new.append(code_model(list_name=key[0], code=key[1], **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            changed.append(current)
    code_model.objects.bulk_create(new)
    code_model.objects.bulk_update(
        changed, ["description", "retired_from", *(["introduced_in"] if has_introduced else [])]
    )
    return len(rows)
