"""The user's forum sessions and meetings as a calendar (RFC 5545), to download or subscribe to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View

from forums import selectors, services
from forums.ics import calendar_bytes
from forums.models import CalendarFeed
from forums.models.calendar import token_digest


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
        token = services.calendar_feed_renew(by=request.user)
        return self._render(request, token=token)

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
            },
        )


class CalendarDownloadView(View):
    def get(self, request):
        return _ics_response(request.user, attachment=True)


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """A calendar program cannot sign in: the secret in the address stands in for it."""

    def get(self, request, token: str):
        feed = (
            CalendarFeed.objects.select_related("user")
            .filter(token_digest=token_digest(token))
            .first()
        )
        if feed is None or not feed.user.is_active:
            raise Http404("No such calendar")
        return _ics_response(feed.user, attachment=False)
