"""A request body over the limit is refused before any of it is read (issue 11).

Django limits what it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams a file upload of
any size to disk before a form can look at it. This middleware looks only at the Content-Length
header and answers 413 at once, so a 5 GB upload costs the service nothing. The load balancer
should cap the body size as well (nginx `client_max_body_size`), since it sees the bytes first.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

MB = 1024 * 1024


def _declared_length(request: HttpRequest) -> int:
    """The body's length as the client declared it. Django reads no body at all when the header
    is missing or not a number, and so nor does this."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


def too_large(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: nothing of the session or the user is needed to say it,
    # and reading them must not be what reads the body.
    limit = settings.MAX_REQUEST_BODY_BYTES
    page = loader.get_template("413.html").render(
        {"service_name": settings.SERVICE_NAME, "limit": f"{limit // MB} MB"}
    )
    return HttpResponse(page, status=413)


class RequestBodyLimitMiddleware:
    """Refuse a body declared larger than MAX_REQUEST_BODY_BYTES, before it is read."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > settings.MAX_REQUEST_BODY_BYTES:
            return too_large(request)
        return self.get_response(request)
