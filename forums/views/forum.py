"""Pages of the permanency forum (seed 000): sessions, bookings, Part 1 and Part 2.

Thin: parse, validate, call a service, redirect with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from forums import plans, selectors, services
from forums.forms import (
    TASK_ROWS,
    BookingForm,
    Part1Form,
    Part2Form,
    ReasonForm,
    SessionCancelForm,
    SessionChangeForm,
    SessionForm,
    SessionMinutesForm,
)
from forums.models import Booking, Part1, Part1Attachment, Part2, Part2Task, part1_status
from forums.views.common import apply_validation_error, deny_unless, int_param, render_form
from permanence.common import available, reasons_not
from permanence.documents import pdf_response
from permanence.models import DocumentDownload
from permanence.roles import Role
from permanence.selectors import child_get_for_user
from permanence.timescales import timescale


class HomeView(View):
    """The forum as each role meets it: bookings, sessions to run, agendas to chair."""

    def get(self, request):
        user = request.user
        now = timezone.now()
        context = {"now": now, "part1_due_label": "Part 1 due"}
        if user.has_role(Role.CPS_DUTY):
            sessions = list(selectors.sessions_for_duty())
            rows = [(s, selectors.part1_counts(s, now)) for s in sessions]
            # The desk shows this month's sessions first; the others (the last four weeks and
            # every one to come) follow.
            month = timezone.localdate(now).replace(day=1)
            this_month = [r for r in rows if r[0].forum_date.replace(day=1) == month]
            context["session_groups"] = [
                ("Sessions this month", this_month),
                ("Other sessions", [r for r in rows if r not in this_month]),
            ]
            context["duty_sessions"] = rows
            context["awaiting"] = selectors.requests_awaiting_confirmation()
            context["part1_flagged"] = selectors.part1_late_or_missing(now=now)
            context["can_open"] = user.has_perm("forums.add_forumsession")
        if user.has_role(Role.FORUM_CHAIR):
            context["chair_sessions"] = selectors.sessions_for_chair(user=user)
        if user.has_role(Role.SOCIAL_WORKER) or user.is_manager:
            bookings = selectors.bookings_for_worker(user=user)
            page = Paginator(bookings, 25).get_page(request.GET.get("page"))
            context["page"] = page
            context["my_bookings"] = [(b, part1_status(b, now)) for b in page.object_list]
            context["open_sessions"] = selectors.sessions_with_space(now=now)
            context["can_book"] = user.has_perm("forums.add_booking")
        return render(request, "forums/home.html", context)


# -- sessions ---------------------------------------------------------------------------------


class SessionCreateView(View):
    def get(self, request):
        deny_unless(request.user.has_perm("forums.add_forumsession"))
        return self._render(request, SessionForm(initial={"slot_minutes": 30}))

    def post(self, request):
        deny_unless(request.user.has_perm("forums.add_forumsession"))
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_open(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{session} is open for booking.")
                return redirect(session)
        return self._render(request, form, invalid=True)

    def _render(self, request, form, invalid=False):
        return render_form(request, "forums/session_form.html", {"form": form}, invalid=invalid)


class SessionDetailView(View):
    """CPS duty's view of a session: each slot, who holds it, Part 1 status."""

    def get(self, request, pk: int):
        session = selectors.session_get_for_user(user=request.user, pk=pk)
        now = timezone.now()
        slots = selectors.session_slots(session=session, now=now)
        # A forum that has sat (a case presented) is part of the record: it is not changed.
        held = any(s.booking is not None and s.booking.status in Booking.HELD for s in slots)
        may_change = (
            request.user.has_perm("forums.change_forumsession", session)
            and not session.is_cancelled
            and not held
        )
        return render(
            request,
            "forums/session_detail.html",
            {
                "session": session,
                "slots": slots,
                "others": selectors.session_other_bookings(session=session),
                "is_chair": session.chair_id == request.user.pk,
                "can_change": may_change,
                "now": now,
            },
        )


class _SessionChangeBase(View):
    """A page that changes a session: CPS duty only (403 for anyone else who may see it)."""

    def _session(self, request, pk: int):
        session = selectors.session_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_forumsession", session))
        return session


