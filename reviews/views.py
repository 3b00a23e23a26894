"""Pages of the IRO's work. Thin: parse, validate, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from permanence import selectors as core_selectors
from permanence.common import reasons_not
from permanence.documents import pdf_response
from permanence.models import DocumentDownload
from permanence.panels import plan_notes
from permanence.plans.selectors import STATUS_TAGS, plan_current_for_child
from permanence.plans.services import RATIFICATION_CHECKLIST, long_date
from permanence.roles import Role
from permanence.timescales import timescale
from permanence.views import apply_validation_error
from reviews import selectors, services
from reviews.forms import (
    IroAllocationForm,
    MeetingBookForm,
    Ppn1Form,
    RatificationForm,
    ReviewBookForm,
    ReviewCancelForm,
    ReviewRecordForm,
    SgoReferralForm,
)
from reviews.tables import caseload_rows_html

FORM_TEMPLATE = "reviews/review_form.html"


def _form_page(request, form, *, title, child, back, intro="", status=200, extra=None):
    context = {"form": form, "title": title, "child": child, "back": back, "intro": intro}
    context.update(extra or {})
    return render(request, FORM_TEMPLATE, context, status=status)


class IroDashboardView(View):
    """The IRO's children and reviews: overdue, due soon, upcoming (004, SPEC §5)."""

    def get(self, request):
        if not request.user.has_role(Role.IRO):
            raise PermissionDenied
        sections = selectors.iro_caseload(user=request.user)
        return render(
            request,
            "reviews/iro_dashboard.html",
            {
                "sections": [
                    ("overdue", "Overdue", sections["overdue"]),
                    ("due_soon", "Due soon", sections["due_soon"]),
                    ("upcoming", "Upcoming", sections["upcoming"]),
                ],
                "rows_html": {key: caseload_rows_html(rows) for key, rows in sections.items()},
                "counts": {k: len(v) for k, v in sections.items()},
                "to_ratify": selectors.plans_awaiting_ratification(user=request.user),
                "awaiting_ppn1": [
                    row for rows in sections.values() for row in rows if row.awaiting_ppn1
                ],
                "today": core_selectors.today(),
            },
        )


class ChildReviewsView(View):
    """A child's reviews: the IRO, the schedule and every review of this period of care."""

    def get(self, request, pk: int):
        child = core_selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("reviews.view_review", child):
            raise PermissionDenied
        plan = plan_current_for_child(child=child)
        return render(
            request,
            "reviews/child_reviews.html",
            {
                "child": child,
                "schedule": selectors.review_schedule(child=child),
                "plan": plan,
                "plan_tag": STATUS_TAGS.get(plan.status) if plan else "",
                "codes": selectors.participation_meanings(),
                "can_allocate": request.user.has_perm("reviews.add_iroallocation", child),
                "can_review": request.user.has_perm("reviews.add_review", child),
                "today": core_selectors.today(),
            },
        )


class _ChildFormView(View):
    perm = ""

    def _child(self, request, pk):
        child = core_selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm(self.perm, child):
            raise PermissionDenied
        return child


