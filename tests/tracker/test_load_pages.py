"""The load benchmark's people and pages (`manage.py bench_load`, tracker/load.py).

Not the benchmark: a renamed URL, or a page a role may no longer open, fails here rather than
in a benchmark run minutes into a PostgreSQL build.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.urls import resolve

from permanence.roles import Role
from permanence.services import system_user
from tracker import load, services
from tracker.dashboard import scale
from tracker.management.commands.bench_load import Command

pytestmark = pytest.mark.django_db


def test_every_role_signs_in_before_any_signs_in_twice():
    roles = load.roles_for(50)
    assert len(roles) == 50
    assert set(roles[: len(Role) - 1]) == {str(r) for r in Role if r != Role.ADMINISTRATOR}
    assert roles.count(Role.SOCIAL_WORKER) > roles.count(Role.HEAD_OF_SERVICE)


def test_each_person_signs_in_and_opens_every_page_of_their_journey(client):
    by = system_user()
    scale.seed(12, by=by)
    services.deadlines_sweep(by=by)
    walkers = load.prepare(len(load.FIRST) + 3, password="a-load-password-1234")
    assert len({w.username for w in walkers}) == len(walkers)
    assert {w.role for w in walkers} == {str(r) for r in load.FIRST}
    labels = {label for w in walkers for label, _ in w.pages}
    for wanted in (
        "Tracker: page 50",
        "Measures",
        "Deadlines",
        "Child page",
        "Chronology",
        "Child page (hundreds of changes)",
        "Chronology (hundreds of changes)",
        "Forum desk",
        "Agenda",
        "IRO's reviews",
        "Children list (manager)",
    ):
        assert wanted in labels
    refused = []
    for walker in walkers:
        client.logout()
        assert client.login(username=walker.username, password="a-load-password-1234")
        for label, path in walker.pages:
            resolve(path.split("?")[0])  # a renamed URL fails here
            response = client.get(path, follow=True)
            if response.status_code != 200 or "/accounts/login/" in response.request["PATH_INFO"]:
                refused.append((walker.role, label, path, response.status_code))
    assert refused == []


def test_the_report_counts_every_error_and_names_it():
    """An error fails the benchmark: the command exits non-zero on the count this returns."""

    def row(name, count, failed, p99):
        return {
            "Name": name,
            "Request Count": str(count),
            "Failure Count": str(failed),
            "50%": "40",
            "95%": "90",
            "99%": str(p99),
            "Requests/s": "1.5",
        }

    out = StringIO()
    errors = Command(stdout=out)._report(
        [row("Measures", 10, 2, 620), row("Sign in", 5, 1, 900), row("Aggregated", 15, 3, 900)],
        [{"Occurrences": "2", "Name": "Measures", "Error": "/tracker/measures/ answered 500"}],
    )
    assert errors == 3
    text = out.getvalue()
    assert "worst page p99 620 ms (target ≤ 500 ms: NOT met); 3 errors" in text
    assert "error ×2: Measures: /tracker/measures/ answered 500" in text


def test_pages_asked_for_while_people_sign_in_are_told_apart_from_those_after():
    from tracker.management.commands.bench_load import percentile, split_at_sign_in

    timings = [
        ("Sign-in form", 100.0, 20.0),
        ("Sign in", 100.1, 700.0),
        ("Tracker: first page", 100.5, 400.0),
        ("Sign in", 101.0, 1500.0),  # the last person is in at 102.5 s
        ("Landing page", 102.0, 300.0),
        ("Landing page", 102.6, 40.0),
        ("Measures", 104.0, 60.0),
    ]

    seconds, during, after = split_at_sign_in(timings)

    assert seconds == pytest.approx(2.5)
    assert sorted(during) == [300.0, 400.0]
    assert sorted(after) == [40.0, 60.0]
    assert percentile(list(range(1, 101)), 0.99) == 99
    assert percentile([5.0], 0.5) == 5.0