class SessionUpdateView(_SessionChangeBase):
    """CPS duty moves a forum, or changes its venue, chair or slots, and says why (seed 000)."""

    def get(self, request, pk: int):
        session = self._session(request, pk)
        if session.is_cancelled:
            messages.info(request, "This forum has been cancelled and can no longer be changed.")
            return redirect(session)
        form = SessionChangeForm(initial=SessionChangeForm.initial_for(session))
        return self._render(request, session, form)

    def post(self, request, pk: int):
        session = self._session(request, pk)
        form = SessionChangeForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_update(
                    session=session, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    "The session has been changed. The chair and the social workers of the "
                    "children booked have been told.",
                )
                return redirect(session)
        return self._render(request, session, form, invalid=True)

    def _render(self, request, session, form, invalid=False):
        return render_form(
            request,
            "forums/session_change.html",
            {
                "form": form,
                "session": session,
                "booked": selectors.session_live_count(session=session),
                "part1": timescale("part1_submitted"),
            },
            invalid=invalid,
        )


class SessionCancelView(_SessionChangeBase):
    """CPS duty cancels a forum not yet held; every booking in it is cancelled (seed 000)."""

    def get(self, request, pk: int):
        session = self._session(request, pk)
        if session.is_cancelled:
            messages.info(request, "This forum has already been cancelled.")
            return redirect(session)
        return self._render(request, session, SessionCancelForm())

    def post(self, request, pk: int):
        session = self._session(request, pk)
        form = SessionCancelForm(request.POST)
        if form.is_valid():
            booked = selectors.session_live_count(session=session)
            try:
                session = services.session_cancel(
                    session=session, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    "The session has been cancelled."
                    + (
                        f" {_children(booked)} booked into it: their social workers have been "
                        "told to book another forum."
                        if booked
                        else ""
                    ),
                )
                return redirect(session)
        return self._render(request, session, form, invalid=True)

    def _render(self, request, session, form, invalid=False):
        booked = selectors.session_live_count(session=session)
        return render_form(
            request,
            "forums/session_cancel.html",
            {"form": form, "session": session, "booked": booked},
            invalid=invalid,
        )


def _children(n: int) -> str:
    return f"{n} child was" if n == 1 else f"{n} children were"


class SessionAgendaView(View):
    """The chair's agenda: each child in slot order with their plan, placement, legal status,
    the proceedings against 26 weeks, and their Part 1 in full with its papers (seed 000)."""

    def get(self, request, pk: int):
        session = selectors.session_get_for_user(user=request.user, pk=pk)
        now = timezone.now()
        slots = [s for s in selectors.session_slots(session=session, now=now) if s.booking]
        for slot in slots:
            # The forum's day, a condition of presenting, is read from the page's session.
            slot.booking.session = session
            slot.booking.transitions = available(slot.booking, request.user)
        items = selectors.agenda_items(slots=slots, now=now)
        for slot in slots:
            slot.booking.agenda = items[slot.booking.pk]
        return render(
            request,
            "forums/session_agenda.html",
            {
                "session": session,
                "slots": slots,
                "free": session.slot_count - len(slots),
                "is_chair": session.chair_id == request.user.pk,
                "may_minute": request.user.has_perm("forums.record_forum_minutes", session)
                and not session.is_cancelled,
                "attendees": list(session.attendees.all()),
                "today": timezone.localdate(),
                "now": now,
            },
        )


