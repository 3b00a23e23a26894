"""The user's forum sessions and meetings as a calendar (RFC 5545), to download or subscribe to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View

from forums import selectors
from forums.ics import calendar_bytes
from forums.models import CalendarFeed
from forums.services.calendar import (
    calendar_feed_renew,
    calendar_feed_turn_off,
    calendar_feed_user,
    calendar_feeds_allowed,
)


def _ics_response(user, *, attachment: bool) -> HttpResponse:
    body = calendar_bytes(
        selectors.calendar_entries_for_user(user=user), name="Forums and meetings"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = 'attachment; filename="forums-and-meetings.ics"'
    # The feed names children by identifier: never cached by anything in between.
    response["Cache-Control"] = "private, no-store"
    return response


class CalendarPageView(View):
    """How to get the calendar: download it, or subscribe with a private address."""

    def get(self, request):
        return self._render(request, token=None)

    def post(self, request):
        if request.POST.get("action") == "turn-off":
            if calendar_feed_turn_off(by=request.user):
                messages.success(
                    request, "Your private calendar address is switched off. It no longer works."
                )
            return redirect("forums:calendar")
        if not calendar_feeds_allowed():
            messages.error(request, "Subscribing to calendars is switched off for this service.")
            return redirect("forums:calendar")
        return self._render(request, token=calendar_feed_renew(by=request.user))

    def _render(self, request, *, token):
        feed_url = None
        if token:
            feed_url = request.build_absolute_uri(reverse("forums:calendar-feed", args=[token]))
        return render(
            request,
            "forums/calendar.html",
            {
                "entries": selectors.calendar_entries_for_user(user=request.user)[:50],
                "feed_url": feed_url,
                "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
                "feeds_allowed": calendar_feeds_allowed(),
            },
        )


class CalendarDownloadView(View):
    def get(self, request):
        return _ics_response(request.user, attachment=True)


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """A calendar program cannot sign in: the secret in the address stands in for it.

    The secret is in the path because calendar programs take nothing but an address. Only its
    digest is stored; the owner can renew it or switch it off, the administrator can switch all
    of them off (CALENDAR_FEEDS_ENABLED); our own access log masks it (permanence/access_log.py).
    """

    def get(self, request, token: str):
        user = calendar_feed_user(token=token)
        if user is None:
            raise Http404("No such calendar")
        return _ics_response(user, attachment=False)
