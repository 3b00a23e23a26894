"""Bad input never makes a 500 (issue 11): every page with a date on it, walked.

Each form page with a GOV.UK date input is opened as someone who may use it; then a day, a month
and a year of 99999999999 are posted in turn into every date on the page (and into every time
and whole number beside them), then a child born (or a meeting held) in 1800 and a review in 9999.
Each time the page comes back with a message beside every date, never an error page and never a
saved record. Then bodies too large: refused before they are read.

A new form with a date must be walked here: `test_every_form_with_a_date_is_walked` finds the
forms by looking at the forms modules, and fails for one no page below shows.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.urls import get_resolver, reverse
from django.utils import timezone

from forums import forms as forums_forms
from forums import matching_forms
from forums.models import Booking
from permanence import forms as permanence_forms
from permanence.family import forms as family_forms
from permanence.finding import forms as finding_forms
from permanence.plans import forms as plan_forms
from reviews import forms as reviews_forms
from reviews.models import Ppn1
from tests.factories.forums import (
    BookingFactory,
    DisruptionFactory,
    ForumSessionFactory,
    MeetingFactory,
    Part1Factory,
    Part2Factory,
    meeting_type,
)
from tests.factories.permanence import (
    ChildFactory,
    ConnectedPersonApprovalFactory,
    EpisodeFactory,
)
from tests.factories.plans import PlanFactory
from tests.factories.reviews import ReviewFactory
from tests.test_every_page_needs_login import _walk

pytestmark = pytest.mark.django_db

HUGE = "99999999999"
FORMS_MODULES = [
    "permanence.forms",
    "permanence.forms_auth",
    "permanence.plans.forms",
    "permanence.family.forms",
    "permanence.finding.forms",
    "forums.forms",
    "forums.matching_forms",
    "reviews.forms",
    "tracker.forms",
    "tracker.dashboard.forms",
    "tracker.ssda903.forms",
]


@dataclass
class World:
    people: dict
    child: object
    kin_child: object
    episode: object
    approval: object
    plan: object
    review: object
    sgo_review: object
    ppn1: object
    session: object
    booking: object
    meeting: object
    gateway: object
    disruption: object


@pytest.fixture
def world(
    social_worker, iro, cps_duty, chair, team_manager, administrator, head_of_service
) -> World:
    people = {
        "head_of_service": head_of_service,
        "social_worker": social_worker,
        "iro": iro,
        "cps_duty": cps_duty,
        "chair": chair,
        "team_manager": team_manager,
        "administrator": administrator,
    }
    today = timezone.localdate()
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    episode = EpisodeFactory(child=child, decom=today - dt.timedelta(days=150))
    kin_child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    EpisodeFactory(child=kin_child, decom=today - dt.timedelta(weeks=4), place="U1")
    approval = ConnectedPersonApprovalFactory(child=kin_child, recorded_by=social_worker)
    plan = PlanFactory(child=child, created_by=social_worker)
    review = ReviewFactory(child=child, created_by=iro)
    sgo_review = ReviewFactory(child=kin_child, created_by=iro, recommends_sgo=True)
    ppn1 = Ppn1.objects.create(
        review=review,
        child=child,
        plan=plan,
        route=plan.route,
        plan_summary="Return home with support.",
        family_finding=Ppn1.FamilyFinding.NONE,
        adoption_manager=team_manager,
        fostering_manager=team_manager,
        completed_by=iro,
        completed_on=today,
    )
    session = ForumSessionFactory(chair=chair)
    booking = BookingFactory(
        session=session, child=child, requested_by=social_worker, status=Booking.Status.PRESENTED
    )
    Part1Factory(booking=booking, submitted_at=timezone.now(), submitted_by=social_worker)
    Part2Factory(booking=booking)
    meeting = MeetingFactory(child=child, created_by=social_worker)
    gateway = MeetingFactory(
        child=child, created_by=social_worker, meeting_type=meeting_type("legal-gateway")
    )
    disruption = DisruptionFactory(child=child, recorded_by=social_worker)
    return World(
        people,
        child,
        kin_child,
        episode,
        approval,
        plan,
        review,
        sgo_review,
        ppn1,
        session,
        booking,
        meeting,
        gateway,
        disruption,
    )


def _care_planning_meeting(w: World):
    """The child's care planning meeting, made the first time a page asks for it."""
    care = meeting_type("care-planning")
    meeting = w.child.meetings.filter(meeting_type=care, held_on=None).first()
    return meeting or MeetingFactory(
        child=w.child, created_by=w.people["team_manager"], meeting_type=care
    )


