"""`manage.py seed_scale`: a synthetic authority with its deadlines, alerts and tracker rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from permanence.models import Child, Notification, Plan
from tracker.models import Alert, Deadline, TrackerRow

pytestmark = pytest.mark.django_db


def test_seed_scale_builds_children_with_their_history_swept_and_owing_no_email(capsys):
    call_command("seed_scale", "--children", "30", "--batch-size", "7")
    out = capsys.readouterr().out
    children = Child.objects.filter(child_id__startswith="BN")
    assert children.count() == 30
    # Every row is written with its "created" history record.
    assert Child.history.filter(history_type="+").count() >= 30
    assert Plan.history.count() == Plan.objects.count() > 0
    # The sweep ran over every batch: each child has its deadlines and its tracker row.
    assert TrackerRow.objects.filter(child__in=children).count() == 30
    assert Deadline.objects.values("child").distinct().count() == 30
    assert Alert.objects.exists()
    assert "30 children" in out
    # The sweep told people in the app, but a synthetic authority owes nobody an e-mail.
    assert Notification.objects.exists()
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()


def test_the_same_seed_builds_the_same_children():
    from django.db import transaction

    from permanence.services import system_user
    from tracker.dashboard import scale

    def record():
        children = Child.objects.filter(child_id__startswith="BN").order_by("child_id")
        return [
            (
                c.child_id,
                c.date_of_birth,
                c.sex,
                c.social_worker.username if c.social_worker else None,
                c.iro.username if c.iro else None,
                tuple(c.episodes.order_by("decom").values_list("decom", "dec", "place", "rec")),
                tuple(c.reviews.order_by("sequence").values_list("due_on", "held_on")),
                tuple(c.plans.order_by("version").values_list("route", "status", "ratified_on")),
            )
            for c in children
        ]

    class Again(Exception):
        pass

    by = system_user()
    with pytest.raises(Again), transaction.atomic():
        scale.seed(25, by=by, seed=5)
        first = record()
        raise Again
    scale.seed(25, by=by, seed=5)
    assert len(first) == 25
    assert record() == first
