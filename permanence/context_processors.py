"""Template context every page needs: the service's name and the navigation for the user."""

from django.conf import settings

from permanence.navigation import nav_for


def service(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "navigation": nav_for(user, request.path) if user is not None else [],
    }