def _heard_panel(w: World, code: str = "adoption-panel", *, approved: bool = False):
    """A panel that heard a proposed match for the child and recommended it, made the first
    time a page asks for it; `approved`: the decision maker approved it too."""
    from permanence.models import CarerHousehold, PotentialMatch

    found = w.child.meetings.filter(meeting_type__code=code).first()
    if found is not None:
        return found
    today = timezone.localdate()
    by = w.people["social_worker"]
    carer = CarerHousehold.objects.create(
        name=f"Carers for {code}",
        kind=CarerHousehold.Kind.ADOPTERS if code == "adoption-panel" else "in_house",
        service=w.child.team.service,
        created_by=by,
    )
    match = PotentialMatch.objects.create(
        plan=w.plan,
        carer=carer,
        considered_on=today - dt.timedelta(days=30),
        recorded_by=by,
        panel_recommendation="recommended",
        panel_on=today - dt.timedelta(days=2),
        decision="approved" if approved else "",
        decided_on=today - dt.timedelta(days=1) if approved else None,
        decided_by="Jo Bloggs" if approved else "",
    )
    return MeetingFactory(
        child=w.child,
        created_by=by,
        meeting_type=meeting_type(code),
        scheduled_for=today - dt.timedelta(days=2),
        held_on=today - dt.timedelta(days=2),
        match_recommendation="recommended",
        potential_match=match,
    )


def _in_sibling_group(w: World) -> list:
    """The child in a sibling group with the kin child, made the first time a page asks."""
    w.child.refresh_from_db()
    if w.child.sibling_group_id is None:
        from permanence.family.services import sibling_group_create

        sibling_group_create(
            child=w.child,
            by=w.people["social_worker"],
            name="Brothers",
            members=[w.child, w.kin_child],
        )
    return [w.child.pk]


def _contact(w: World) -> list:
    """A contact arrangement of the child's, made the first time a page asks for it."""
    from permanence.models import ContactArrangement

    contact = w.child.contact_arrangements.filter(ended_on=None).first()
    contact = contact or ContactArrangement.objects.create(
        child=w.child,
        relationship="mother",
        person_name="Jo",
        frequency="Monthly",
        kind="in_person",
        supervision="supervised",
        recorded_by=w.people["social_worker"],
    )
    return [w.child.pk, contact.pk]


def _supervision_order(w: World) -> list:
    """A supervision order of the child's, made the first time a page asks for it."""
    from permanence.models import SupervisionOrder

    order = w.child.supervision_orders.filter(ended_on=None).first()
    order = order or SupervisionOrder.objects.create(
        child=w.child, made_on=timezone.localdate(), recorded_by=w.people["social_worker"]
    )
    return [w.child.pk, order.pk]


def _finding_plan(w: World) -> list:
    """A ratified adoption plan for the kin child, made the first time a page asks for it: the
    family finding pages are for a ratified plan (issue 14)."""
    plan = w.kin_child.plans.filter(route="adoption").first() or PlanFactory(
        child=w.kin_child,
        route="adoption",
        status="ratified",
        ratified_on=timezone.localdate() - dt.timedelta(days=10),
        created_by=w.people["social_worker"],
    )
    return [plan.pk]


