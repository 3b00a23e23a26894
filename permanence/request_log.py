"""One structured log line per request (issue 17), for the authority's log collector.

Each line is JSON (python-json-logger, configured in settings.LOGGING) holding the method, the
URL's pattern and name, the status, the time taken, the signed-in user's id and a request id.
Never the path itself nor its query string: a path carries record ids and a calendar feed's
secret, and a search carries a child's name; the pattern ("children/<int:pk>/") says which
page without them.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings

logger = logging.getLogger("permanence.requests")

# A request id the load balancer sent (X-Request-ID) is kept so lines can be matched with its
# own logs, if it looks like an id and not something else.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(request) -> str:
    sent = request.headers.get("X-Request-ID", "")
    return sent if REQUEST_ID.match(sent) else uuid.uuid4().hex


def _is_static(path: str) -> bool:
    return path.startswith((f"/{settings.STATIC_URL.strip('/')}/", "/assets/", "/favicon"))


class RequestLogMiddleware:
    """Logs each request after its response, whatever middleware or view answered it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = _request_id(request)
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None and response.status_code < 400 and _is_static(request.path):
            # WhiteNoise's files: a page brings a dozen; the web server's own log has them.
            return response
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "route": match.route if match else None,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response.headers.setdefault("X-Request-ID", request.request_id)
        return response
