"""The permanency forum without dead ends (issue 16, item 5; seed 000): the social worker books a
session whose Part 1 cut-off is near and is warned, submits Part 1 with a genogram before CPS
duty confirms, CPS duty confirms, the chair reads the agenda (the route differs from the plan),
records attendance, minutes and Part 2, and the social worker ticks a Part 2 task from the Part 2
page. axe-core checks every page on the way."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Booking, ForumSession, Part1Attachment
from permanence import dates, timescales
from permanence.models import PlanAction
from permanence.models.plans import Route
from tests.factories.forums import ForumSessionFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory
from tracker import timescale_source
from tracker.models import DeadlineRule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _session_near_its_cut_off(chair) -> ForumSession:
    """A forum whose Part 1 cut-off is on a day to come and, by the rule's warning, near."""
    DeadlineRule.objects.filter(code="part1_submitted").update(warning_days=7)
    timescale_source.forget()
    today, now = timezone.localdate(), timezone.now()
    for n in range(4, 20):
        forum = dates.add_working_days(today, n)
        due, standing = timescales.standing("part1_submitted", forum, now)
        if standing == timescales.Standing.DUE_SOON and due.on > today:
            return ForumSessionFactory(chair=chair, forum_date=forum, venue="Shirehall, Room 4")
    raise AssertionError("no forum date puts Part 1's cut-off near")


def test_the_forum_end_to_end_without_dead_ends(
    page,
    live_server,
    login,
    assert_accessible,
    social_worker,
    cps_duty,
    chair,
    iro,
    team,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Rowan", last_name="Hale"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=90), place="U4")
    PlanFactory(
        child=child,
        route=Route.LONG_TERM_FOSTERING,
        contingency_route=Route.SGO_CAO,
        created_by=social_worker,
    )
    session = _session_near_its_cut_off(chair)
    genogram = tmp_path / "genogram.pdf"
    genogram.write_bytes(b"%PDF-1.4 Rowan's family tree")

    # The social worker books the forum: its Part 1 cut-off is near, and they are told so.
    login(page, "sw")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.get_by_role("button", name="Book a forum slot").click()
    page.get_by_label("Child", exact=True).select_option(
        label=f"{child.full_name} ({child.child_id})"
    )
    due = f"{timezone.localtime(session.part1_due_at):%H:%M on %A %-d %B %Y}"
    choice = page.get_by_label(re.compile(re.escape(f"Part 1 due by {due} (soon)")))
    expect(choice).to_be_visible()
    assert_accessible(page)
    choice.check()
    page.get_by_label("Before the child's second looked-after review").check()
    page.get_by_role("button", name="Request the slot").click()
    expect(page.get_by_text("Slot 1 requested for Rowan Hale")).to_be_visible()
    expect(page.locator("#cutoff-warning")).to_contain_text(f"is due soon: by {due}")
    assert_accessible(page)

    # Part 1 starts from the record; the worker proposes another route, attaches a genogram
    # and submits it before CPS duty has confirmed the slot.
    page.get_by_role("button", name="Start Part 1").click()
    expect(page.get_by_label("Proposed route to permanence")).to_have_value(
        Route.LONG_TERM_FOSTERING
    )
    expect(page.get_by_label("The child's situation and needs")).to_have_value(
        re.compile("Placement: U4")
    )
    assert_accessible(page)
    page.get_by_label("Reason for referral").fill("Return home has been ruled out.")
    page.get_by_label("Family and connected persons explored").fill("An aunt; not viable.")
    page.locator("input[name=child_consulted][value=not_appropriate]").check()
    page.get_by_label("The child's views").fill("Too young to give views.")
    page.locator("input[name=parents_consulted][value=yes]").check()
    page.get_by_label("The parents' views").fill("Father agrees.")
    page.locator("input[name=others_consulted][value=yes]").check()
    page.get_by_label("The views of other important people").fill("Carers agree.")
    page.get_by_label("Options considered").fill("Return home and connected person ruled out.")
    page.get_by_label("Proposed route to permanence").select_option(Route.ADOPTION)
    page.get_by_label("Contingency route").select_option(Route.LONG_TERM_FOSTERING)
    page.get_by_label("What the paper is").select_option("genogram")
    page.get_by_label("Attach a paper").set_input_files(str(genogram))
    page.get_by_role("button", name="Submit Part 1 to CPS duty").click()
    expect(page.get_by_text("Part 1 has been submitted to CPS duty.")).to_be_visible()
    expect(page.get_by_role("link", name="genogram.pdf")).to_be_visible()
    assert_accessible(page)
    booking = Booking.objects.get(child=child)
    assert booking.status == Booking.Status.REQUESTED
    assert Part1Attachment.objects.filter(part1__booking=booking).count() == 1
    sign_out(page)

    # CPS duty confirms: Part 1 stays in.
    login(page, "cps")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.get_by_role("link", name="Rowan Hale").first.click()
    page.get_by_role("button", name="Confirm the slot").click()
    expect(page.get_by_text("Slot 1 confirmed for Rowan Hale")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Part 1 submitted").first).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The day of the forum comes.
    ForumSession.objects.filter(pk=session.pk).update(forum_date=timezone.localdate())

    # The chair reads the agenda: the record, and the flag on a route other than the plan's.
    login(page, "chair")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.locator(f"a[href='/forums/permanency/sessions/{session.pk}/agenda/']").first.click()
    expect(page.get_by_role("heading", name=re.compile("Rowan Hale"))).to_be_visible()
    expect(page.get_by_text("the route differs from the plan")).to_be_visible()
    expect(page.get_by_text("U4: Foster placement").first).to_be_visible()
    assert_accessible(page)

    # Attendance and minutes: refused without them, then saved.
    page.get_by_role("link", name="Record the attendance and minutes").click()
    page.get_by_role("button", name="Save the attendance and minutes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the minutes of the forum")
    assert_accessible(page)
    page.get_by_label(chair.get_full_name()).check()
    page.get_by_label("Minutes").fill("One case heard: adoption to be explored alongside.")
    page.get_by_role("button", name="Save the attendance and minutes").click()
    expect(page.get_by_text("One case heard: adoption to be explored alongside.")).to_be_visible()
    assert_accessible(page)

    # Part 2.
    page.get_by_role("button", name="Record that Rowan's case was presented").click()
    page.get_by_label("The forum's advice").fill("Explore adoption; keep fostering as contingency.")
    fill_date(page, "cpr_due_on", dates.add_weeks(timezone.localdate(), 6))
    page.locator("#id_task_1_what").fill("Ask the adoption agency for a profile")
    page.locator("#id_task_1_owner").select_option(str(social_worker.pk))
    fill_date(page, "task_1_due_on", dates.add_weeks(timezone.localdate(), 2))
    page.get_by_role("button", name="Send Part 2").click()
    expect(page.get_by_text("Part 2 has been sent to the social worker")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The social worker ticks a Part 2 task where Part 2 is read.
    login(page, "sw")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.get_by_role("link", name="Rowan Hale").first.click()
    page.get_by_role("link", name="Read Part 2").click()
    assert_accessible(page)
    row = page.locator("tr", has_text="Ask the adoption agency for a profile")
    row.get_by_role("button", name=re.compile("Mark as done")).click()
    expect(page.get_by_text("Done: Ask the adoption agency for a profile.")).to_be_visible()
    assert_accessible(page)
    task_action = PlanAction.objects.get(what="Ask the adoption agency for a profile")
    assert task_action.done_on == timezone.localdate()