class IroAllocateView(_ChildFormView):
    """A manager allocates the child's IRO, due in 5 working days (004)."""

    perm = "reviews.add_iroallocation"

    def get(self, request, pk: int):
        child = self._child(request, pk)
        return self._render(request, IroAllocationForm(initial={"iro": child.iro_id}), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = IroAllocationForm(request.POST)
        if form.is_valid():
            try:
                services.iro_allocate(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['iro']} is now the IRO.")
                return redirect("reviews:child-reviews", pk=child.pk)
        return self._render(request, form, child, status=400)

    def _render(self, request, form, child, status=200):
        schedule = selectors.review_schedule(child=child)
        intro = (
            f"{child.first_name}'s IRO is due by {long_date(schedule.iro_due_on)}, "
            f"{timescale('iro_allocated').offset} after becoming looked after."
            if schedule.iro_due_on
            else ""
        )
        return _form_page(
            request,
            form,
            title="Allocate an IRO",
            child=child,
            back=child.get_absolute_url(),
            intro=intro,
            status=status,
        )


class ReviewBookView(_ChildFormView):
    perm = "reviews.add_review"

    def get(self, request, pk: int):
        child = self._child(request, pk)
        return self._render(request, ReviewBookForm(), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = ReviewBookForm(request.POST)
        if form.is_valid():
            try:
                review = services.review_book(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"The {review.title.lower()} has been booked.")
                return redirect(review)
        return self._render(request, form, child, status=400)

    def _render(self, request, form, child, status=200):
        upcoming = selectors.review_schedule(child=child).next_review
        intro = (
            f"The {upcoming.title.lower()} is due by {long_date(upcoming.due_on)}."
            if upcoming
            else ""
        )
        return _form_page(
            request,
            form,
            title="Book a review",
            child=child,
            back=reverse("reviews:child-reviews", args=[child.pk]),
            intro=intro,
            status=status,
        )


class ReviewRecordView(_ChildFormView):
    """Record a review held: date, participation code (SSDA903), outcome."""

    perm = "reviews.add_review"

    def get(self, request, pk: int):
        child = self._child(request, pk)
        return self._render(request, ReviewRecordForm(), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = ReviewRecordForm(request.POST)
        if form.is_valid():
            try:
                review = services.review_record(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"The {review.title.lower()} has been recorded.")
                return redirect(review)
        return self._render(request, form, child, status=400)

    def _render(self, request, form, child, status=200):
        schedule = selectors.review_schedule(child=child)
        upcoming = schedule.next_review
        intro = ""
        if upcoming:
            intro = f"This is the {upcoming.title.lower()}, due by {long_date(upcoming.due_on)}."
        return _form_page(
            request,
            form,
            title="Record a review",
            child=child,
            back=reverse("reviews:child-reviews", args=[child.pk]),
            intro=intro,
            status=status,
        )


def review_context(request, pk: int) -> dict:
    """What the review's page and its ratification PDF show, from the same selectors (a
    review outside the reader's scope is a 404)."""
    review = selectors.review_get_for_user(user=request.user, pk=pk)
    user = request.user
    ratification = selectors.ratification_for_review(review=review)
    plan = plan_current_for_child(child=review.child)
    is_iro = user.has_perm("reviews.add_ratificationcheck", review)
    ppn1 = getattr(review, "ppn1", None)
    sgo = selectors.sgo_referral_card(review=review, user=user)
    return {
        "review": review,
        "child": review.child,
        "ratification": ratification,
        "plan": plan,
        "plan_tag": STATUS_TAGS.get(plan.status) if plan else "",
        "codes": selectors.participation_meanings(),
        "can_check": is_iro and review.is_held and ratification is None and plan,
        # What the ratify transition still needs, in its conditions' own words.
        "ratify_needs": _ratify_needs(plan) if is_iro and ratification is None else [],
        "can_ppn1": user.has_perm("reviews.add_ppn1", review)
        and review.is_held
        and review.sequence >= 2
        and ppn1 is None
        and plan is not None,
        "ppn1": ppn1,
        # What the permanency forum advised, when it differs from the plan (seed 000).
        "plan_notes": plan_notes(child=review.child, user=user) if is_iro else [],
        "sgo": sgo,
        "can_refer_sgo": sgo is not None
        and sgo.referral is None
        and user.has_perm("reviews.add_sgoreferral", review),
        "can_cancel": user.has_perm("reviews.change_review", review) and review.is_booked,
        "can_record": user.has_perm("reviews.add_review", review.child) and review.is_booked,
        "history": review.history.select_related("history_user").order_by("-history_date"),
    }


class ReviewDetailView(View):
    """A review: when, how the child took part, the checklist and PPN1."""

    def get(self, request, pk: int):
        return render(request, "reviews/review_detail.html", review_context(request, pk))


class RatificationPdfView(View):
    """The review's ratification record as a PDF, marked Official – sensitive, its download in
    the child's history (issue 17)."""

    def get(self, request, pk: int):
        context = review_context(request, pk)
        review = context["review"]
        if context["ratification"] is None:
            messages.info(request, "No ratification has been recorded at this review.")
            return redirect(review)
        return pdf_response(
            request,
            template="documents/ratification.html",
            context=context,
            child=review.child,
            document=DocumentDownload.Document.RATIFICATION,
            record_id=review.pk,
            title=f"Ratification record for child {review.child.child_id}",
        )


def _ratify_needs(plan) -> list[str]:
    return reasons_not(plan, "ratify") if plan is not None else []


class _ReviewFormView(View):
    perm = ""

    def _review(self, request, pk):
        review = selectors.review_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm(self.perm, review):
            raise PermissionDenied
        return review


class ReviewCancelView(_ReviewFormView):
    perm = "reviews.change_review"

    def get(self, request, pk: int):
        review = self._review(request, pk)
        return self._render(request, ReviewCancelForm(), review)

    def post(self, request, pk: int):
        review = self._review(request, pk)
        form = ReviewCancelForm(request.POST)
        if form.is_valid():
            try:
                services.review_cancel(review=review, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The review has been cancelled. It is still due.")
                return redirect("reviews:child-reviews", pk=review.child_id)
        return self._render(request, form, review, status=400)

    def _render(self, request, form, review, status=200):
        return _form_page(
            request,
            form,
            title=f"Cancel the {review.title.lower()}",
            child=review.child,
            back=review.get_absolute_url(),
            status=status,
        )


class RatificationView(_ReviewFormView):
    """The IRO's checklist at the review: ratify only when every item is ticked (002 §7)."""

    perm = "reviews.add_ratificationcheck"

    def get(self, request, pk: int):
        review = self._review(request, pk)
        return self._render(request, RatificationForm(), review)

    def post(self, request, pk: int):
        review = self._review(request, pk)
        form = RatificationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                check = services.review_ratification_record(
                    review=review,
                    by=request.user,
                    ratify=data["decision"] == "ratify",
                    checklist=form.checklist(),
                    missing=data["missing"],
                    further_review_on=data["further_review_on"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if check.outcome == check.Outcome.RATIFIED:
                    messages.success(request, "The plan has been ratified.")
                else:
                    messages.success(
                        request,
                        "What is missing has been recorded and a further review set for "
                        f"{long_date(check.further_review.due_on)}.",
                    )
                return redirect(review)
        return self._render(request, form, review, status=400)

    def _render(self, request, form, review, status=200):
        plan = plan_current_for_child(child=review.child)
        return _form_page(
            request,
            form,
            title="Ratify the permanence plan",
            child=review.child,
            back=review.get_absolute_url(),
            status=status,
            extra={
                "plan": plan,
                "plan_tag": STATUS_TAGS.get(plan.status) if plan else "",
                "review": review,
                "checklist": RATIFICATION_CHECKLIST,
                "ratify_needs": _ratify_needs(plan),
                "plan_notes": plan_notes(child=review.child, user=request.user),
            },
        )


class Ppn1CreateView(_ReviewFormView):
    """The IRO completes PPN1 after the second review (002 §7-8)."""

    perm = "reviews.add_ppn1"

    def get(self, request, pk: int):
        review = self._review(request, pk)
        plan = plan_current_for_child(child=review.child)
        initial = {"plan_summary": plan.summary if plan else ""}
        return self._render(request, Ppn1Form(initial=initial), review)

    def post(self, request, pk: int):
        review = self._review(request, pk)
        form = Ppn1Form(request.POST)
        if form.is_valid():
            try:
                ppn1 = services.ppn1_complete(review=review, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    "PPN1 has been sent. A Permanency Planning Meeting is now to be booked.",
                )
                return redirect(ppn1)
        return self._render(request, form, review, status=400)

    def _render(self, request, form, review, status=200):
        return _form_page(
            request,
            form,
            title="Complete PPN1",
            child=review.child,
            back=review.get_absolute_url(),
            intro="PPN1 goes to the adoption team manager, the fostering support manager, the "
            "social worker and their team manager, and calls a Permanency Planning Meeting.",
            status=status,
        )


class SgoReferralView(_ReviewFormView):
    """The social worker records the SGO referral sent after the review (003)."""

    perm = "reviews.add_sgoreferral"

    def _review(self, request, pk):
        review = super()._review(request, pk)
        if not (review.is_held and review.recommends_sgo):
            raise Http404("This review did not recommend special guardianship")
        return review

    def get(self, request, pk: int):
        review = self._review(request, pk)
        if hasattr(review, "sgo_referral"):
            messages.info(request, "The SGO referral for this review has already been recorded.")
            return redirect(review)
        return self._render(request, SgoReferralForm(), review)

    def post(self, request, pk: int):
        review = self._review(request, pk)
        form = SgoReferralForm(request.POST)
        if form.is_valid():
            try:
                services.sgo_referral_record(review=review, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The SGO referral has been recorded.")
                return redirect(review)
        return self._render(request, form, review, status=400)

    def _render(self, request, form, review, status=200):
        due_on = selectors.sgo_referral_due(held_on=review.held_on)
        within = selectors.sgo_referral_within()
        return _form_page(
            request,
            form,
            title="Record the SGO referral",
            child=review.child,
            back=review.get_absolute_url(),
            intro=f"The {review.title.lower()} recommended a special guardianship order. The "
            "social worker completes the SGO referral form and sends it to the SGO team "
            f"manager by {long_date(due_on)}, {within} after the review.",
            status=status,
            extra={"review": review},
        )


class Ppn1DetailView(View):
    def get(self, request, pk: int):
        ppn1 = selectors.ppn1_get_for_user(user=request.user, pk=pk)
        return render(
            request,
            "reviews/ppn1_detail.html",
            {
                "ppn1": ppn1,
                "child": ppn1.child,
                "can_book": request.user.has_perm("reviews.change_ppn1", ppn1),
                "form": MeetingBookForm(),
            },
        )


class Ppn1MeetingBookView(View):
    def post(self, request, pk: int):
        ppn1 = selectors.ppn1_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("reviews.change_ppn1", ppn1):
            raise PermissionDenied
        form = MeetingBookForm(request.POST)
        if form.is_valid():
            try:
                services.ppn1_meeting_book(ppn1=ppn1, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The Permanency Planning Meeting has been booked.")
                return redirect(ppn1)
        return render(
            request,
            "reviews/ppn1_detail.html",
            {"ppn1": ppn1, "child": ppn1.child, "can_book": True, "form": form},
            status=400,
        )


class Ppn1ListView(View):
    """Where the designated admin officer starts (issue 16): the PPN1s sent to them, the
    Permanency Planning Meetings to book first (002 §8)."""

    def get(self, request):
        if not request.user.has_role(Role.ADMIN_OFFICER):
            raise PermissionDenied
        to_book, booked = selectors.ppn1s_sent_to(user=request.user)
        return render(request, "reviews/ppn1_list.html", {"to_book": to_book, "booked": booked})
