"""The social worker's tasks page and its one-click "Done" (issue 16). Thin: read, call one
service, redirect back with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from forums.services import meeting_action_complete
from permanence.plans.services import plan_action_complete
from tracker import worklist
from tracker.worklist_table import rows_html


class TasksView(View):
    """Your tasks: across all your children, soonest first."""

    def get(self, request):
        today = timezone.localdate()
        items = worklist.tasks_for_user(user=request.user, today=today)
        sections = worklist.sections(items, today=today)
        # A meeting's action is ticked by those who may change the meeting.
        may_tick = "forums.change_meeting" in request.user.get_all_permissions()
        token = get_token(request)
        return render(
            request,
            "tracker/worklist.html",
            {
                "items": items,
                "sections": sections,
                "rows_html": {
                    section.key: rows_html(
                        section.items, csrf_token=token, may_tick_meeting_actions=may_tick
                    )
                    for section in sections
                },
                "due_today": sum(1 for i in items if i.due == today),
            },
        )


class TaskDoneView(View):
    """Tick one of your own actions off; anyone else's, or an unknown one, is not found."""

    def post(self, request, kind: str, pk: int):
        action = worklist.action_for_user(user=request.user, kind=kind, pk=pk)
        if action is None:
            raise Http404("No such task of yours")
        try:
            if kind == worklist.PLAN_ACTION:
                plan_action_complete(action=action, by=request.user)
            else:
                meeting_action_complete(
                    action=action, by=request.user, done_on=timezone.localdate()
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"“{action.what[:120]}” is done.")
        return redirect("tracker:my-tasks")