class SessionMinutesView(View):
    """The chair records who attended the forum and its minutes, on its day or after."""

    def _session(self, request, pk: int):
        session = selectors.session_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.record_forum_minutes", session))
        return session

    def get(self, request, pk: int):
        session = self._session(request, pk)
        initial = {
            "attendees": list(session.attendees.values_list("pk", flat=True)),
            "other_attendees": session.other_attendees,
            "minutes": session.minutes,
        }
        return self._render(request, session, SessionMinutesForm(initial=initial))

    def post(self, request, pk: int):
        session = self._session(request, pk)
        form = SessionMinutesForm(request.POST)
        if form.is_valid():
            try:
                services.session_minutes_record(
                    session=session,
                    by=request.user,
                    attendees=list(form.cleaned_data["attendees"]),
                    other_attendees=form.cleaned_data["other_attendees"],
                    minutes=form.cleaned_data["minutes"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The attendance and minutes of the forum are saved.")
                return redirect("forums:session-agenda", session.pk)
        return self._render(request, session, form, invalid=True)

    def _render(self, request, session, form, invalid=False):
        return render_form(
            request,
            "forums/session_minutes.html",
            {"form": form, "session": session},
            invalid=invalid,
        )


# -- bookings ---------------------------------------------------------------------------------


class BookingCreateView(View):
    def get(self, request):
        initial = {}
        child = self._child(request)
        if child is not None:
            initial["child"] = child.pk
        session_id = int_param(request, "session")
        if session_id:
            initial["session"] = session_id
        form = BookingForm(initial=initial, user=request.user, show_connected=_connected(child))
        return self._render(request, form, child)

    def post(self, request):
        child_id = int_or_none(request.POST.get("child", ""))
        child = (
            selectors.children_to_book(user=request.user).filter(pk=child_id).first()
            if child_id
            else None
        )
        form = BookingForm(request.POST, user=request.user, show_connected=_connected(child))
        if form.is_valid():
            data = form.cleaned_data
            child = data["child"]
            deny_unless(request.user.has_perm("forums.add_booking", child))
            try:
                booking = services.booking_request(by=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Slot {booking.slot_number} requested for {child.full_name}. CPS duty will "
                    "confirm it."
                    + (
                        f" This forum is after the second review "
                        f"({booking.after_second_review_on:%-d %B %Y})."
                        if booking.after_second_review_on
                        else ""
                    ),
                )
                # The cut-off and the missing plan stay on the booking's page until dealt with.
                return redirect(booking)
        return self._render(request, form, child, invalid=True)

    def _child(self, request):
        pk = int_param(request, "child")
        if pk is None:
            return None
        child = child_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.add_booking", child))
        return child

    def _render(self, request, form, child, invalid=False):
        exemption = selectors.exemption_for(child) if child is not None else None
        book_now = selectors.immediate_booking_prompt(child=child) if child is not None else ""
        return render_form(
            request,
            "forums/booking_form.html",
            {
                "form": form,
                "child": child,
                "exemption": exemption,
                "book_now": book_now,
                "cutoff_warning": _chosen_session_warning(form),
                # The chair advises on a plan: one is drafted before the forum (seed 000).
                "needs_plan": child is not None and plans.current_plan(child=child) is None,
                "may_draft_plan": child is not None
                and request.user.has_perm("permanence.add_plan", child),
            },
            invalid=invalid,
        )


def _chosen_session_warning(form) -> str:
    """The Part 1 cut-off warning for the session chosen (given in the link, or on a form sent
    back with a mistake), or ""."""
    chosen = form.data.get("session") if form.is_bound else form.initial.get("session")
    pk = int_or_none(chosen) if chosen else None
    session = form.fields["session"].queryset.filter(pk=pk).first() if pk else None
    return selectors.part1_cutoff_warning(session) if session is not None else ""


def _connected(child) -> bool:
    """Ask about a broken-down connected-person placement unless the child is known not to be
    in one (seed 000)."""
    return child is None or selectors.exemption_for(child) is not None


def int_or_none(value) -> int | None:
    return int(value) if str(value).isdigit() else None


class BookingDetailView(View):
    def get(self, request, pk: int):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_booking", booking))
        user = request.user
        part1 = Part1.objects.filter(booking=booking).first()
        part2 = Part2.objects.filter(booking=booking).first()
        may_part2 = user.has_perm("forums.change_part2", booking)
        # The buttons come from the state machine: state, conditions and permission together.
        transitions = available(booking, user)
        before_forum = booking.status in Booking.BEFORE_FORUM and not booking.session.is_cancelled
        part1_in = part1 is not None and part1.is_submitted
        return render(
            request,
            "forums/booking_detail.html",
            {
                "booking": booking,
                "cutoff_warning": selectors.part1_cutoff_warning(booking.session)
                if before_forum and not part1_in
                else "",
                # A forum advises on a plan: without one the chair cannot record the advice.
                "needs_plan": before_forum and plans.current_plan(child=booking.child) is None,
                "may_draft_plan": user.has_perm("permanence.add_plan", booking.child),
                "child": booking.child,
                "session": booking.session,
                "part1": part1,
                "part2": part2,
                "part1_status": part1_status(booking),
                "transitions": transitions,
                "can_edit_part1": user.has_perm("forums.change_part1", booking)
                and not part1_in
                and booking.status in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED),
                "can_view_part1": part1 is not None and user.has_perm("forums.view_part1", booking),
                # Why the chair cannot record the case as presented yet, in the rule's words.
                "present_needs": reasons_not(booking, "present") if may_part2 else [],
                "can_write_part2": may_part2
                and booking.status in (Booking.Status.PART1_SUBMITTED, Booking.Status.PRESENTED),
                "can_view_part2": part2 is not None
                and (part2.is_sent or may_part2)
                and user.has_perm("forums.view_part2", booking),
                "history": selectors.booking_history(booking=booking),
                "can_rebook": booking.session.is_cancelled
                and user.has_perm("forums.add_booking", booking.child)
                and not selectors.child_has_open_booking(child=booking.child),
            },
        )


class BookingConfirmView(View):
    def post(self, request, pk: int):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.confirm_booking", booking))
        try:
            services.booking_confirm(booking=booking, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Slot {booking.slot_number} confirmed for {booking.child.full_name}. "
                "The social worker has been told.",
            )
        return redirect(booking)


class _BookingReasonView(View):
    """A form asking for a reason, then one service on the booking."""

    perm = ""
    label = ""
    button = ""
    title = ""
    success = ""

    def service(self, **kwargs):  # pragma: no cover - each subclass names its service
        raise NotImplementedError

    def _booking(self, request, pk):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm(self.perm, booking))
        return booking

    def get(self, request, pk: int):
        booking = self._booking(request, pk)
        return self._render(request, booking, self._form())

    def post(self, request, pk: int):
        booking = self._booking(request, pk)
        form = self._form(request.POST)
        if form.is_valid():
            try:
                self.service(booking=booking, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(booking)
        return self._render(request, booking, form, invalid=True)

    def _form(self, data=None):
        return ReasonForm(data, label=self.label, button=self.button)

    def _render(self, request, booking, form, invalid=False):
        return render_form(
            request,
            "forums/booking_reason.html",
            {"form": form, "booking": booking, "title": self.title},
            invalid=invalid,
        )


class BookingDeclineView(_BookingReasonView):
    perm = "forums.confirm_booking"
    label = "Reason for declining"
    button = "Decline the booking"
    title = "Decline this booking"
    success = "The booking has been declined. The social worker has been told why."

    def service(self, **kwargs):
        return services.booking_decline(**kwargs)


class BookingCancelView(_BookingReasonView):
    perm = "forums.confirm_booking"
    label = "Reason for cancelling"
    button = "Cancel the booking"
    title = "Cancel this booking"
    success = "The booking has been cancelled and the slot is free."

    def service(self, **kwargs):
        return services.booking_cancel(**kwargs)


class BookingWithdrawView(_BookingReasonView):
    perm = "forums.withdraw_booking"
    label = "Reason for withdrawing"
    button = "Withdraw the booking"
    title = "Withdraw this booking"
    success = "The booking has been withdrawn and the slot is free. CPS duty has been told."

    def service(self, **kwargs):
        return services.booking_withdraw(**kwargs)


class BookingPresentView(View):
    def post(self, request, pk: int):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_part2", booking))
        try:
            services.booking_present(booking=booking, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if request.POST.get("next") == "agenda":
                return redirect("forums:session-agenda", booking.session_id)
            return redirect(booking)
        messages.success(
            request, f"{booking.child.full_name}'s case is recorded as presented. Now write Part 2."
        )
        return redirect("forums:part2-edit", booking.pk)


# -- Part 1 -----------------------------------------------------------------------------------


class Part1EditView(View):
    """The social worker drafts and submits Part 1; once submitted it is read-only (000)."""

    def _booking(self, request, pk):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_part1", booking))
        return booking

    def get(self, request, pk: int):
        booking = self._booking(request, pk)
        part1 = Part1.objects.filter(booking=booking).first()
        if (part1 is not None and part1.is_submitted) or booking.status not in (
            Booking.Status.REQUESTED,
            Booking.Status.CONFIRMED,
        ):
            if part1 is not None:
                messages.info(request, "Part 1 has been submitted and can no longer be changed.")
                return redirect("forums:part1-detail", booking.pk)
            return redirect(booking)
        # A new Part 1 starts from what the record knows; the worker edits it (seed 000).
        initial = selectors.part1_initial(booking) if part1 is None else None
        return self._render(request, booking, Part1Form(instance=part1, initial=initial))

    def post(self, request, pk: int):
        booking = self._booking(request, pk)
        form = Part1Form(request.POST, request.FILES)
        if form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in Part1.CONTENT_FIELDS}
            upload = form.cleaned_data.get("attachment")
            try:
                services.part1_save(booking=booking, by=request.user, **data)
                if upload is not None:
                    services.part1_attach(
                        booking=booking,
                        by=request.user,
                        kind=form.cleaned_data.get("attachment_kind") or "",
                        upload=upload,
                    )
                    messages.success(request, f"{upload.name} is attached to Part 1.")
                if request.POST.get("action") == "submit":
                    part1 = services.part1_submit(booking=booking, by=request.user)
                    messages.success(
                        request,
                        "Part 1 has been submitted to CPS duty"
                        + (
                            " (after the deadline, so it is marked late)."
                            if part1.was_late
                            else "."
                        ),
                    )
                    return redirect("forums:part1-detail", booking.pk)
            except ValidationError as exc:
                apply_validation_error(form, exc)
                if upload is not None and Part1.objects.filter(booking=booking).exists():
                    messages.info(request, "Your draft of Part 1 is saved.")
            else:
                messages.success(request, "Your draft of Part 1 has been saved.")
                return redirect("forums:part1-edit", booking.pk)
        return self._render(request, booking, form, invalid=True)

    def _render(self, request, booking, form, invalid=False):
        return render_form(
            request,
            "forums/part1_form.html",
            {
                "form": form,
                "booking": booking,
                "child": booking.child,
                "session": booking.session,
                "status": part1_status(booking),
                "saved_draft": Part1.objects.filter(booking=booking).exists(),
                "attachments": _papers(booking),
            },
            invalid=invalid,
        )


def _papers(booking: Booking) -> list[Part1Attachment]:
    return list(
        Part1Attachment.objects.filter(part1__booking=booking).select_related("uploaded_by")
    )


class _Part1PaperBase(View):
    def _paper(self, request, pk: int, paper_pk: int) -> Part1Attachment:
        # Outside the reader's scope, the booking is a 404 before the paper is looked at.
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_part1", booking))
        paper = (
            Part1Attachment.objects.filter(pk=paper_pk, part1__booking=booking)
            .select_related("part1", "part1__booking", "part1__booking__child")
            .first()
        )
        if paper is None:
            raise Http404("No such paper")
        return paper


class Part1PaperView(_Part1PaperBase):
    """A paper sent with Part 1, only to those who may read Part 1 for the child (never a public
    file address)."""

    def get(self, request, pk: int, paper_pk: int):
        paper = self._paper(request, pk, paper_pk)
        child = paper.part1.booking.child
        return FileResponse(
            paper.file.open("rb"),
            as_attachment=True,
            filename=f"part-1-{paper.kind}-{child.child_id}-{paper.pk}.{paper.suffix}",
        )


class Part1PaperRemoveView(_Part1PaperBase):
    def post(self, request, pk: int, paper_pk: int):
        paper = self._paper(request, pk, paper_pk)
        deny_unless(request.user.has_perm("forums.change_part1", paper.part1.booking))
        try:
            services.part1_detach(attachment=paper, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{paper.original_name} has been removed from Part 1.")
        return redirect("forums:part1-edit", pk)


def part1_context(request, pk: int) -> dict | None:
    """What the Part 1 page and its PDF show, read once for both: None when Part 1 has not
    been started. A booking outside the reader's scope is a 404."""
    booking = selectors.booking_get_for_user(user=request.user, pk=pk)
    deny_unless(request.user.has_perm("forums.view_part1", booking))
    part1 = Part1.objects.filter(booking=booking).select_related("submitted_by").first()
    if part1 is None:
        return None
    return {
        "booking": booking,
        "child": booking.child,
        "session": booking.session,
        "part1": part1,
        "attachments": _papers(booking),
        "status": part1_status(booking),
        "can_edit": request.user.has_perm("forums.change_part1", booking)
        and not part1.is_submitted
        and booking.status in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED),
    }


class Part1DetailView(View):
    def get(self, request, pk: int):
        context = part1_context(request, pk)
        if context is None:
            messages.info(request, "Part 1 has not been started.")
            return redirect(selectors.booking_get_for_user(user=request.user, pk=pk))
        return render(request, "forums/part1_detail.html", context)


class Part1PdfView(View):
    """Part 1 as a PDF marked Official – sensitive, its download in the child's history."""

    def get(self, request, pk: int):
        context = part1_context(request, pk)
        if context is None:
            messages.info(request, "Part 1 has not been started.")
            return redirect(selectors.booking_get_for_user(user=request.user, pk=pk))
        return pdf_response(
            request,
            template="documents/part1.html",
            context=context,
            child=context["child"],
            document=DocumentDownload.Document.PART1,
            record_id=context["booking"].pk,
            title=f"Part 1 for child {context['child'].child_id}",
        )


# -- Part 2 -----------------------------------------------------------------------------------


class Part2EditView(View):
    """The chair writes Part 2 and sends it (seed 000)."""

    def _booking(self, request, pk):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_part2", booking))
        return booking

    def get(self, request, pk: int):
        booking = self._booking(request, pk)
        part2 = Part2.objects.filter(booking=booking).first()
        if part2 is not None and part2.is_sent:
            return redirect("forums:part2-detail", booking.pk)
        if booking.status not in (Booking.Status.PART1_SUBMITTED, Booking.Status.PRESENTED):
            messages.info(request, "Part 2 is written once Part 1 has been submitted.")
            return redirect(booking)
        part1 = Part1.objects.filter(booking=booking).first()
        initial = _part2_initial(booking, part1, part2)
        rows = max(initial.pop("rows", 0), int_param(request, "rows") or 0)
        form = Part2Form(
            initial=initial, show_cpr=_needs_cpr(initial.get("advised_route")), rows=rows
        )
        return self._render(request, booking, form, part1)

    def post(self, request, pk: int):
        booking = self._booking(request, pk)
        part1 = Part1.objects.filter(booking=booking).first()
        rows = request.POST.get("rows", "")
        form = Part2Form(
            request.POST, show_cpr=False, rows=int(rows) if rows.isdigit() else TASK_ROWS
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.part2_save(
                    booking=booking,
                    by=request.user,
                    advice=data["advice"],
                    advised_route=data["advised_route"],
                    advised_contingency_route=data["advised_contingency_route"],
                    tasks=data["tasks"],
                    sgo_with_relatives=data["sgo_with_relatives"],
                )
                if request.POST.get("action") == "more":
                    url = reverse("forums:part2-edit", args=[booking.pk])
                    return redirect(f"{url}?rows={form.rows + 1}")
                if request.POST.get("action") == "send":
                    services.part2_send(booking=booking, by=request.user)
                    messages.success(
                        request,
                        "Part 2 has been sent to the social worker"
                        + (", with a copy to the IRO." if booking.child.iro_id else ".")
                        + " Its tasks are now actions on the plan.",
                    )
                    return redirect("forums:session-agenda", booking.session_id)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Your draft of Part 2 has been saved.")
                return redirect("forums:part2-edit", booking.pk)
        return self._render(request, booking, form, part1, invalid=True)

    def _render(self, request, booking, form, part1, invalid=False):
        return render_form(
            request,
            "forums/part2_form.html",
            {
                "form": form,
                "booking": booking,
                "child": booking.child,
                "session": booking.session,
                "part1": part1,
            },
            invalid=invalid,
        )


def _needs_cpr(route) -> bool:
    return plans.is_outside_birth_family(route or "")


def _part2_initial(booking: Booking, part1: Part1 | None, part2: Part2 | None) -> dict:
    """A new Part 2 starts from Part 1's proposal; the CPR is offered to the social worker."""
    initial: dict = {}
    if part2 is not None:
        initial = {
            "advice": part2.advice,
            "advised_route": part2.advised_route,
            "advised_contingency_route": part2.advised_contingency_route,
            "sgo_with_relatives": part2.sgo_with_relatives,
        }
        n = 0
        for task in part2.tasks.all():
            if task.is_child_permanence_report:
                initial["cpr_owner"] = task.owner_id
                initial["cpr_due_on"] = task.due_on
            else:
                n += 1
                initial[f"task_{n}_what"] = task.what
                initial[f"task_{n}_owner"] = task.owner_id
                initial[f"task_{n}_due_on"] = task.due_on
        # Every saved task has its row, and one more is free.
        initial["rows"] = n + 1
        return initial
    if part1 is not None:
        initial["advised_route"] = part1.proposed_route
        initial["advised_contingency_route"] = part1.contingency_route
    if booking.child.social_worker_id:
        initial["cpr_owner"] = booking.child.social_worker_id
    return initial


class Part2TaskDoneView(View):
    """A task the forum set is ticked done from the Part 2 page: its plan action is done."""

    def post(self, request, pk: int, task_pk: int):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_part2", booking))
        task = (
            Part2Task.objects.filter(pk=task_pk, part2__booking=booking)
            .select_related("part2")
            .first()
        )
        if task is None:
            raise Http404("No such task")
        try:
            services.part2_task_done(task=task, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Done: {task.what}.")
        return redirect("forums:part2-detail", booking.pk)


def part2_context(request, pk: int) -> dict | None:
    """What the Part 2 page and its PDF show, read once for both: None when there is no Part 2
    this reader may see yet. A booking outside the reader's scope is a 404."""
    booking = selectors.booking_get_for_user(user=request.user, pk=pk)
    deny_unless(request.user.has_perm("forums.view_part2", booking))
    part2 = Part2.objects.filter(booking=booking).select_related("sent_by").first()
    may_write = request.user.has_perm("forums.change_part2", booking)
    if part2 is None or not (part2.is_sent or may_write):
        return None
    return {
        "booking": booking,
        "child": booking.child,
        "session": booking.session,
        "part2": part2,
        "tasks": _tasks_with_actions(part2, request.user),
        "can_edit": may_write and not part2.is_sent,
    }


def _tasks_with_actions(part2: Part2, user) -> list:
    """Part 2's tasks, each with the plan action it became: done or not, and whether this
    reader may tick it (the plan's own rule: its owner, or those who edit the child's case)."""
    tasks = list(part2.tasks.select_related("owner"))
    actions = plans.plan_actions(t.plan_action_id for t in tasks) if part2.is_sent else {}
    for task in tasks:
        task.action = actions.get(task.plan_action_id)
        task.can_tick = (
            task.action is not None
            and not task.action.is_done
            and user.has_perm("permanence.change_planaction", task.action)
        )
    return tasks


class Part2DetailView(View):
    def get(self, request, pk: int):
        context = part2_context(request, pk)
        if context is None:
            messages.info(request, "Part 2 has not been sent yet.")
            return redirect(selectors.booking_get_for_user(user=request.user, pk=pk))
        return render(request, "forums/part2_detail.html", context)


class Part2PdfView(View):
    """Part 2 as a PDF marked Official – sensitive, its download in the child's history."""

    def get(self, request, pk: int):
        context = part2_context(request, pk)
        if context is None:
            messages.info(request, "Part 2 has not been sent yet.")
            return redirect(selectors.booking_get_for_user(user=request.user, pk=pk))
        context["for_document"] = True
        return pdf_response(
            request,
            template="documents/part2.html",
            context=context,
            child=context["child"],
            document=DocumentDownload.Document.PART2,
            record_id=context["booking"].pk,
            title=f"Part 2 for child {context['child'].child_id}",
        )


class Part2CopiesView(View):
    """The IRO's copies of Part 2 for the children allocated to them (seed 000)."""

    def get(self, request):
        copies = selectors.part2_copies_for_iro(user=request.user)
        page = Paginator(copies, 25).get_page(request.GET.get("page"))
        return render(request, "forums/part2_copies.html", {"page": page})
