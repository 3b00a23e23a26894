"""Statements about a page's children compiled once per process (tracker/statements.py): each
page still reads its own children, never the ones the statement was first compiled for."""

import datetime as dt

import pytest
from django.db import connection

from permanence.models import Child, Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tracker.lookups import Keys
from tracker.statements import rows_about

pytestmark = pytest.mark.django_db


def _names(keys):
    return Child.objects.filter(pk__any_of=keys).values_list("pk", "first_name").order_by("pk")


def _episodes(keys):
    # Through a foreign key: Django hands the children over as a list, not the array's text.
    return Episode.objects.filter(child_id__any_of=keys).values_list("child_id", "decom")


def _everyone(keys):
    return Child.objects.values_list("pk", "first_name")


def test_each_reading_is_of_its_own_children(team):
    ann = ChildFactory(team=team, first_name="Ann")
    bo = ChildFactory(team=team, first_name="Bo")
    ChildFactory(team=team, first_name="Cy")
    assert rows_about(_names, Keys({ann.pk})) == [(ann.pk, "Ann")]
    assert rows_about(_names, Keys({bo.pk})) == [(bo.pk, "Bo")]
    assert rows_about(_names, Keys({ann.pk, bo.pk})) == [(ann.pk, "Ann"), (bo.pk, "Bo")]
    assert rows_about(_names, Keys()) == []


def test_children_asked_about_through_a_foreign_key_too(team):
    ann, bo = ChildFactory(team=team), ChildFactory(team=team)
    first = EpisodeFactory(child=ann, decom=dt.date(2026, 1, 5))
    second = EpisodeFactory(child=bo, decom=dt.date(2026, 2, 6))
    assert rows_about(_episodes, Keys({ann.pk})) == [(ann.pk, first.decom)]
    assert rows_about(_episodes, Keys({bo.pk})) == [(bo.pk, second.decom)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compiled once on PostgreSQL only")
def test_a_statement_that_does_not_ask_about_the_children_is_refused(team):
    ChildFactory(team=team)
    with pytest.raises(RuntimeError, match="lost the children"):
        rows_about(_everyone, Keys({1}))
