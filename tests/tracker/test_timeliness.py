"""Timeliness measures (issue 12): reviews, IRO allocation, Part 1, Legal Gateway re-reviews and
care proceedings on time, by month, team and person, each figure with the list behind it, read
from the stored deadline instances and limited to what the reader may see."""

from __future__ import annotations

import datetime as dt

import pytest

from permanence.roles import Role
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory, UserFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2025, 1, 6)  # first review due 3 February 2025
PAGE = "/tracker/measures/timeliness/"
ALL = "?period=all"


def review(child, sequence, day):
    ReviewFactory(child=child, period_started_on=SINCE, sequence=sequence, held_on=day)


@pytest.fixture
def swept(make_child, only_rules, team, other_team, social_worker, system, team_manager):
    """North: reviews on time (3 Feb) and 3 days late (6 May), the next (6 November) not held;
    South: first review 7 days late (10 Feb), the second (due 10 May) not held; and proceedings
    concluded 24 days after their 26 weeks."""
    only_rules("first_review", "second_review", "later_review", "proceedings_concluded")
    north = make_child(SINCE, child_id="NORTH0001")
    review(north, 1, D(2025, 2, 3))
    review(north, 2, D(2025, 5, 6))
    south = make_child(SINCE, child_id="S1", team=other_team)
    review(south, 1, D(2025, 2, 10))
    # Not looked after: no reviews, only the proceedings.
    court = ChildFactory(
        team=team,
        social_worker=social_worker,
        child_id="C1",
        court_stage="concluded",
        proceedings_issued_on=D(2025, 1, 8),  # 26 weeks end 8 July 2025
        proceedings_concluded_on=D(2025, 8, 1),
    )
    services.deadlines_sweep(by=system, now=at(D(2025, 12, 1)))
    return north, south, court


def test_reviews_on_time_by_month_team_and_person(client, swept, head_of_service, iro):
    client.force_login(head_of_service)
    response = client.get(PAGE + ALL)
    assert response.status_code == 200
    figures = {f.key: f for f in response.context["figures"]}
    reviews = figures["reviews"]
    # North: on time, 3 days late, not held; South: 7 days late, not held.
    assert (reviews.total.due, reviews.total.on_time, reviews.summary) == (
        5,
        1,
        "20% on time (1 of 5)",
    )
    by_month, by_team, by_person = reviews.tables
    assert by_month.rows == [
        ["February 2025", "2", "1", "1", "50%"],
        ["May 2025", "2", "0", "2", "0%"],
        ["November 2025", "1", "0", "1", "0%"],
    ]
    assert by_team.rows == [
        ["South team", "2", "0", "2", "0%"],
        ["North team", "3", "1", "2", "33%"],
    ]
    assert by_person.rows == [[iro.get_full_name(), "5", "1", "4", "20%"]]
    html = response.content.decode()
    assert "Reviews held on time" in html
    assert html.count("<svg") == html.count("<desc")
    assert "seed" not in html.lower()


def test_every_figure_agrees_with_its_list_late_and_missed_first(client, swept, head_of_service):
    client.force_login(head_of_service)
    figures = client.get(PAGE + ALL).context["figures"]
    assert [f.title for f in figures] == [
        "Reviews held on time",
        "IRO allocated within 5 working days",
        "Part 1 sent on time",
        "Legal Gateway re-reviews on time",
        "Care proceedings concluded within 26 weeks",
    ]
    for fig in figures:
        page = client.get(f"{PAGE}{fig.key}/{ALL}")
        assert page.status_code == 200
        listed = list(page.context["page"].object_list)
        assert len(listed) == fig.total.due
        on_time = [d.outcome == "on_time" for d in listed]
        assert sum(on_time) == fig.total.on_time
        # Everything not on time comes before anything on time.
        assert on_time == sorted(on_time)


