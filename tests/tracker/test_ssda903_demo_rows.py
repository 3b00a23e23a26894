"""The demo authority's rows of the return's other tables (issue 18)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker.ssda903 import writer
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.tables import OC2, PREV_PERM, SW_EPISODES, CollectionYear

pytestmark = pytest.mark.django_db


def test_the_demo_export_holds_every_table_its_children_need_and_reseeding_changes_nothing():
    call_command("seed_demo", verbosity=0)
    rows = ReturnRow.history.count()

    call_command("seed_demo", verbosity=0)

    assert ReturnRow.history.count() == rows
    year = CollectionYear.containing(timezone.localdate())
    tables = writer.build_tables(year=year)
    header = {r["CHILD"] for r in tables[next(t for t in tables if t.name == "Header")]}
    for table in (OC2, PREV_PERM, SW_EPISODES):
        assert tables[table], table.name
        assert {r["CHILD"] for r in tables[table]} <= header
    # Every child in care at the year's end has a social worker episode open then.
    assert all(r["SW_DEC"] == "" for r in tables[SW_EPISODES])
