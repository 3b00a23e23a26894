"""manage.py onboard (issue 18): an authority set up from its teams, staff, last returns and
allocations in one command, with deadlines tracked from the day it goes live."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from permanence.models import Child, Service, Team, User
from permanence.roles import Role
from tests.tracker.ssda903_data import GOOD
from tracker.models import DeadlineRule

pytestmark = pytest.mark.django_db

STAFF = (
    "name,email,role,team\r\n"
    "Ada Admin,ada@shire.example,Administrator,\r\n"
    "Sam Worker,sam@shire.example,Social worker,North Team\r\n"
    "Iris Officer,iris@shire.example,Independent reviewing officer,\r\n"
)
ALLOCATIONS = (
    "child,social_worker,iro\r\n"
    "A1001,sam@shire.example,iris@shire.example\r\n"
    "B2002,sam@shire.example,\r\n"
)


def onboard(tmp_path, *extra, staff=STAFF, allocations=ALLOCATIONS):
    (tmp_path / "staff.csv").write_text(staff)
    (tmp_path / "allocations.csv").write_text(allocations)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "onboard",
        "--name",
        "Shire County Council",
        "--team",
        "Children in Care:North Team",
        "--team",
        "Children in Care:South Team",
        "--staff",
        str(tmp_path / "staff.csv"),
        "--returns",
        str(GOOD),
        "--allocations",
        str(tmp_path / "allocations.csv"),
        "--go-live",
        "2026-04-01",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_one_command_onboards_the_authority_and_says_what_it_did(tmp_path):
    out, err = onboard(tmp_path)

    assert err == ""
    north = Team.objects.get(name="North Team")
    assert north.service == Service.objects.get(name="Children in Care")
    sam = User.objects.get(username="sam@shire.example")
    assert (sam.first_name, sam.last_name, sam.team, sam.has_usable_password()) == (
        "Sam",
        "Worker",
        north,
        False,
    )
    assert sam.has_role(Role.SOCIAL_WORKER)
    assert User.objects.get(username="ada@shire.example").has_role(Role.ADMINISTRATOR)
    child = Child.objects.get(child_id="A1001")
    assert (child.team, child.social_worker, child.iro) == (
        north,
        sam,
        User.objects.get(username="iris@shire.example"),
    )
    assert Child.objects.get(child_id="B2002").social_worker == sam
    # Deadlines from events recorded elsewhere before go-live are tracked from go-live; the
    # reviews come in the return, so their deadlines count from them.
    live = dict(DeadlineRule.objects.values_list("code", "applies_from"))
    assert live["early_permanence_panel"] == dt.date(2026, 4, 1)
    assert live["first_review"] is None
    assert "Set AUTHORITY_NAME=“Shire County Council”" in out
    assert "Staff: 3 accounts created" in out
    assert "SSDA903 return 2025-26: 3 children imported (3 new)" in out
    assert "Allocations: 2 children given their social worker or IRO" in out
    assert "Deadlines tracked from 01/04/2026" in out


def test_running_it_again_changes_nothing(tmp_path):
    onboard(tmp_path)
    before = (User.objects.count(), Team.objects.count(), Child.history.count())

    out, _ = onboard(tmp_path)

    assert (User.objects.count(), Team.objects.count(), Child.history.count()) == before
    assert "Staff: 0 accounts created, 3 updated" in out
    assert "Allocations: 0 children given their social worker or IRO, 2 already had them" in out


def test_a_bad_row_is_named_and_the_rest_is_onboarded(tmp_path):
    staff = (
        STAFF + "Nobody,not-an-email,Social worker,North Team\r\nX Y,x@shire.example,Wizard,\r\n"
    )
    allocations = ALLOCATIONS + "C3003,ada@shire.example,\r\nZ9999,sam@shire.example,\r\n"

    with pytest.raises(CommandError, match="except the rows named above"):
        onboard(tmp_path, staff=staff, allocations=allocations)

    assert User.objects.filter(username="sam@shire.example").exists()
    assert Child.objects.get(child_id="A1001").social_worker is not None
    assert Child.objects.get(child_id="C3003").social_worker is None


def test_a_bad_row_is_reported_by_file_row_and_column(tmp_path):
    staff = STAFF + "X Y,x@shire.example,Wizard,\r\n"
    err = io.StringIO()
    (tmp_path / "staff.csv").write_text(staff)
    with pytest.raises(CommandError):
        call_command(
            "onboard",
            "--team",
            "Children in Care:North Team",
            "--staff",
            str(tmp_path / "staff.csv"),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "staff.csv, row 5, role: “Wizard” is not a role" in err.getvalue()


def test_a_dry_run_changes_nothing(tmp_path):
    out, _ = onboard(tmp_path, "--dry-run")

    assert "Dry run: nothing was changed." in out
    assert "SSDA903 return 2025-26: 3 children imported" in out
    assert not Child.objects.exists()
    assert not Team.objects.filter(name="North Team").exists()
    assert not DeadlineRule.objects.exclude(applies_from=None).exists()
