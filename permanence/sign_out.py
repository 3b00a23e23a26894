"""Sign out of every device: end all of a member of staff's sessions at once (issue 11).

For someone who left a session open on a shared or lost computer. Sessions live in the
database (Django's default store, which this service uses), keyed by a random id rather than by
user, so ending one person's sessions means reading each unexpired session to find theirs. Only
unexpired rows are read, a working day's worth of sign-ins: a few thousand rows at most. The
alternative, a per-user value folded into the session hash, needs a new column on the user and
would be the only change of its kind; changing the password already ends other sessions that way.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from permanence.models import User

logger = logging.getLogger(__name__)

DATABASE_SESSIONS = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def user_sessions_end(*, user: User, by: User) -> int:
    """End every unexpired session signed in as USER, on any device; returns how many."""
    if settings.SESSION_ENGINE not in DATABASE_SESSIONS:
        raise ImproperlyConfigured("Signing out everywhere needs sessions kept in the database.")
    wanted = str(user.pk)
    ended: list[str] = []
    unexpired = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in unexpired.iterator(chunk_size=1000):
        if session.get_decoded().get(SESSION_KEY) == wanted:
            ended.append(session.session_key)
    # Through the session store, so that a cached copy goes too (cached_db).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in ended:
        store(session_key=key).delete()
    logger.info("%s ended %d sessions of %s", by.username, len(ended), user.username)
    return len(ended)


class SignOutEverywhereView(View):
    """Ask, then sign the user out on every device, this one included."""

    template_name = "registration/sign_out_everywhere.html"

    def get(self, request):
        return render(request, self.template_name)

    def post(self, request):
        user = request.user
        user_sessions_end(user=user, by=user)
        # This session was among those ended; logout() also clears what the request holds.
        logout(request)
        messages.success(request, "You have been signed out on every device, including this one.")
        return redirect("login")
