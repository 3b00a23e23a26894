"""Pages after the adoption or fostering panel (000, 003): the agency decision maker's decision
on the panel's recommendation and, for long-term fostering, the head of service's
ratification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from forums import selectors
from forums.matching_forms import MatchDecisionForm, MatchRatifyForm
from forums.models import MeetingType
from forums.models.meetings import PANEL_KINDS
from forums.services import matching
from forums.views.common import apply_validation_error, deny_unless, render_form


def matching_context(meeting, user) -> dict:
    """What the meeting page shows of the match: the household, the matching meeting the panel
    hears it from, and the decision and ratification to record next."""
    match = meeting.potential_match
    kind = meeting.meeting_type.kind
    if match is None:
        return {"match": None}
    can_change = user.has_perm("forums.change_meeting", meeting)
    is_panel = kind in PANEL_KINDS
    decided = bool(match.decision)
    return {
        "match": match,
        "from_matching_meeting": (
            matching.matching_meeting_for(match)
            if kind != MeetingType.Kind.MATCHING_MEETING
            else None
        ),
        "can_decide": is_panel and can_change and bool(match.panel_recommendation) and not decided,
        "needs_ratification": matching.needs_ratification(meeting) and match.is_approved,
        "can_ratify": (
            matching.needs_ratification(meeting)
            and match.is_approved
            and match.ratified_on is None
            and matching.may_ratify(user)
        ),
    }


class _PanelStep(View):
    template = "forums/match_decision.html"
    form_class = MatchDecisionForm
    heading = ""

    def _meeting(self, request, pk):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm(self.permission, meeting))
        if meeting.meeting_type.kind not in PANEL_KINDS or meeting.potential_match_id is None:
            raise Http404("Only a panel that heard a proposed match has a decision")
        return meeting

    def get(self, request, pk: int):
        meeting = self._meeting(request, pk)
        return self._render(request, meeting, self.form_class())

    def post(self, request, pk: int):
        meeting = self._meeting(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(meeting, request.user, form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.done)
                return redirect(meeting)
        return self._render(request, meeting, form, invalid=True)

    def _render(self, request, meeting, form, invalid=False):
        return render_form(
            request,
            self.template,
            {
                "form": form,
                "meeting": meeting,
                "child": meeting.child,
                "match": meeting.potential_match,
                "heading": self.heading,
            },
            invalid=invalid,
        )


class MatchDecisionView(_PanelStep):
    """The agency decision maker's decision: date, decision and who (000)."""

    permission = "forums.change_meeting"
    heading = "Record the agency decision maker's decision"
    done = "The agency decision maker's decision is recorded."

    def save(self, meeting, user, data):
        matching.match_decision_record(
            meeting=meeting,
            by=user,
            decision=data["decision"],
            decided_on=data["decided_on"],
            decided_by=data["decided_by"],
        )


class MatchRatifyView(_PanelStep):
    """The head of service ratifies an approved long-term fostering match (003)."""

    permission = "forums.view_meeting"
    form_class = MatchRatifyForm
    heading = "Ratify the long-term fostering match"
    done = "You have ratified the match."

    def _meeting(self, request, pk):
        meeting = super()._meeting(request, pk)
        deny_unless(matching.may_ratify(request.user))
        return meeting

    def save(self, meeting, user, data):
        matching.match_ratify(meeting=meeting, by=user, ratified_on=data["ratified_on"])
