"""Template context every page needs: the service's name and the navigation for the user."""

from django.conf import settings

from permanence.navigation import nav_for
from permanence.notifications import unread_count


def service(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "unread_notifications": unread_count(user) if signed_in else 0,
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "navigation": nav_for(user, request.path) if user is not None else [],
    }