def _approved_match(w: World) -> list:
    """A match the agency decision maker approved, on that plan, made the first time."""
    from permanence.models import CarerHousehold, Plan, PotentialMatch

    plan = Plan.objects.get(pk=_finding_plan(w)[0])
    match = plan.potential_matches.first()
    if match is None:
        today = timezone.localdate()
        carer = CarerHousehold.objects.create(
            name="Approved adopters",
            kind=CarerHousehold.Kind.ADOPTERS,
            service=w.kin_child.team.service,
            created_by=w.people["cps_duty"],
        )
        match = PotentialMatch.objects.create(
            plan=plan,
            carer=carer,
            considered_on=today - dt.timedelta(days=30),
            recorded_by=w.people["cps_duty"],
            panel_recommendation="recommended",
            panel_on=today - dt.timedelta(days=3),
            decision="approved",
            decided_on=today - dt.timedelta(days=2),
            decided_by="Jo Bloggs",
        )
    return [plan.pk, match.pk]


@dataclass(frozen=True)
class Page:
    """A page showing a form with dates: who opens it, its address, and where it posts."""

    name: str
    role: str
    form: type
    args: Callable[[World], list] = lambda w: []
    query: Callable[[World], dict] = lambda w: {}
    posts_to: str = ""  # another URL name, when the form posts somewhere else

    @property
    def id(self) -> str:
        return f"{self.name}[{self.form.__name__}]"


