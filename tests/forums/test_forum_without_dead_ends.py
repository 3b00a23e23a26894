"""The permanency forum end to end without dead ends (issue 16, item 5; seed 000): the cut-off
warned of when booking, a plan asked for before the forum, Part 1 in before CPS duty confirms,
Part 1 started from the record and carrying papers held privately, the chair's agenda reading
the record, attendance and minutes, and Part 2's tasks ticked where Part 2 is read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Booking, ForumSession, Part1, Part1Attachment
from forums.services import TaskInput
from permanence import dates, timescales
from permanence.models import Child, PlanAction
from permanence.models.plans import Route
from permanence.roles import Role
from permanence.services import system_user
from tests.factories.forums import (
    PART1_COMPLETE,
    BookingFactory,
    ForumSessionFactory,
    Part1Factory,
    Part2Factory,
)
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanFactory, rule_out
from tracker.models import Deadline
from tracker.services import deadlines_refresh

pytestmark = pytest.mark.django_db

S = Booking.Status


def _in(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _pdf(name="genogram.pdf", body=b"%PDF-1.4 family tree"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _cutoff_in_words(session: ForumSession) -> str:
    return f"{timezone.localtime(session.part1_due_at):%H:%M on %A %-d %B %Y}"


# -- 1. the booking form warns of Part 1's cut-off --------------------------------------------


def _session_standing(standing: str) -> ForumSession:
    """A session still to come whose Part 1 cut-off, by the registry, has passed, is near (on a
    day still to come, so the test holds at any hour) or is still to come: the forum N working
    days ahead for the first N that gives it."""
    now = timezone.now()
    today = timezone.localdate()
    for n in range(1, 40):
        forum = dates.add_working_days(today, n)
        due, found = timescales.standing("part1_submitted", forum, now)
        if found == standing and (standing != timescales.Standing.DUE_SOON or due.on > today):
            return ForumSessionFactory(forum_date=forum, start_time=dt.time(23, 0))
    raise AssertionError(f"no forum date gives a cut-off {standing}")


def _warn_days_before_part1(days: int) -> None:
    """The administrator sets how many days before Part 1's cut-off it is "due soon"."""
    from tracker import timescale_source
    from tracker.models import DeadlineRule

    DeadlineRule.objects.filter(code="part1_submitted").update(warning_days=days)
    timescale_source.forget()


@pytest.mark.parametrize(
    ("standing", "words"),
    [
        (timescales.Standing.OVERDUE, "that cut-off has passed"),
        (timescales.Standing.DUE_SOON, "is due soon"),
        (timescales.Standing.UPCOMING, None),
    ],
)
def test_the_booking_form_warns_when_the_chosen_sessions_cut_off_has_passed_or_is_near(
    client, social_worker, forum_child, standing, words
):
    # A week's warning, so that a cut-off on a day to come is near whatever day this runs.
    _warn_days_before_part1(7)
    session = _session_standing(standing)
    url = reverse("forums:booking-create") + f"?child={forum_child.pk}&session={session.pk}"
    page = _text(_in(client, social_worker).get(url))
    # The session's own cut-off, in words, beside it among the choices.
    assert f"Part 1 due by {_cutoff_in_words(session)}" in page
    if words:
        assert words in page
        assert f"due by {_cutoff_in_words(session)}" in page
    else:
        assert 'id="cutoff-warning"' not in page


def test_a_passed_cut_off_is_one_working_day_before_today(forum_child):
    """Three working days before a forum two working days ahead is yesterday's working day."""
    forum = dates.add_working_days(timezone.localdate(), 2)
    session = ForumSessionFactory(forum_date=forum)
    assert session.part1_standing() == timescales.Standing.OVERDUE


def test_near_is_the_administrators_warning_for_the_rule_not_the_page(forum_child):
    """The warning set on the Part 1 rule decides "near" (the one registry)."""
    session = ForumSessionFactory(forum_date=dates.add_working_days(timezone.localdate(), 10))
    assert session.part1_standing() == timescales.Standing.UPCOMING
    _warn_days_before_part1(30)
    assert session.part1_standing() == timescales.Standing.DUE_SOON


