"""Session and response rules for signed-in users (issue 11, "nothing lost, nothing leaked")."""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# The session key holding when the session was last saved, in seconds since the epoch.
LAST_SEEN = "_last_seen"


class SlidingSessionMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE without a request, not after sign-in.

    Django sets a session's expiry whenever it saves it. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) would be a database write per page; instead a signed-in user's
    session is marked changed once SESSION_REFRESH_SECONDS have passed since it was last saved, so
    SessionMiddleware saves it with a fresh expiry and cookie. Runs inside SessionMiddleware, after
    the view, so a session the view ended (signing out) is not brought back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN, 0)
            if now - last >= settings.SESSION_REFRESH_SECONDS:
                request.session[LAST_SEEN] = now
        return response


class NoStoreForSignedInMiddleware:
    """Tell browsers and proxies to keep no copy of anything a signed-in user was sent.

    Nearly every page holds children's details, so the rule is "everything a signed-in user
    receives", not a list of sensitive views: after sign-out, a shared computer's back button or
    disk cache shows nothing. Static files never reach this middleware (WhiteNoise answers them
    first), so they stay cacheable. A response already marked no-store is left as it is; any
    other caching a view asked for (even "public") is overridden, since no page with case data may
    be kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            # Django's own never-cache headers (max-age=0, no-cache, no-store, must-revalidate,
            # private, and an Expires in the past); patching drops any "public".
            add_never_cache_headers(response)
        # For HTTP/1.0 caches, which read only this.
        response["Pragma"] = "no-cache"
        return response