PAGES = [
    Page("permanence:child-create", "social_worker", permanence_forms.ChildForm),
    Page("permanence:household-create", "cps_duty", finding_forms.HouseholdForm),
    Page("permanence:finding-allocate", "cps_duty", finding_forms.AllocationForm, _finding_plan),
    Page("permanence:finding-search-create", "cps_duty", finding_forms.SearchForm, _finding_plan),
    Page("permanence:finding-match-create", "cps_duty", finding_forms.MatchForm, _finding_plan),
    Page("permanence:finding-match-placed", "cps_duty", finding_forms.PlacedForm, _approved_match),
    Page(
        "permanence:finding-order-create", "social_worker", finding_forms.OrderForm, _finding_plan
    ),
    Page(
        "permanence:finding-sgo-create",
        "social_worker",
        finding_forms.SgoAssessmentForm,
        _finding_plan,
    ),
    Page(
        "permanence:child-update",
        "social_worker",
        permanence_forms.ChildForm,
        lambda w: [w.child.pk],
    ),
    Page(
        "permanence:episode-create",
        "social_worker",
        permanence_forms.EpisodeForm,
        lambda w: [w.child.pk],
    ),
    Page(
        "permanence:episode-end",
        "social_worker",
        permanence_forms.EpisodeEndForm,
        lambda w: [w.child.pk, w.episode.pk],
    ),
    Page(
        "permanence:connected-approval-create",
        "social_worker",
        permanence_forms.ConnectedApprovalStartForm,
        lambda w: [w.child.pk],
    ),
    Page(
        "permanence:connected-approval-extend",
        "social_worker",
        permanence_forms.ConnectedApprovalExtendForm,
        lambda w: [w.kin_child.pk, w.approval.pk],
    ),
    Page(
        "permanence:connected-approval-resolve",
        "social_worker",
        permanence_forms.ConnectedApprovalResolveForm,
        lambda w: [w.kin_child.pk, w.approval.pk],
    ),
    Page(
        "permanence:sibling-assessment",
        "social_worker",
        family_forms.SiblingAssessmentForm,
        _in_sibling_group,
    ),
    Page(
        "permanence:sibling-evidence",
        "social_worker",
        family_forms.SiblingEvidenceForm,
        _in_sibling_group,
    ),
    Page(
        "permanence:contact-create",
        "social_worker",
        family_forms.ContactForm,
        lambda w: [w.child.pk],
    ),
    Page("permanence:contact-end", "social_worker", family_forms.ContactEndForm, _contact),
    Page(
        "permanence:supervision-order-create",
        "social_worker",
        family_forms.SupervisionOrderForm,
        lambda w: [w.child.pk],
    ),
    Page(
        "permanence:supervision-order-extend",
        "social_worker",
        family_forms.SupervisionOrderExtendForm,
        _supervision_order,
    ),
    Page(
        "permanence:supervision-order-end",
        "social_worker",
        family_forms.SupervisionOrderEndForm,
        _supervision_order,
    ),
    Page(
        "permanence:placement-support-create",
        "social_worker",
        family_forms.PlacementSupportForm,
        lambda w: [w.child.pk],
    ),
    Page(
        "permanence:plan-create",
        "social_worker",
        plan_forms.PlanCreateForm,
        lambda w: [w.kin_child.pk],
    ),
    Page(
        "permanence:plan-update",
        "social_worker",
        plan_forms.PlanDetailsForm,
        lambda w: [w.plan.pk],
    ),
    Page(
        "permanence:plan-route",
        "social_worker",
        plan_forms.PlanRouteForm,
        lambda w: [w.plan.pk],
    ),
    Page(
        "permanence:plan-action-create",
        "social_worker",
        plan_forms.ActionForm,
        lambda w: [w.plan.pk],
    ),
    Page(
        "permanence:plan-transition",
        "social_worker",
        plan_forms.ReasonForm,
        lambda w: [w.plan.pk, "disrupt"],
    ),
    Page(
        "reviews:iro-allocate",
        "team_manager",
        reviews_forms.IroAllocationForm,
        lambda w: [w.child.pk],
    ),
    Page("reviews:review-book", "iro", reviews_forms.ReviewBookForm, lambda w: [w.child.pk]),
    Page("reviews:review-record", "iro", reviews_forms.ReviewRecordForm, lambda w: [w.child.pk]),
    Page(
        "reviews:review-ratify",
        "iro",
        reviews_forms.RatificationForm,
        lambda w: [w.review.pk],
    ),
    Page(
        "reviews:sgo-referral",
        "social_worker",
        reviews_forms.SgoReferralForm,
        lambda w: [w.sgo_review.pk],
    ),
    Page(
        "reviews:ppn1-detail",
        "iro",
        reviews_forms.MeetingBookForm,
        lambda w: [w.ppn1.pk],
        posts_to="reviews:ppn1-book",
    ),
    Page("forums:session-create", "cps_duty", forums_forms.SessionForm),
    Page(
        "forums:session-update",
        "cps_duty",
        forums_forms.SessionChangeForm,
        lambda w: [w.session.pk],
    ),
    Page("forums:part2-edit", "chair", forums_forms.Part2Form, lambda w: [w.booking.pk]),
    Page(
        "forums:meeting-create",
        "social_worker",
        forums_forms.MeetingScheduleForm,
        query=lambda w: {"child": w.child.pk, "type": meeting_type("matching-panel").pk},
    ),
    Page(
        "forums:meeting-record",
        "social_worker",
        forums_forms.MeetingRecordForm,
        lambda w: [w.gateway.pk],
    ),
    Page(
        "forums:meeting-create",
        "team_manager",
        forums_forms.MeetingScheduleForm,
        query=lambda w: {"child": w.child.pk, "type": meeting_type("care-planning").pk},
    ),
    Page(
        "forums:meeting-record",
        "team_manager",
        forums_forms.MeetingRecordForm,
        lambda w: [_care_planning_meeting(w).pk],
    ),
    Page("forums:panel-sitting-create", "cps_duty", forums_forms.PanelSittingForm),
    Page(
        "forums:meeting-create",
        "social_worker",
        forums_forms.MeetingScheduleForm,
        query=lambda w: {"child": w.child.pk, "type": meeting_type("fostering-panel").pk},
    ),
    Page(
        "forums:match-decision",
        "social_worker",
        matching_forms.MatchDecisionForm,
        lambda w: [_heard_panel(w).pk],
    ),
    Page(
        "forums:match-ratify",
        "head_of_service",
        matching_forms.MatchRatifyForm,
        lambda w: [_heard_panel(w, "fostering-panel", approved=True).pk],
    ),
    Page(
        "forums:disruption-create",
        "social_worker",
        forums_forms.DisruptionForm,
        query=lambda w: {"child": w.child.pk},
    ),
    Page(
        "forums:disruption-outcome",
        "social_worker",
        forums_forms.DisruptionOutcomeForm,
        lambda w: [w.disruption.pk],
    ),
]