def test_the_booking_page_keeps_the_cut_off_warning_until_part1_is_in(
    client, social_worker, forum_child
):
    session = _session_standing(timescales.Standing.OVERDUE)
    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    PlanFactory(child=forum_child, created_by=social_worker)
    page = _text(_in(client, social_worker).get(booking.get_absolute_url()))
    assert "that cut-off has passed" in page
    Part1Factory(booking=booking, submitted_at=timezone.now())
    page = _text(client.get(booking.get_absolute_url()))
    assert "that cut-off has passed" not in page


def test_no_page_cites_a_source_on_the_booking_form(client, social_worker, forum_child):
    page = _text(_in(client, social_worker).get(reverse("forums:booking-create")))
    assert "(seed 000)" not in page


# -- 2. a plan before the forum -----------------------------------------------------------------


def test_booking_a_child_with_no_plan_asks_for_a_draft_plan_with_a_link(
    client, social_worker, forum_child, session
):
    url = reverse("forums:booking-create") + f"?child={forum_child.pk}"
    page = _text(_in(client, social_worker).get(url))
    assert "has no permanence plan yet" in page
    assert reverse("permanence:plan-create", args=[forum_child.pk]) in page

    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    page = _text(client.get(booking.get_absolute_url()))
    assert "A permanence plan is needed before the forum" in page
    assert reverse("permanence:plan-create", args=[forum_child.pk]) in page

    PlanFactory(child=forum_child, created_by=social_worker)
    page = _text(client.get(booking.get_absolute_url()))
    assert "A permanence plan is needed before the forum" not in page


def test_cps_duty_sees_the_plan_is_needed_without_a_link_to_draft_it(
    client, cps_duty, forum_child, session
):
    booking = BookingFactory(session=session, child=forum_child)
    page = _text(_in(client, cps_duty).get(booking.get_absolute_url()))
    assert "A permanence plan is needed before the forum" in page
    assert "The social worker drafts it." in page


# -- 3. Part 1 before confirmation; its clock runs from the session ----------------------------


def test_part1_submitted_before_confirmation_meets_the_deadline_counted_from_the_forum(
    client, social_worker, cps_duty, forum_child, session
):
    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    data = {**PART1_COMPLETE, "action": "submit"}
    response = _in(client, social_worker).post(
        reverse("forums:part1-edit", args=[booking.pk]), data
    )
    assert response.status_code == 302, _text(response)
    part1 = Part1.objects.get(booking=booking)
    assert part1.is_submitted
    assert Booking.objects.get(pk=booking.pk).status == S.REQUESTED

    # The tracker's deadline counts back from the forum's date, and is met already.
    deadlines_refresh(child_ids=[forum_child.pk], by=system_user())
    row = Deadline.objects.get(child=forum_child, rule__code="part1_submitted", current=True)
    assert row.due == timescales.due_date("part1_submitted", session.forum_date)
    assert row.met_on == timezone.localdate()

    # CPS duty's reply does not restart it: confirming keeps Part 1 in.
    services.booking_confirm(booking=booking, by=cps_duty)
    assert Booking.objects.get(pk=booking.pk).status == S.PART1_SUBMITTED
    deadlines_refresh(child_ids=[forum_child.pk], by=system_user())
    row = Deadline.objects.get(child=forum_child, rule__code="part1_submitted", current=True)
    assert row.due == timescales.due_date("part1_submitted", session.forum_date)
    assert row.status == Deadline.Status.MET


# -- 4. Part 1 starts from the record ---------------------------------------------------------


