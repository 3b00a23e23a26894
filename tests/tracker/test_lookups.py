"""`field__any_of` (tracker.lookups), the sweeps' way of naming a batch of children: it finds
exactly what `in` finds, through a foreign key too, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import datetime as dt

import pytest

from permanence.models import Child, Episode
from tracker.deadlines.facts import ChildScope

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds(make_child):
    children = [make_child(dt.date(2026, 1, 5)) for _ in range(4)]
    wanted = [children[0].pk, children[2].pk, None, children[2].pk]
    assert set(Child.objects.filter(pk__any_of=wanted)) == {children[0], children[2]}
    assert set(Episode.objects.filter(child_id__any_of=wanted).values_list("child", flat=True)) == {
        children[0].pk,
        children[2].pk,
    }
    assert set(Episode.objects.filter(child__pk__any_of=wanted[:1])) == set(
        Episode.objects.filter(child__pk__in=wanted[:1])
    )
    assert list(Child.objects.filter(pk__any_of=[])) == []
    assert list(Child.objects.filter(pk__any_of=[None])) == []
    assert Child.objects.exclude(pk__any_of=wanted).count() == 2
    # A sweep's batch: a tuple of keys, read as one set of integers.
    batch = ChildScope(pks=(children[1].pk, children[3].pk))
    assert set(Child.objects.filter(batch.q())) == {children[1], children[3]}
    assert set(Episode.objects.filter(batch.q("child__")).values_list("child", flat=True)) == {
        children[1].pk,
        children[3].pk,
    }


def test_keys_read_once_find_what_in_finds_in_every_query(make_child):
    from tracker.lookups import Keys

    children = [make_child(dt.date(2026, 1, 5)) for _ in range(3)]
    seen = Keys((children[0].pk, children[2].pk))
    assert set(Child.objects.filter(pk__any_of=seen)) == {children[0], children[2]}
    assert set(Episode.objects.filter(child__id__any_of=seen).values_list("child", flat=True)) == {
        children[0].pk,
        children[2].pk,
    }
    assert list(Child.objects.filter(pk__any_of=Keys())) == []