def _url(page: Page, world: World, name: str = "") -> str:
    url = reverse(name or page.name, args=page.args(world))
    query = page.query(world)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _date_fields(form: forms.BaseForm) -> list[str]:
    return [n for n, f in form.fields.items() if isinstance(f, DateInputField)]


def _open(client, page: Page, world: World):
    """The form on the page as its user sees it; every date in it is on the page."""
    client.force_login(world.people[page.role])
    response = client.get(_url(page, world))
    assert response.status_code == 200, f"{page.id} answered {response.status_code}"
    form = response.context["form"]
    assert type(form) is page.form, f"{page.id} shows a {type(form).__name__}"
    names = _date_fields(form)
    html = response.content.decode()
    for name in names:
        for part in range(3):
            assert f'name="{name}_{part}"' in html, f"{page.id} does not show {name}"
    return form


def _post(
    client,
    page: Page,
    world: World,
    names: list[str],
    day: str,
    month: str,
    year: str,
    numbers: tuple[str, ...] = (),
):
    data = dict.fromkeys(numbers, HUGE)
    for name in names:
        data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    url = _url(page, world, page.posts_to)
    response = client.post(url, data)
    # A 500 would have raised here: the test client re-raises the view's exception.
    assert response.status_code in (200, 400), f"{page.id} answered {response.status_code}"
    form = response.context["form"]
    missing = [n for n in [*names, *numbers] if n not in form.errors]
    assert not missing, f"{page.id} took {day}/{month}/{year} in {missing}"
    return response.content.decode(), form


NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField, forms.TimeField)
HUGE_PARTS = [
    ((HUGE, "1", "2025"), "must be a real date"),
    (("1", HUGE, "2025"), "must be a real date"),
    (("1", "1", HUGE), "must include a year with 4 numbers"),
    ((HUGE, HUGE, HUGE), "must include a year with 4 numbers"),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_bad_dates_get_a_message_beside_each_date_not_an_error_page(client, world, page):
    form = _open(client, page, world)
    names = _date_fields(form)
    assert names, f"{page.id} shows no date"
    labels = {name: form.fields[name].label_text for name in names}
    # Times and whole numbers on the same pages (start time, slots, weeks) get the huge number too.
    numbers = tuple(n for n, f in form.fields.items() if isinstance(f, NUMBER_FIELDS))
    for (day, month, year), message in HUGE_PARTS:
        html, _ = _post(client, page, world, names, day, month, year, numbers)
        for name, label in labels.items():
            assert f"{label} {message}" in html, f"{page.id} {day}/{month}/{year}: {name}"
    # Implausible years: a child born, a meeting held or a review booked in 1800 or 9999.
    for year in ("1800", "9999"):
        html, form = _post(client, page, world, names, "1", "1", year)
        for name, label in labels.items():
            errors = " ".join(form.errors[name])
            assert errors.startswith(label), f"{page.id} {year}: {name}: {errors}"
            assert errors in html.replace("&#x27;", "'"), f"{page.id}: {errors} not shown"


def _forms_with_dates() -> set[type]:
    found = set()
    for module_name in FORMS_MODULES:
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if not (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == module_name
            ):
                continue
            declared = getattr(obj, "base_fields", {}).values()
            date_types = (DateInputField, forms.DateField, forms.DateTimeField)
            # Dates added in __init__ (task rows, ruled-out rungs) show in the source.
            if any(isinstance(f, date_types) for f in declared) or "gds_date(" in (
                inspect.getsource(obj)
            ):
                found.add(obj)
    return found


def test_every_form_with_a_date_is_walked():
    """A new form with a date must have its page in PAGES."""
    walked = {p.form for p in PAGES}
    assert _forms_with_dates() - walked == set()
    # And the walk is of real pages: every name is in the URL map.
    names = {n for n, _, _ in _walk(get_resolver().url_patterns)}
    assert {p.name for p in PAGES} | {p.posts_to for p in PAGES if p.posts_to} <= names


def test_every_date_field_is_the_shared_one():
    """Only the shared GOV.UK date field knows the plausible dates and the messages."""
    others = []
    for form_class in _forms_with_dates():
        for name, f in form_class.base_fields.items():
            if isinstance(f, forms.DateField | forms.DateTimeField) or (
                isinstance(f, DateInputField) and not isinstance(f, permanence_forms.GDSDateField)
            ):
                others.append(f"{form_class.__name__}.{name}")
    assert others == []


def test_a_date_partly_typed_says_what_is_missing(client, world):
    page = next(p for p in PAGES if p.name == "reviews:review-book")
    names = _date_fields(_open(client, page, world))
    html, _ = _post(client, page, world, names, "3", "", "")
    assert "Date of the review must include a month and year" in html


def test_a_real_date_still_books_the_review(client, world):
    """The walk above is not of forms that refuse everything."""
    page = next(p for p in PAGES if p.name == "reviews:review-book")
    _open(client, page, world)
    soon = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        _url(page, world),
        {"planned_on_0": soon.day, "planned_on_1": soon.month, "planned_on_2": soon.year},
    )
    assert response.status_code == 302