def test_a_new_part1_starts_from_the_plan_placement_and_legal_status(
    client, social_worker, team, iro, session
):
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro)
    EpisodeFactory(child=child, legal_status="C2", place="U4", decom=dt.date(2026, 5, 1))
    PlanFactory(
        child=child,
        route=Route.LONG_TERM_FOSTERING,
        contingency_route=Route.ADOPTION,
        created_by=social_worker,
        summary="Stay with the current carers long term.",
    )
    rule_out(child, Route.RETURN_HOME, by=social_worker)
    booking = BookingFactory(session=session, child=child, requested_by=social_worker)
    response = _in(client, social_worker).get(reverse("forums:part1-edit", args=[booking.pk]))
    form = response.context["form"]
    assert form["proposed_route"].value() == Route.LONG_TERM_FOSTERING
    assert form["contingency_route"].value() == Route.ADOPTION
    assert "Return home: ruled out on" in form["options_considered"].value()
    assert "The parenting assessment was negative." in form["options_considered"].value()
    situation = form["child_situation"].value()
    assert "Placement: U4" in situation and "since 1 May 2026" in situation
    assert "Legal status: C2" in situation
    assert "Stay with the current carers long term." in _text(response)

    # Editable: the worker's own words are what is saved.
    data = {**PART1_COMPLETE, "child_situation": "My own words.", "action": "save"}
    client.post(reverse("forums:part1-edit", args=[booking.pk]), data)
    assert Part1.objects.get(booking=booking).child_situation == "My own words."
    # Once a draft exists, the page shows the draft, not the record.
    again = client.get(reverse("forums:part1-edit", args=[booking.pk]))
    assert again.context["form"]["child_situation"].value() == "My own words."


# -- 5. papers with Part 1 --------------------------------------------------------------------


