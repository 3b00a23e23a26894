"""The reader's notifications (issue 16): filtered by kind and by child, marked read together,
and how the reader hears of them by e-mail."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from permanence import accounts, notifications
from permanence.models import EmailAlerts, NotificationKind

CHOICE_HINTS = {
    EmailAlerts.EACH: "An e-mail as each notification arrives.",
    EmailAlerts.DIGEST: "One e-mail each morning at 7am listing the notifications since the "
    "last one. Nothing is sent on a day with none.",
    EmailAlerts.NONE: "Nothing by e-mail. Your notifications are still here.",
}


def _filters(data: QueryDict, user) -> tuple[str, int | None, str]:
    """The kind and child asked for (those that make sense), and a note when one did not."""
    kind = data.get("kind", "")
    if kind not in NotificationKind.values:
        kind = ""
    child_id, note = None, ""
    raw = data.get("child", "")
    if raw:
        try:
            child_id = int(raw)
        except ValueError:
            note = "Choose a child from the list."
    return kind, child_id, note


def _query(kind: str, child_id: int | None) -> str:
    query = QueryDict(mutable=True)
    if kind:
        query["kind"] = kind
    if child_id is not None:
        query["child"] = str(child_id)
    return query.urlencode()


class NotificationListView(View):
    """The user's notifications, newest first, filtered by kind and by child."""

    page_size = 30

    def get(self, request):
        user = request.user
        kind, child_id, note = _filters(request.GET, user)
        notes = notifications.notifications_for(user=user, kind=kind, child_id=child_id)
        page = Paginator(notes, self.page_size).get_page(request.GET.get("page"))
        unread = notes.filter(read_at__isnull=True).count()
        filtered = bool(kind or child_id is not None)
        return render(
            request,
            "permanence/notification_list.html",
            {
                "page": page,
                "kinds": NotificationKind.choices,
                "kind": kind,
                "children": list(notifications.notification_children(user)),
                "child_id": child_id,
                "note": note,
                "filtered": filtered,
                "unread": unread,
                "query": _query(kind, child_id),
                "email_alerts": user.get_email_alerts_display(),
            },
        )


class NotificationMarkReadView(View):
    """Mark as read every unread notification the list shows (with its filters), or all."""

    def post(self, request):
        kind, child_id, _ = _filters(request.POST, request.user)
        count = notifications.notifications_mark_read(
            user=request.user, kind=kind, child_id=child_id
        )
        messages.success(
            request,
            f"{count} notification{'' if count == 1 else 's'} marked as read."
            if count
            else "There were no unread notifications to mark.",
        )
        query = _query(kind, child_id)
        url = reverse("permanence:notification-list")
        return redirect(f"{url}?{query}" if query else url)


class EmailAlertsForm(forms.Form):
    email_alerts = forms.ChoiceField(
        label="How do you want to hear about your notifications by e-mail?",
        choices=[
            Choice(value, label, hint=CHOICE_HINTS[value]) for value, label in EmailAlerts.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to hear about your notifications"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("email_alerts", legend_size=Size.LARGE, legend_tag="h1"),
            Submit("save", "Save"),
        )


class NotificationSettingsView(View):
    """How the user hears of their notifications by e-mail: each one, a daily digest, or none."""

    template_name = "permanence/notification_settings.html"

    def get(self, request):
        form = EmailAlertsForm(initial={"email_alerts": request.user.email_alerts})
        return self._render(request, form)

    def post(self, request):
        form = EmailAlertsForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        user = accounts.user_email_alerts_set(
            user=request.user, choice=form.cleaned_data["email_alerts"], by=request.user
        )
        messages.success(request, f"Saved: {user.get_email_alerts_display()}.")
        return redirect("permanence:notification-list")

    def _render(self, request, form, status: int = 200):
        return render(
            request,
            self.template_name,
            {"form": form, "has_email": bool(request.user.email)},
            status=status,
        )
