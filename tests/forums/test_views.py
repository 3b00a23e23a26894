"""The forums pages as each role uses them, bad input on them, and who may see what (SPEC §1)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Booking, Meeting, Part1, Part2
from forums.services import CPR_TASK, TaskInput
from permanence import dates
from permanence.models.plans import Route
from permanence.navigation import nav_for
from permanence.roles import Role
from tests.factories.forums import (
    PART1_COMPLETE,
    BookingFactory,
    ForumSessionFactory,
    Part1Factory,
    meeting_type,
)
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def _date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


# -- navigation and the forum's front page ------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "expected", "absent"),
    [
        ("social_worker", {"Forums", "Meetings"}, {"Part 2 copies"}),
        ("cps_duty", {"Forums", "Meetings"}, {"Part 2 copies"}),
        ("chair", {"Forums", "Meetings"}, {"Part 2 copies"}),
        ("iro", {"Part 2 copies", "Meetings"}, {"Forums"}),
    ],
)
def test_navigation_by_role(request, role_fixture, expected, absent):
    user = request.getfixturevalue(role_fixture)
    labels = {item["label"] for item in nav_for(user, "/")}
    assert expected <= labels
    assert not absent & labels


def test_forums_and_meetings_are_not_both_marked_current(client, social_worker):
    page = signed_in(client, social_worker).get(reverse("forums:meeting-list")).content.decode()
    assert page.count('aria-current="true"') == 1


def test_cps_duty_sees_requests_late_part1s_and_slot_fill(client, cps_duty, chair, team):
    soon = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(timezone.localdate(), 1)
    )
    BookingFactory(session=soon, child=ChildFactory(team=team, first_name="Zed"))
    BookingFactory(
        session=soon,
        child=ChildFactory(team=team, first_name="Yan"),
        status=Booking.Status.CONFIRMED,
    )
    page = signed_in(client, cps_duty).get(reverse("forums:home")).content.decode()
    assert "Requests to confirm" in page and "Zed" in page
    assert "Part 1 late or missing" in page and "Missing" in page
    assert "2 of 4" in page


def test_social_worker_sees_their_bookings_and_sessions_with_space(
    client, social_worker, forum_child, session
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    page = signed_in(client, social_worker).get(reverse("forums:home")).content.decode()
    assert "Your bookings" in page and "Ava Stone" in page
    assert "Sessions with free slots" in page and "3 of 4" in page


# -- booking through the page ------------------------------------------------------------------


def test_booking_a_slot_through_the_page(client, social_worker, forum_child, session):
    response = signed_in(client, social_worker).post(
        reverse("forums:booking-create"),
        {"child": forum_child.pk, "session": session.pk, "pathway": "before_second_review"},
    )
    booking = Booking.objects.get(child=forum_child)
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()


def test_booking_a_full_session_shows_why_and_saves_nothing(
    client, social_worker, forum_child, session, team
):
    for _ in range(session.slot_count - 1):
        BookingFactory(session=session, child=ChildFactory(team=team))
    client = signed_in(client, social_worker)
    form_page = client.get(reverse("forums:booking-create")).content.decode()
    assert "1 of 4 slots free" in form_page
    BookingFactory(session=session, child=ChildFactory(team=team))  # someone else was quicker
    response = client.post(
        reverse("forums:booking-create"),
        {"child": forum_child.pk, "session": session.pk, "pathway": "before_second_review"},
    )
    assert response.status_code == 400
    assert "no longer open for booking" in response.content.decode()
    assert not forum_child.forum_bookings.exists()


def test_a_second_live_booking_shows_why(client, social_worker, forum_child, session):
    BookingFactory(session=session, child=forum_child)
    response = signed_in(client, social_worker).post(
        reverse("forums:booking-create"),
        {"child": forum_child.pk, "session": session.pk, "pathway": "before_second_review"},
    )
    assert response.status_code == 400
    assert "already booked into this session" in response.content.decode()


def test_the_exemption_is_explained_before_and_on_booking(client, social_worker, team, session):
    kin = ChildFactory(team=team, first_name="Kit")
    EpisodeFactory(child=kin, place="U1")
    client = signed_in(client, social_worker)
    page = client.get(reverse("forums:booking-create") + f"?child={kin.pk}").content.decode()
    assert "does not need a permanency forum unless that placement has broken down" in page
    response = client.post(
        reverse("forums:booking-create"),
        {"child": kin.pk, "session": session.pk, "pathway": "before_second_review"},
    )
    assert response.status_code == 400
    assert "Special Guardianship Order" in response.content.decode()
    assert not kin.forum_bookings.exists()


def test_cps_duty_confirms_from_the_booking_page(client, cps_duty, forum_child, session):
    booking = BookingFactory(session=session, child=forum_child)
    client = signed_in(client, cps_duty)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Confirm the slot" in page
    client.post(reverse("forums:booking-confirm", args=[booking.pk]))
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_declining_needs_a_reason(client, cps_duty, forum_child, session):
    booking = BookingFactory(session=session, child=forum_child)
    response = signed_in(client, cps_duty).post(
        reverse("forums:booking-decline", args=[booking.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Enter the reason for declining" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.REQUESTED


# -- Part 1 through the page --------------------------------------------------------------------


def test_saving_and_submitting_part1(client, social_worker, forum_child, session):
    booking = BookingFactory(session=session, child=forum_child, status=Booking.Status.CONFIRMED)
    client = signed_in(client, social_worker)
    url = reverse("forums:part1-edit", args=[booking.pk])
    response = client.post(url, {"reason_for_referral": "Started", "action": "save"})
    assert response.status_code == 302
    assert Part1.objects.get(booking=booking).reason_for_referral == "Started"
    response = client.post(url, {"reason_for_referral": "Started", "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Describe the child&#x27;s situation and needs" in page
    assert "Started</textarea>" in page
    response = client.post(url, {**PART1_COMPLETE, "action": "submit"})
    assert response.status_code == 302
    assert Part1.objects.get(booking=booking).submitted_at is not None


def test_a_submitted_part1_cannot_be_edited_through_the_page(
    client, social_worker, forum_child, session
):
    booking = BookingFactory(
        session=session, child=forum_child, status=Booking.Status.PART1_SUBMITTED
    )
    Part1Factory(booking=booking, submitted_at=timezone.now())
    client = signed_in(client, social_worker)
    url = reverse("forums:part1-edit", args=[booking.pk])
    assert client.get(url)["Location"] == reverse("forums:part1-detail", args=[booking.pk])
    response = client.post(url, {**PART1_COMPLETE, "reason_for_referral": "Edited"})
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    assert Part1.objects.get(booking=booking).reason_for_referral != "Edited"


# -- Part 2 through the page ---------------------------------------------------------------------


@pytest.fixture
def presented(chair, forum_child, social_worker):
    session = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    booking = BookingFactory(session=session, child=forum_child, status=Booking.Status.PRESENTED)
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=5))
    PlanFactory(child=forum_child, route=Route.ADOPTION, created_by=social_worker)
    return booking


def test_the_part2_form_offers_the_cpr_task_for_a_route_outside_the_family(
    client, chair, presented, social_worker
):
    page = signed_in(client, chair).get(reverse("forums:part2-edit", args=[presented.pk]))
    html = page.content.decode()
    assert "Task: complete the Child Permanence Report" in html
    assert f'<option value="{social_worker.pk}" selected' in html


def test_part2_without_a_task_owner_shows_why(client, chair, presented):
    response = signed_in(client, chair).post(
        reverse("forums:part2-edit", args=[presented.pk]),
        {"advice": "Adoption.", "advised_route": Route.ADOPTION, "action": "send"},
    )
    assert response.status_code == 400
    assert "Add at least one task with an owner" in response.content.decode()
    part2 = Part2.objects.get(booking=presented)
    assert part2.advice == "Adoption." and not part2.is_sent


def test_a_task_row_without_an_owner_is_named(client, chair, presented):
    due = timezone.localdate() + dt.timedelta(days=30)
    response = signed_in(client, chair).post(
        reverse("forums:part2-edit", args=[presented.pk]),
        {
            "advice": "Adoption.",
            "advised_route": Route.RETURN_HOME,
            "task_1_what": "Parenting assessment",
            **_date_fields("task_1_due_on", due),
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert "Select the owner of task 1" in response.content.decode()


def test_sending_part2_through_the_page(client, chair, presented, social_worker):
    due = timezone.localdate() + dt.timedelta(days=30)
    response = signed_in(client, chair).post(
        reverse("forums:part2-edit", args=[presented.pk]),
        {
            "advice": "Adoption.",
            "advised_route": Route.ADOPTION,
            "advised_contingency_route": Route.LONG_TERM_FOSTERING,
            "cpr_owner": social_worker.pk,
            **_date_fields("cpr_due_on", due),
            "action": "send",
        },
    )
    assert response.status_code == 302
    part2 = Part2.objects.get(booking=presented)
    assert part2.is_sent
    assert part2.tasks.get().what == CPR_TASK


def test_the_iro_sees_part2_copies_for_their_children_only(
    client, iro, presented, chair, social_worker, team
):
    services.part2_save(
        booking=presented,
        by=chair,
        advice="Adoption.",
        advised_route=Route.ADOPTION,
        tasks=[TaskInput(CPR_TASK, social_worker, timezone.localdate(), True)],
    )
    services.part2_send(booking=presented, by=chair)
    other = BookingFactory(
        session=presented.session,
        child=ChildFactory(team=team, first_name="Otto", iro=None),
        status=Booking.Status.PART2_SENT,
    )
    Part2.objects.create(booking=other, advice="x", sent_at=timezone.now())
    client = signed_in(client, iro)
    page = client.get(reverse("forums:part2-copies")).content.decode()
    assert "Ava Stone" in page and "Otto" not in page
    detail = client.get(reverse("forums:part2-detail", args=[presented.pk])).content.decode()
    assert "copied to" in detail and CPR_TASK in detail


# -- access ---------------------------------------------------------------------------------------


def test_the_chair_sees_children_booked_into_their_forums_only(
    client, chair, forum_child, session, team
):
    BookingFactory(session=session, child=forum_child)
    unbooked = ChildFactory(team=team)
    client = signed_in(client, chair)
    assert client.get(forum_child.get_absolute_url()).status_code == 200
    assert client.get(unbooked.get_absolute_url()).status_code == 404
    agenda = client.get(reverse("forums:session-agenda", args=[session.pk]))
    assert "Ava Stone" in agenda.content.decode()


def test_another_chair_cannot_see_the_session_or_the_child(client, forum_child, session):
    BookingFactory(session=session, child=forum_child)
    other = UserFactory(team=None, role=Role.FORUM_CHAIR)
    client = signed_in(client, other)
    assert client.get(reverse("forums:session-agenda", args=[session.pk])).status_code == 404
    assert client.get(forum_child.get_absolute_url()).status_code == 404


def test_cps_duty_sees_children_with_bookings(client, cps_duty, forum_child, session, team):
    BookingFactory(session=session, child=forum_child)
    client = signed_in(client, cps_duty)
    assert client.get(forum_child.get_absolute_url()).status_code == 200
    assert client.get(ChildFactory(team=team).get_absolute_url()).status_code == 404


def test_a_social_worker_of_another_team_gets_404_for_a_booking(
    client, other_social_worker, forum_child, session
):
    booking = BookingFactory(session=session, child=forum_child)
    response = signed_in(client, other_social_worker).get(booking.get_absolute_url())
    assert response.status_code == 404


def test_the_iro_may_read_but_not_confirm(client, iro, forum_child, session):
    booking = BookingFactory(session=session, child=forum_child)
    client = signed_in(client, iro)
    assert client.get(booking.get_absolute_url()).status_code == 200
    assert client.post(reverse("forums:booking-confirm", args=[booking.pk])).status_code == 403


# -- meetings and disruption through the pages ----------------------------------------------------


def test_adding_and_recording_an_early_permanence_panel(client, social_worker, forum_child):
    # The care planning and permanency planning meetings' own fields:
    # tests/forums/test_meetings_care_planning.py and test_meetings_planning.py.
    client = signed_in(client, social_worker)
    start = reverse("forums:meeting-create")
    page = client.get(start + f"?child={forum_child.pk}").content.decode()
    assert "There is a problem" not in page
    care = meeting_type("early-permanence")
    url = start + f"?child={forum_child.pk}&type={care.pk}"
    response = client.post(url, {**_date_fields("scheduled_for", timezone.localdate())})
    meeting = Meeting.objects.get(child=forum_child)
    assert response["Location"] == meeting.get_absolute_url()
    record = reverse("forums:meeting-record", args=[meeting.pk])
    response = client.post(record, {**_date_fields("held_on", timezone.localdate())})
    assert response.status_code == 400
    assert "Enter what the meeting decided" in response.content.decode()
    response = client.post(
        record,
        {
            **_date_fields("held_on", timezone.localdate()),
            "decisions": "Contingency pursued.",
            "ffa_considered": "yes",
            "action_1_what": "Book the FGC",
            "action_1_owner": social_worker.pk,
            **_date_fields("action_1_due_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.is_held and meeting.actions.get().what == "Book the FGC"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "First permanency planning meeting by" in page


def test_a_match_with_stale_papers_is_refused_on_the_page(
    client, social_worker, forum_child, media_root
):
    matching = meeting_type("matching-panel")
    panel = timezone.localdate() + dt.timedelta(days=10)
    url = reverse("forums:meeting-create") + f"?child={forum_child.pk}&type={matching.pk}"
    response = signed_in(client, social_worker).post(
        url,
        {
            **_date_fields("scheduled_for", panel),
            "match_carers": "Mr and Mrs Example",
            **_date_fields("form_f_updated_on", dates.add_months(panel, -13)),
            **_date_fields("cpr_updated_on", dates.add_months(panel, -1)),
            "matching_report": SimpleUploadedFile("report.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 400
    assert "Form F is out of date" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_matching_report_is_only_for_those_who_see_the_child(
    client, social_worker, other_social_worker, forum_child, media_root
):
    meeting = services.meeting_schedule(
        meeting_type=meeting_type("matching-panel"),
        child=forum_child,
        by=social_worker,
        scheduled_for=timezone.localdate(),
        match_carers="Mr and Mrs Example",
        form_f_updated_on=timezone.localdate(),
        cpr_updated_on=timezone.localdate(),
        matching_report=SimpleUploadedFile("report.pdf", b"%PDF-1.4 hello"),
    )
    url = reverse("forums:meeting-matching-report", args=[meeting.pk])
    response = signed_in(client, social_worker).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    assert forum_child.child_id in response["Content-Disposition"]
    client.logout()
    assert signed_in(client, other_social_worker).get(url).status_code == 404


def test_recording_a_disruption_from_the_childs_page(client, social_worker, forum_child):
    client = signed_in(client, social_worker)
    child_page = client.get(forum_child.get_absolute_url()).content.decode()
    assert "Record a placement disruption" in child_page
    response = client.post(
        reverse("forums:disruption-create") + f"?child={forum_child.pk}",
        {
            **_date_fields("disrupted_on", timezone.localdate()),
            "carer_name": "Ms Carer",
            "details": "Broke down.",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Due by" in page and "Continues until" in page


# -- query counts ---------------------------------------------------------------------------------


def _home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("forums:home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role_fixture", ["cps_duty", "social_worker", "chair"])
def test_the_forum_page_costs_the_same_however_many_bookings(
    client, request, role_fixture, chair, team, social_worker
):
    user = request.getfixturevalue(role_fixture)
    soon = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(timezone.localdate(), 1), slot_count=10
    )
    client.force_login(user)

    def add(n):
        for _ in range(n):
            child = ChildFactory(team=team, social_worker=social_worker)
            booking = BookingFactory(
                session=soon, child=child, requested_by=social_worker, status="confirmed"
            )
            Part1Factory(booking=booking)

    add(1)
    _home_queries(client)  # the first request reads the per-process caches (timescales, codes)
    few = _home_queries(client)
    add(5)
    many = _home_queries(client)
    assert many == few