def test_a_paper_is_attached_stored_privately_and_downloaded_by_those_who_see_the_child(
    client, social_worker, chair, forum_child, media_root
):
    session = ForumSessionFactory(chair=chair)
    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    data = {**PART1_COMPLETE, "action": "save", "attachment_kind": "genogram"}
    response = _in(client, social_worker).post(
        reverse("forums:part1-edit", args=[booking.pk]), {**data, "attachment": _pdf()}
    )
    assert response.status_code == 302
    paper = Part1Attachment.objects.get(part1__booking=booking)
    assert paper.original_name == "genogram.pdf"
    assert forum_child.last_name not in paper.file.name
    assert paper.file.name.startswith("forums/part1-attachments/")
    assert not paper.file.url.startswith("/static/")

    url = reverse("forums:part1-attachment", args=[booking.pk, paper.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 family tree"
    assert "attachment" in download["Content-Disposition"]

    # The chair of the forum reads it too.
    assert _in(client, chair).get(url).status_code == 200


def test_a_paper_is_refused_for_someone_who_may_not_open_the_child(
    client, social_worker, other_social_worker, forum_child, session, media_root
):
    part1 = Part1Factory(booking__session=session, booking__child=forum_child)
    services.part1_attach(booking=part1.booking, by=social_worker, kind="chronology", upload=_pdf())
    paper = part1.attachments.get()
    url = reverse("forums:part1-attachment", args=[part1.booking_id, paper.pk])
    response = _in(client, other_social_worker).get(url)
    assert response.status_code == 404
    # A paper of another booking is not reached through this booking's address.
    other = BookingFactory(session=session, child=ChildFactory(team=forum_child.team))
    response = _in(client, social_worker).get(
        reverse("forums:part1-attachment", args=[other.pk, paper.pk])
    )
    assert response.status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "must be a PDF, Word, ODT or RTF document"),
        ("renamed.pdf", b"MZ\x90\x00 a program", "is not a PDF document inside"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_a_wrong_paper_is_refused_beside_the_field_and_the_draft_is_kept(
    client, social_worker, forum_child, session, media_root, name, body, message
):
    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    upload = SimpleUploadedFile(name, body)
    data = {**PART1_COMPLETE, "action": "save", "attachment_kind": "assessment"}
    response = _in(client, social_worker).post(
        reverse("forums:part1-edit", args=[booking.pk]), {**data, "attachment": upload}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["attachment"])
    assert not Part1Attachment.objects.exists()
    # What was typed is still there to send again.
    reason = PART1_COMPLETE["reason_for_referral"]
    assert response.context["form"]["reason_for_referral"].value() == reason


def test_a_paper_too_large_is_refused(social_worker, forum_child, session, media_root, settings):
    from forums.services import forum_record

    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    big = _pdf(body=b"%PDF-1.4 " + b"x" * 64)
    forum_record.PAPER_MAX_BYTES, saved = 32, forum_record.PAPER_MAX_BYTES
    try:
        with pytest.raises(Exception, match="must be smaller than"):
            services.part1_attach(booking=booking, by=social_worker, kind="genogram", upload=big)
    finally:
        forum_record.PAPER_MAX_BYTES = saved


def test_no_paper_is_attached_or_removed_once_part1_is_submitted(
    social_worker, forum_child, session, media_root
):
    part1 = Part1Factory(booking__session=session, booking__child=forum_child)
    services.part1_attach(booking=part1.booking, by=social_worker, kind="genogram", upload=_pdf())
    services.part1_submit(booking=part1.booking, by=social_worker)
    with pytest.raises(Exception, match="Part 1 has been submitted"):
        services.part1_attach(
            booking=part1.booking, by=social_worker, kind="genogram", upload=_pdf()
        )
    with pytest.raises(Exception, match="Part 1 has been submitted"):
        services.part1_detach(attachment=part1.attachments.get(), by=social_worker)


# -- 6. the chair's agenda reads the record --------------------------------------------------


def test_the_agenda_shows_plan_placement_legal_status_26_weeks_and_flags_a_differing_route(
    client, chair, social_worker, team, iro
):
    session = ForumSessionFactory(chair=chair)
    today = timezone.localdate()
    issued = today - dt.timedelta(weeks=20)
    child = ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        first_name="Rowan",
        court_stage=Child.CourtStage.ISSUED,
        proceedings_issued_on=issued,
    )
    EpisodeFactory(child=child, legal_status="C1", place="U6")
    PlanFactory(child=child, route=Route.LONG_TERM_FOSTERING, created_by=social_worker)
    booking = BookingFactory(session=session, child=child, status=S.PART1_SUBMITTED)
    Part1Factory(booking=booking, submitted_at=timezone.now(), proposed_route=Route.ADOPTION)
    page = _text(_in(client, chair).get(reverse("forums:session-agenda", args=[session.pk])))
    assert "Long-term fostering" in page
    # The plan's status in words, and which tag is Part 1's, for every reader.
    assert "Long-term fostering; the plan is draft</dd>" in page
    assert 'Part 1: <strong class="govuk-tag govuk-tag--green">Submitted</strong>' in page
    assert "U6:" in page and "C1:" in page
    due = timescales.due_date("proceedings_concluded", issued)
    assert f"Week 21 of 26: issued {issued:%-d %B %Y}, to conclude by {due:%-d %B %Y}" in page
    assert "the route differs from the plan" in page

    # Part 1 proposing the plan's own route raises no flag.
    Part1.objects.filter(booking=booking).update(proposed_route=Route.LONG_TERM_FOSTERING)
    page = _text(client.get(reverse("forums:session-agenda", args=[session.pk])))
    assert "the route differs from the plan" not in page


def test_the_agenda_marks_proceedings_beyond_26_weeks_from_the_registry(chair, team):
    from forums.selectors import court_timescale

    issued = timezone.localdate() - dt.timedelta(weeks=27)
    child = ChildFactory(
        team=team, court_stage=Child.CourtStage.ISSUED, proceedings_issued_on=issued
    )
    court = court_timescale(child)
    assert court.is_overdue
    assert court.due == timescales.due_date("proceedings_concluded", issued)
    assert court.weeks == 26


def test_the_agenda_says_a_child_has_no_plan(client, chair, forum_child):
    session = ForumSessionFactory(chair=chair)
    BookingFactory(session=session, child=forum_child, status=S.CONFIRMED)
    page = _text(_in(client, chair).get(reverse("forums:session-agenda", args=[session.pk])))
    assert "has not drafted a permanence plan yet" in page


# -- 7. attendance and minutes -----------------------------------------------------------------


def test_the_chair_records_attendance_and_minutes_on_the_day(
    client, chair, cps_duty, social_worker, forum_child
):
    session = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    BookingFactory(session=session, child=forum_child, status=S.CONFIRMED)
    url = reverse("forums:session-minutes", args=[session.pk])
    response = _in(client, chair).post(url, {"minutes": "", "attendees": []})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Enter the minutes of the forum" in errors["minutes"]
    assert "Select who attended from the staff" in errors["attendees"]
    response = client.post(
        url,
        {
            "attendees": [chair.pk, cps_duty.pk],
            "other_attendees": "A solicitor from legal services",
            "minutes": "Three cases heard; a sibling assessment to come.",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert set(session.attendees.all()) == {chair, cps_duty}
    assert session.minutes_recorded_by == chair
    page = _text(client.get(reverse("forums:session-agenda", args=[session.pk])))
    assert "Three cases heard; a sibling assessment to come." in page
    assert "A solicitor from legal services" in page

    # Only the chair records them.
    assert _in(client, cps_duty).get(url).status_code == 403


def test_minutes_wait_for_the_forums_day(client, chair):
    session = ForumSessionFactory(chair=chair)
    response = _in(client, chair).post(
        reverse("forums:session-minutes", args=[session.pk]),
        {"attendees": [chair.pk], "minutes": "Too early."},
    )
    assert response.status_code == 400
    assert "record its minutes on the day" in " ".join(response.context["form"].errors["minutes"])


# -- 8. Part 2's tasks ticked from the Part 2 page ---------------------------------------------


@pytest.fixture
def sent_part2(chair, social_worker, forum_child):
    session = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    booking = BookingFactory(
        session=session, child=forum_child, requested_by=social_worker, status=S.PRESENTED
    )
    Part1Factory(booking=booking, submitted_at=timezone.now())
    PlanFactory(child=forum_child, created_by=social_worker, route=Route.ADOPTION)
    Part2Factory(booking=booking, advice="Pursue adoption.", advised_route=Route.ADOPTION)
    services.part2_save(
        booking=booking,
        by=chair,
        advice="Pursue adoption.",
        advised_route=Route.ADOPTION,
        tasks=[
            TaskInput("Refer to the adoption agency", social_worker, timezone.localdate()),
            TaskInput("Complete the CPR", social_worker, timezone.localdate(), True),
        ],
    )
    services.part2_send(booking=booking, by=chair)
    return booking


def test_a_part2_task_is_ticked_from_the_part2_page(client, social_worker, sent_part2):
    detail = reverse("forums:part2-detail", args=[sent_part2.pk])
    page = _text(_in(client, social_worker).get(detail))
    assert "Mark as done" in page
    task = sent_part2.part2.tasks.get(what="Refer to the adoption agency")
    response = client.post(reverse("forums:part2-task-done", args=[sent_part2.pk, task.pk]))
    assert response.status_code == 302
    assert PlanAction.objects.get(pk=task.plan_action_id).done_on == timezone.localdate()
    page = _text(client.get(detail))
    assert "Done: Refer to the adoption agency." in page


def test_only_those_who_may_change_the_task_tick_it(client, iro, other_social_worker, sent_part2):
    task = sent_part2.part2.tasks.first()
    url = reverse("forums:part2-task-done", args=[sent_part2.pk, task.pk])
    # The IRO reads Part 2 but does not own or edit the case: no button, and refused.
    page = _text(_in(client, iro).get(reverse("forums:part2-detail", args=[sent_part2.pk])))
    assert "Mark as done" not in page
    assert client.post(url).status_code == 403
    # Someone outside the child's scope is not told the booking exists.
    assert _in(client, other_social_worker).post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert PlanAction.objects.get(pk=task.plan_action_id).done_on is None


def test_a_new_role_without_the_child_cannot_download_papers(client, service, forum_child):
    stranger = UserFactory(team=None, service=service, role=Role.FORUM_CHAIR)
    part1 = Part1Factory(booking__child=forum_child)
    response = _in(client, stranger).get(reverse("forums:part1-detail", args=[part1.booking_id]))
    assert response.status_code == 404
