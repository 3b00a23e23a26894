"""GOV.UK-style error pages."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    # A body too long or with too many fields: rendered without reading the request again.
    page = loader.get_template("400.html").render({"service_name": settings.SERVICE_NAME})
    return HttpResponseBadRequest(page)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: whatever failed may have been the database.
    page = loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME})
    return HttpResponseServerError(page)
