"""Where the forum chair starts (issue 16): the agenda of the next forum they chair."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View

from forums.models import ForumSession


class NextAgendaView(View):
    def get(self, request):
        # The next forum they chair, today's included; a cancelled one is not held.
        session = (
            ForumSession.objects.filter(
                chair=request.user,
                forum_date__gte=timezone.localdate(),
                cancelled_at__isnull=True,
            )
            .order_by("forum_date", "start_time", "pk")
            .first()
        )
        if session is None:
            messages.info(request, "You are not chairing a forum to come.")
            return redirect("forums:home")
        return redirect("forums:session-agenda", pk=session.pk)