def test_an_unborn_child_due_within_ten_months_is_taken_and_not_later(client, world):
    page = PAGES[0]
    client.force_login(world.people["social_worker"])
    later = timezone.localdate() + dt.timedelta(days=400)
    response = client.post(
        _url(page, world),
        {
            "expected_date_of_birth_0": later.day,
            "expected_date_of_birth_1": later.month,
            "expected_date_of_birth_2": later.year,
        },
    )
    assert "Expected date of birth must be no more than 10 months from today" in (
        response.content.decode()
    )


# -- bodies too large --------------------------------------------------------------------------


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(
    client, administrator, settings
):
    """The body is a few bytes but says it is a byte over the limit: reading it would fail in
    the test client ("cannot read more than the available bytes"), so a 413 proves it unread."""
    client.force_login(administrator)
    response = client.generic(
        "POST",
        reverse("tracker:ssda903-import"),
        b"mode=check",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert f"{settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)} MB" in page


def test_the_limit_applies_before_sign_in(client, settings):
    response = client.generic(
        "POST", reverse("login"), b"username=x", CONTENT_LENGTH=str(10 * 1024**3)
    )
    assert response.status_code == 413


def test_a_body_within_the_limit_is_read_as_usual(client, social_worker, settings):
    settings.MAX_REQUEST_BODY_BYTES = 2000
    client.force_login(social_worker)
    url = reverse("permanence:child-create")
    assert client.post(url, {"first_name": "A" * 3000}).status_code == 413
    response = client.post(url, {"first_name": "Ava"})
    assert response.status_code in (200, 400)
    assert "Enter the last name" in response.content.decode()


def test_a_form_with_too_many_fields_gets_a_page_not_an_error(client, social_worker, settings):
    client.force_login(social_worker)
    data = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("permanence:child-create"), data)
    assert response.status_code == 400
    assert "could not read what you sent" in response.content.decode()


def test_a_form_over_the_memory_limit_gets_a_page_not_an_error(client, social_worker, settings):
    client.force_login(social_worker)
    data = {"first_name": "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = client.post(reverse("permanence:child-create"), data)
    assert response.status_code == 400
    assert "could not read what you sent" in response.content.decode()