def test_the_list_says_how_each_deadline_turned_out(client, swept, head_of_service):
    north, south, court = swept
    client.force_login(head_of_service)
    reviews = client.get(f"{PAGE}reviews/{ALL}")
    rows = [
        (d.child.child_id, d.due, d.timeliness_text) for d in reviews.context["page"].object_list
    ]
    assert rows == [
        ("NORTH0001", D(2025, 5, 3), "Met 3 days late"),
        ("S1", D(2025, 2, 3), "Met 7 days late"),
        ("NORTH0001", D(2025, 11, 6), "Not met yet"),
        ("S1", D(2025, 5, 10), "Not met yet"),
        ("NORTH0001", D(2025, 2, 3), "Met on time"),
    ]
    html = reviews.content.decode()
    assert "Met 3 days late" in html and "Overdue, not met yet" in html
    proceedings = client.get(f"{PAGE}proceedings/{ALL}").content.decode()
    assert "C1" in proceedings and "Met 24 days late" in proceedings


def test_the_team_chosen_narrows_figure_and_list(client, swept, head_of_service, team):
    client.force_login(head_of_service)
    query = f"?period=all&team={team.pk}"
    reviews = {f.key: f for f in client.get(PAGE + query).context["figures"]}["reviews"]
    assert (reviews.total.due, reviews.total.on_time) == (3, 1)
    listed = client.get(f"{PAGE}reviews/{query}").context["page"].object_list
    assert {d.child.child_id for d in listed} == {"NORTH0001"}


def test_a_manager_of_another_service_sees_none_of_them(client, swept):
    elsewhere = ServiceFactory(name="Another service")
    TeamFactory(name="Far team", service=elsewhere)
    manager = UserFactory(
        username="hos_far", team=None, service=elsewhere, role=Role.HEAD_OF_SERVICE
    )
    client.force_login(manager)
    figures = client.get(PAGE + ALL).context["figures"]
    assert all(f.total.due == 0 for f in figures)
    assert all(f.summary == "Nothing fell due in this period" for f in figures)
    for fig in figures:
        page = client.get(f"{PAGE}{fig.key}/{ALL}")
        assert list(page.context["page"].object_list) == []
        assert "NORTH0001" not in page.content.decode()


def test_the_measures_page_links_to_the_timeliness_page(client, swept, head_of_service):
    client.force_login(head_of_service)
    html = client.get("/tracker/measures/").content.decode()
    assert 'href="/tracker/measures/timeliness/"' in html


def test_bad_choices_get_a_note_and_an_unknown_measure_is_not_found(client, swept, head_of_service):
    client.force_login(head_of_service)
    response = client.get(f"{PAGE}reviews/?team=abc&period=forever&page=x")
    assert response.status_code == 200
    assert "Team: “abc” is not one of the choices" in response.content.decode()
    assert client.get(f"{PAGE}nonsense/").status_code == 404


def test_timeliness_is_for_managers(client, swept, social_worker):
    client.force_login(social_worker)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}reviews/").status_code == 403


@pytest.mark.parametrize("query", [ALL, "?period=all&team={team}"])
def test_each_figure_links_to_the_children_its_deadlines_belong_to(
    client, swept, head_of_service, team, query
):
    client.force_login(head_of_service)
    figures = client.get(PAGE + query.format(team=team.pk)).context["figures"]
    checked = 0
    for fig in figures:
        for count, url in (
            (fig.children, fig.children_url),
            (fig.late_children, fig.late_children_url),
        ):
            if count:
                tracker = client.get(url)
                assert tracker.context["page"].paginator.count == count, (fig.key, url)
                checked += 1
    reviews = {f.key: f for f in figures}["reviews"]
    if "team" in query:
        assert (reviews.children, reviews.late_children) == (1, 1)  # North: late and not held
    else:
        assert (reviews.children, reviews.late_children) == (2, 2)
        assert reviews.children_text == "2 children"
    assert checked >= 4
