"""The child's chronology: every event and change on the record (the child, episodes, plan,
reviews, forums, meetings, alerts) in date order with who did it; the RAG from the rules beside
the Permanence Panel's (SPEC §6, §7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.services.meetings import meeting_record, meeting_schedule
from permanence.models import SiblingEvidence
from permanence.models.plans import Route
from permanence.plans.services import plan_create, plan_present
from permanence.services import child_update
from tests.factories.forums import meeting_type
from tests.factories.permanence import (
    ChildFactory,
    EpisodeFactory,
    ServiceFactory,
    SiblingGroupFactory,
    TeamFactory,
)
from tests.factories.plans import rule_out
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard.chronology import chronology

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2026, 1, 5)


@pytest.fixture
def recorded(make_child, social_worker, other_social_worker, team_manager, system, only_rules):
    """A child whose record several people changed, one after another."""
    only_rules("iro_allocated")
    child = make_child(SINCE, first_name="Ava", last_name="Stone")
    rule_out(child, Route.RETURN_HOME, by=social_worker)
    plan = plan_create(child=child, by=social_worker, route=Route.CONNECTED_PERSON)
    plan_present(plan=plan, by=team_manager, reason="Forum advice received")
    child_update(
        child=child, by=team_manager, reason="Worker changed", social_worker=other_social_worker
    )
    meeting = meeting_schedule(
        meeting_type=meeting_type("permanence-panel"),
        child=child,
        by=team_manager,
        scheduled_for=D(2026, 2, 11),
    )
    meeting_record(
        meeting=meeting,
        by=team_manager,
        held_on=D(2026, 2, 11),
        decisions="Plan reviewed",
        rag_rating="amber",
        rag_reason="Assessment running late",
    )
    services.deadlines_sweep(by=system, now=at(D(2026, 2, 12)))
    return child


def test_everything_in_date_order_with_who_did_it(recorded, social_worker, team_manager):
    entries = chronology(child=recorded)
    subjects = [e.subject for e in entries]
    # Newest first: the panel, the worker's change, the plan; the alert on the day it was raised.
    # The alert as a sentence, in the notification title's words (the registry's title).
    alert = next(e for e in entries if e.subject.startswith("Allocating an IRO is overdue (due "))
    assert alert.action == "Alert raised"
    assert (alert.who, alert.kind, alert.when) == (
        "The service (automatic)",
        "alerts",
        at(D(2026, 2, 12)),
    )
    panel = next(
        e
        for e in entries
        if e.subject == "Permanence Panel on 11 Feb 2026" and e.reason == "Decisions recorded"
    )
    assert panel.who == str(team_manager)
    assert ("RAG rating", "(blank)", "Amber") in panel.changes
    change = next(e for e in entries if e.reason == "Worker changed")
    assert change.who == str(team_manager)
    assert change.kind_label == "Child's details and episodes"
    assert any(label == "Social worker" for label, _, _ in change.changes)
    presented = next(e for e in entries if e.reason.startswith("Presented"))
    assert ("Status", "Draft", "Presented") in presented.changes
    assert presented.link.startswith("/plans/")
    drafted = next(e for e in entries if e.reason.startswith("Plan drafted"))
    assert drafted.who == str(social_worker)
    assert (
        subjects.index(panel.subject)
        < subjects.index(change.subject)
        < subjects.index(drafted.subject)
    )
    assert any(s == "Option considered and ruled out: return home" for s in subjects)
    assert any(s == f"Looked-after episode from {SINCE:%-d %b %Y}" for s in subjects)
    assert [(e.happened_on, e.when) for e in entries] == sorted(
        ((e.happened_on, e.when) for e in entries), reverse=True
    )


def test_reviews_are_in_it(recorded):
    ReviewFactory(child=recorded, period_started_on=SINCE, sequence=1, held_on=D(2026, 1, 30))
    entries = chronology(child=recorded, kinds={"reviews"})
    assert [e.subject for e in entries] == ["First review, held 30 Jan 2026"]


def test_one_kind_at_a_time(recorded):
    entries = chronology(child=recorded, kinds={"meetings"})
    assert entries and all(e.kind == "meetings" for e in entries)


def test_queries_do_not_grow_with_the_history(recorded, team_manager, social_worker):
    with CaptureQueriesContext(connection) as before:
        chronology(child=recorded)
    for n in range(10):
        child_update(child=recorded, by=team_manager, reason=f"Change {n}", last_name=f"Stone{n}")
    with CaptureQueriesContext(connection) as after:
        entries = chronology(child=recorded)
    assert len(after) == len(before)
    assert sum(1 for e in entries if e.reason.startswith("Change ")) == 10


# -- the page -----------------------------------------------------------------------------------


def test_page_shows_the_rag_side_by_side_and_the_events(client, recorded, team_manager):
    client.force_login(team_manager)
    html = client.get(f"/tracker/children/{recorded.pk}/chronology/").content.decode()
    assert "Chronology" in html and "Ava Stone" in html
    assert "From the rules" in html and "Statutory deadline overdue: IRO allocated" in html
    assert "Permanence Panel" in html and "Assessment running late" in html
    assert "Every rating the Permanence Panel has given" in html
    assert "<strong>Alert raised:</strong> Allocating an IRO is overdue (due " in html


def test_page_by_kind_and_unknown_kind_noted(client, recorded, team_manager):
    client.force_login(team_manager)
    html = client.get(f"/tracker/children/{recorded.pk}/chronology/?kind=plan").content.decode()
    assert "Plan version 1" in html and "Alert raised" not in html
    html = client.get(f"/tracker/children/{recorded.pk}/chronology/?kind=gossip").content.decode()
    assert "“gossip” is not one of the kinds of record, so everything is shown." in html
    assert "Alert raised" in html


def test_childs_page_links_to_the_chronology(client, recorded, social_worker):
    client.force_login(social_worker)
    html = client.get(recorded.get_absolute_url()).content.decode()
    assert 'id="tracker"' in html
    assert f'href="/tracker/children/{recorded.pk}/chronology/"' in html


def test_nobody_sees_the_chronology_of_a_child_they_may_not_see(client, social_worker):
    elsewhere = TeamFactory(name="Far team", service=ServiceFactory(name="Another service"))
    child = ChildFactory(team=elsewhere)
    EpisodeFactory(child=child)
    client.force_login(social_worker)
    assert client.get(f"/tracker/children/{child.pk}/chronology/").status_code == 404


def test_each_childs_chronology_is_its_own_when_read_one_after_another(
    make_child, social_worker, team_manager
):
    """The statement is compiled once and reused: the second child's chronology holds only the
    second child's records, and a group's evidence shows only for the children of that group."""
    first_group, second_group = SiblingGroupFactory(), SiblingGroupFactory()
    ava = make_child(SINCE, first_name="Ava", last_name="Stone", sibling_group=first_group)
    ben = make_child(SINCE, first_name="Ben", last_name="Hill", sibling_group=second_group)
    cal = make_child(SINCE, first_name="Cal", last_name="Brook")
    for child, name in ((ava, "Ava"), (ben, "Ben"), (cal, "Cal")):
        child_update(child=child, by=team_manager, reason=f"{name}'s change", last_name=name)
    for group, day in ((first_group, D(2026, 3, 2)), (second_group, D(2026, 3, 9))):
        SiblingEvidence.objects.create(
            group=group, noted_on=day, evidence="New report", recorded_by=social_worker
        )

    def reasons(child):
        return {e.reason for e in chronology(child=child) if e.reason.endswith("'s change")}

    def evidence(child):
        return [e.subject for e in chronology(child=child) if "New evidence" in e.subject]

    assert reasons(ava) == {"Ava's change"}
    assert reasons(ben) == {"Ben's change"}
    assert reasons(cal) == {"Cal's change"}
    assert evidence(ava) == ["New evidence on brothers and sisters living together, 2 Mar 2026"]
    assert evidence(ben) == ["New evidence on brothers and sisters living together, 9 Mar 2026"]
    assert evidence(cal) == []
