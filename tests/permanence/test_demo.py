"""The demo authority: every stage present, and loading it twice changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from permanence.models import Child, ConnectedPersonApproval, Episode, User
from permanence.services import system_user
from tracker.models import Deadline
from tracker.services import deadlines_sweep

pytestmark = pytest.mark.django_db


def counts():
    return {
        "children": Child.objects.count(),
        "episodes": Episode.objects.count(),
        "users": User.objects.count(),
        "child_history": Child.history.count(),
        "episode_history": Episode.history.count(),
        "connected_approvals": ConnectedPersonApproval.history.count(),
    }


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert first["children"] >= 40


def test_demo_covers_every_stage():
    call_command("seed_demo", verbosity=0)
    assert Child.objects.filter(date_of_birth__isnull=True).exists()  # unborn
    assert Child.objects.filter(court_stage="pre_proceedings").exists()
    assert Child.objects.filter(court_stage="issued").exists()
    open_eps = Episode.objects.filter(dec__isnull=True)
    for ls in ("V2", "C1", "C2", "E1"):
        assert open_eps.filter(legal_status=ls).exists(), ls
    for place in ("U3", "U4", "A5"):
        assert open_eps.filter(place=place).exists(), place


def test_demo_users_sign_in_with_the_published_password(client):
    call_command("seed_demo", verbosity=0)
    assert client.login(username="sw1", password="demo-password")


def test_demo_is_refused_where_demo_passwords_are_not_allowed(settings):
    settings.DEMO_PASSWORDS_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="sw1").exists()


def test_demo_connected_people_are_approved_extended_or_still_temporary():
    call_command("seed_demo", verbosity=0)
    approvals = ConnectedPersonApproval.objects.all()
    approved = approvals.filter(outcome=ConnectedPersonApproval.Outcome.APPROVED)
    assert approved.count() >= 2
    assert approvals.filter(extension_weeks__isnull=False).count() == 1
    assert approvals.filter(outcome="").count() == 1  # still temporary
    deadlines_sweep(by=system_user())
    deadlines = Deadline.objects.filter(rule__code="connected_person_approval")
    met = deadlines.filter(child__connected_approvals__in=approved)
    assert met.count() == approved.count()
    assert set(met.values_list("status", flat=True)) == {Deadline.Status.MET}
