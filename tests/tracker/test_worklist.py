"""Each role starts where its work is (issue 16), and the social worker's tasks page: their
plan actions (the forum's Part 2 tasks among them), meeting actions and the deadlines they own,
across all their children, soonest first, each ticked done where it is shown."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import MeetingAction
from permanence.models import PlanAction
from permanence.roles import Role
from reviews.models import Ppn1
from tests.factories.forums import ForumSessionFactory, MeetingFactory, Part2TaskFactory
from tests.factories.permanence import ChildFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanActionFactory, PlanFactory
from tests.factories.reviews import ReviewFactory
from tracker.models import Deadline, DeadlineRule

pytestmark = pytest.mark.django_db

URL = reverse("tracker:my-tasks")


def _today():
    return timezone.localdate()


def _deadline(child, owner, *, code="part1_submitted", due=None, status="due_soon"):
    return Deadline.objects.create(
        child=child,
        rule=DeadlineRule.objects.get(code=code),
        due=due or _today(),
        status=status,
        owner=owner,
        updated_at=timezone.now(),
    )


def _meeting_action(child, owner, *, what="Ask the carers about contact", days=3):
    meeting = MeetingFactory(child=child, created_by=owner)
    return MeetingAction.objects.create(
        meeting=meeting, what=what, owner=owner, due_on=_today() + dt.timedelta(days=days)
    )


@pytest.fixture
def mine(team, social_worker):
    return ChildFactory(
        team=team, social_worker=social_worker, first_name="Quillon", last_name="Tasker"
    )


@pytest.fixture
def elsewhere():
    far = TeamFactory(name="Far team")
    worker = UserFactory(team=far, role=Role.SOCIAL_WORKER)
    child = ChildFactory(team=far, social_worker=worker, first_name="Yarrow", last_name="Farside")
    return child, worker


def test_the_tasks_page_lists_each_kind_soonest_first_with_its_child_and_status(
    client, social_worker, mine
):
    plan = PlanFactory(child=mine, created_by=social_worker)
    PlanActionFactory(
        plan=plan,
        owner=social_worker,
        what="Update the chronology",
        due_on=_today() + dt.timedelta(days=9),
    )
    PlanActionFactory(
        plan=plan,
        owner=social_worker,
        what="Visit the grandmother",
        due_on=_today() - dt.timedelta(days=2),
    )
    _meeting_action(mine, social_worker, what="Ask the carers about contact", days=4)
    _deadline(mine, social_worker, due=_today() + dt.timedelta(days=1))
    client.force_login(social_worker)
    body = client.get(URL).content.decode()
    order = [
        body.index("Visit the grandmother"),
        body.index("Part 1 submitted"),
        body.index("Ask the carers about contact"),
        body.index("Update the chronology"),
    ]
    assert order == sorted(order), "not soonest first"
    assert "Quillon Tasker" in body
    assert ">Overdue<" in body and ">Due soon<" in body and ">To do<" in body
    assert "Met when Part 1 is submitted to CPS duty." in body


def test_a_part2_task_is_shown_as_the_forums_task_linked_to_its_part2(client, social_worker, mine):
    task = Part2TaskFactory(owner=social_worker, part2__booking__child=mine, what="Write the CPR")
    action = PlanActionFactory(
        plan=PlanFactory(child=mine, created_by=social_worker),
        owner=social_worker,
        what="Write the CPR",
    )
    task.plan_action_id = action.pk
    task.save()
    client.force_login(social_worker)
    body = client.get(URL).content.decode()
    assert "Forum task (Part 2)" in body
    assert reverse("forums:part2-detail", args=[task.part2.booking_id]) in body


def test_done_ticks_a_plan_action_off_and_returns_to_the_list(client, social_worker, mine):
    action = PlanActionFactory(
        plan=PlanFactory(child=mine, created_by=social_worker),
        owner=social_worker,
        what="Book the sibling assessment",
    )
    client.force_login(social_worker)
    assert "Book the sibling assessment</td>" in client.get(URL).content.decode()
    response = client.post(reverse("tracker:task-done", args=["plan-action", action.pk]))
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert "“Book the sibling assessment” is done." in page
    assert "Book the sibling assessment</td>" not in page
    action.refresh_from_db()
    assert action.done_on == _today()


def test_done_ticks_a_meeting_action_off(client, social_worker, mine):
    action = _meeting_action(mine, social_worker, what="Send the carers the minutes")
    client.force_login(social_worker)
    response = client.post(reverse("tracker:task-done", args=["meeting-action", action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == _today()


def test_done_twice_says_so_beside_the_list(client, social_worker, mine):
    action = PlanActionFactory(
        plan=PlanFactory(child=mine, created_by=social_worker), owner=social_worker
    )
    client.force_login(social_worker)
    url = reverse("tracker:task-done", args=["plan-action", action.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "This action has already been done" in page


def test_another_childs_task_is_never_listed_nor_done(client, social_worker, mine, elsewhere):
    child, worker = elsewhere
    theirs = PlanActionFactory(
        plan=PlanFactory(child=child, created_by=worker), owner=worker, what="Farside visit"
    )
    their_meeting_action = _meeting_action(child, worker, what="Farside contact")
    # A deadline still naming our worker as owner after the child moved to another team.
    _deadline(child, social_worker, code="first_ppm")
    client.force_login(social_worker)
    body = client.get(URL).content.decode()
    assert "Yarrow" not in body and "Farside" not in body
    for kind, pk in (("plan-action", theirs.pk), ("meeting-action", their_meeting_action.pk)):
        response = client.post(reverse("tracker:task-done", args=[kind, pk]))
        assert response.status_code in (403, 404)
    assert PlanAction.objects.get(pk=theirs.pk).done_on is None
    assert MeetingAction.objects.get(pk=their_meeting_action.pk).done_on is None


def test_met_deadlines_and_done_actions_are_not_listed(client, social_worker, mine):
    plan = PlanFactory(child=mine, created_by=social_worker)
    PlanActionFactory(plan=plan, owner=social_worker, what="Long since done", done_on=_today())
    _deadline(mine, social_worker, code="first_ppm", status="met")
    client.force_login(social_worker)
    body = client.get(URL).content.decode()
    assert "Long since done" not in body
    assert "First permanency planning meeting" not in body
    assert "You have nothing to do" in body


def _items(worker, team, n):
    for i in range(n):
        child = ChildFactory(team=team, social_worker=worker, last_name=f"Many{i}")
        plan = PlanFactory(child=child, created_by=worker)
        PlanActionFactory(plan=plan, owner=worker)
        _meeting_action(child, worker)
        _deadline(child, worker)


def test_the_queries_do_not_grow_with_the_items(
    client, social_worker, team, django_assert_max_num_queries
):
    client.force_login(social_worker)
    _items(social_worker, team, 2)
    client.get(URL)  # the session and permissions, cached once
    with django_assert_max_num_queries(14) as few:
        assert client.get(URL).status_code == 200
    _items(social_worker, team, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).content.decode()
    assert "Many24" in body


# -- where each role starts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("social_worker", "tracker:my-tasks"),
        ("cps_duty", "forums:home"),
        ("iro", "reviews:iro-dashboard"),
        ("team_manager", "tracker:dashboard"),
        ("head_of_service", "tracker:dashboard"),
        ("adoption_manager", "tracker:dashboard"),
        ("fostering_manager", "tracker:dashboard"),
        ("iro_manager", "tracker:iro-reviews"),
    ],
)
def test_each_role_starts_on_its_work_page(client, request, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("home"))["Location"] == reverse(url)


def test_the_chair_starts_on_the_agenda_of_their_next_forum(client, chair):
    today = _today()
    ForumSessionFactory(chair=chair, forum_date=today - dt.timedelta(days=7))
    cancelled = ForumSessionFactory(chair=chair, forum_date=today + dt.timedelta(days=3))
    cancelled.cancelled_at = timezone.now()
    cancelled.cancelled_reason = "Chair unwell"
    cancelled.save()
    nxt = ForumSessionFactory(chair=chair, forum_date=today + dt.timedelta(days=10))
    ForumSessionFactory(chair=chair, forum_date=today + dt.timedelta(days=24))
    ForumSessionFactory(forum_date=today + dt.timedelta(days=1))  # someone else's
    client.force_login(chair)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("forums:session-agenda", args=[nxt.pk])


def test_a_chair_with_no_forum_to_come_is_told_so_on_the_forum_page(client, chair):
    client.force_login(chair)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("forums:home")
    assert "You are not chairing a forum to come." in response.content.decode()


@pytest.fixture
def admin_officer(service):
    return UserFactory(username="ao", team=None, service=service, role=Role.ADMIN_OFFICER)


def _ppn1(child, *, officer, iro, manager, meeting_on=None):
    plan = PlanFactory(child=child, created_by=iro)
    review = ReviewFactory(child=child, created_by=iro)
    return Ppn1.objects.create(
        review=review,
        child=child,
        plan=plan,
        route=plan.route,
        plan_summary="Adoption.",
        family_finding=Ppn1.FamilyFinding.NONE,
        adoption_manager=manager,
        fostering_manager=manager,
        admin_officer=officer,
        completed_by=iro,
        completed_on=_today(),
        meeting_on=meeting_on,
    )


def test_the_admin_officer_starts_on_the_ppn1s_sent_to_them(
    client, admin_officer, team, iro, team_manager
):
    waiting = ChildFactory(team=team, first_name="Ottoline", last_name="Waiting")
    booked = ChildFactory(team=team, first_name="Perpetua", last_name="Booked")
    other = UserFactory(team=None, role=Role.ADMIN_OFFICER)
    not_theirs = ChildFactory(team=team, first_name="Quenby", last_name="Otherdesk")
    ppn1 = _ppn1(waiting, officer=admin_officer, iro=iro, manager=team_manager)
    _ppn1(
        booked,
        officer=admin_officer,
        iro=iro,
        manager=team_manager,
        meeting_on=_today() + dt.timedelta(days=5),
    )
    _ppn1(not_theirs, officer=other, iro=iro, manager=team_manager)
    client.force_login(admin_officer)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:ppn1-list")
    body = response.content.decode()
    to_book, booked_part = body.split(">Meetings booked</h2>")
    assert "Ottoline Waiting" in to_book and ppn1.get_absolute_url() in to_book
    assert "Perpetua Booked" in booked_part
    assert "Quenby" not in body


@pytest.mark.parametrize("role", ["social_worker", "iro", "cps_duty", "team_manager"])
def test_only_the_admin_officer_opens_the_ppn1_list(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reviews:ppn1-list")).status_code == 403


@pytest.mark.parametrize(
    "role", ["cps_duty", "chair", "iro", "head_of_service", "adoption_manager", "iro_manager"]
)
def test_nobody_without_a_team_is_told_of_their_teams_caseload(client, request, role):
    user = request.getfixturevalue(role)
    assert user.team_id is None
    client.force_login(user)
    pages = [reverse("home"), reverse("permanence:child-list"), reverse("tracker:dashboard-mine")]
    for url in pages:
        body = client.get(url, follow=True).content.decode()
        assert "Your team&#x27;s caseload" not in body and "Your team's caseload" not in body


def test_later_items_and_the_go_live_backlog_are_folded_away_below(client, social_worker, mine):
    plan = PlanFactory(child=mine, created_by=social_worker)
    PlanActionFactory(
        plan=plan,
        owner=social_worker,
        what="Plan the summer contact",
        due_on=_today() + dt.timedelta(days=60),
    )
    PlanActionFactory(
        plan=plan,
        owner=social_worker,
        what="Ring the nursery",
        due_on=_today() + dt.timedelta(days=2),
    )
    rule = DeadlineRule.objects.get(code="first_ppm")
    go_live = _today() - dt.timedelta(days=100)
    DeadlineRule.objects.filter(pk=rule.pk).update(applies_from=go_live)
    DeadlineRule.objects.exclude(pk=rule.pk).update(applies_from=None)
    _deadline(
        mine, social_worker, code="first_ppm", status="overdue", due=go_live - dt.timedelta(days=30)
    )
    client.force_login(social_worker)
    body = client.get(URL).content.decode()
    soon, rest = body.split('<details class="govuk-details" id="later">')
    later, backlog = rest.split('<details class="govuk-details" id="backlog">')
    assert "Ring the nursery" in soon
    assert "Plan the summer contact" in later
    assert "First permanency planning meeting" in backlog
    assert "Overdue since before the service went live (1)" in backlog


def test_the_forum_desk_shows_this_months_sessions_first(client, cps_duty):
    today = _today()
    ForumSessionFactory(forum_date=today, venue="Venue of this month")
    ForumSessionFactory(forum_date=today + dt.timedelta(days=40), venue="Venue of a later month")
    client.force_login(cps_duty)
    body = client.get(reverse("forums:home")).content.decode()
    this_month, other = body.split(">Other sessions</h2>")
    assert ">Sessions this month</h2>" in this_month and "Venue of this month" in this_month
    assert "Venue of a later month" in other
