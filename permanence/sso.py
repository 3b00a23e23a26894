"""Single sign-on with the council's own accounts over OpenID Connect (issue 17).

mozilla-django-oidc rather than django-allauth: it is one authentication backend and two views
beside the sign-in page we have (throttling, password rules, sessions stay as they are), where
allauth would bring its own account pages, e-mail flows and templates to restyle and test.

A person who signs in is matched to a member of staff by e-mail (any case); someone new is
created with no role, and sees nothing until an administrator gives them one, unless the
council maps its directory groups to roles (OIDC_GROUP_ROLES): then each sign-in adds the roles
of the groups the provider names. Password sign-in stays for trials and is switched off with
PASSWORD_SIGN_IN_ENABLED=False.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from permanence.authcache import all_permissions, signed_in_user
from permanence.roles import Role

logger = logging.getLogger(__name__)

# What a person is told on the sign-in page when single sign-on fails; the reason is logged.
FAILED = (
    "Signing in with your council account did not work. Try again, or ask your administrator "
    "if it keeps happening."
)
NOT_SET_UP = "Signing in with a council account is not set up for this service."


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def _username(email: str, claims: dict | None = None) -> str:
    """The new account's username: the e-mail address, which the directory keeps unique."""
    return email.lower()[:150]


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, idle unless single sign-on is set up, and never an error
    page: a provider that cannot be reached or answers wrongly is a failed sign-in."""

    def __init__(self, *args, **kwargs):
        self.enabled = sso_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        # A session signed in this way is read back through get_user, set up or not.
        self.UserModel = get_user_model()

    def get_all_permissions(self, user_obj, obj=None):
        # Its permissions are Django's own (it is a ModelBackend), from the same shared cache as
        # the password backend's, so they cost no queries once known (permanence/authcache.py).
        if obj is not None:
            return set()
        return all_permissions(user_obj, super().get_all_permissions)

    def get_user(self, user_id):
        return signed_in_user(self.UserModel, user_id)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (RequestException, SuspiciousOperation, ValueError, KeyError) as exc:
            logger.warning("Single sign-on failed: %s: %s", type(exc).__name__, exc)
            return None

    def get_username(self, claims):
        return _username(claims.get("email", ""))

    @transaction.atomic
    def create_user(self, claims):
        """Someone new from the directory: an account with no role (or their groups' roles)."""
        user = self.UserModel.objects.create_user(
            self.get_username(claims),
            email=claims.get("email", ""),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        logger.info("Single sign-on created user %s", user.pk)
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        """Add the roles the council's directory groups map to (OIDC_GROUP_ROLES)."""
        mapping = settings.OIDC_GROUP_ROLES
        claim = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(claim, str):
            claim = [claim]
        roles = {mapping[group] for group in claim if group in mapping}
        labels = [Role(role).label for role in roles if role in Role.values]
        if labels:
            user.groups.add(*Group.objects.filter(name__in=labels))
        return user


class SignInStart(OIDCAuthenticationRequestView):
    """Off to the council's sign-in page; back to ours with a message if it is not set up."""

    def __init__(self, *args, **kwargs):
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def get(self, request):
        if not sso_enabled():
            messages.error(request, NOT_SET_UP)
            return redirect("login")
        try:
            return super().get(request)
        except ImproperlyConfigured:
            logger.exception("Single sign-on is not fully set up")
            messages.error(request, NOT_SET_UP)
            return redirect("login")


class SignInReturn(OIDCAuthenticationCallbackView):
    """The provider sends the person back here; a failure is a message on the sign-in page."""

    def login_failure(self):
        messages.error(self.request, FAILED)
        return redirect("login")

    def get(self, request):
        if not sso_enabled():
            return self.login_failure()
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return self.login_failure()


urlpatterns = [
    path("start/", login_not_required(SignInStart.as_view()), name="sso-start"),
    path("return/", login_not_required(SignInReturn.as_view()), name="sso-return"),
]
