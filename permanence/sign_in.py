"""Throttling failed sign-ins so that it stops guessing without handing anyone a way to lock
another person out (SPEC §7: "failed logins throttled"; issue 11).

Three counts, over the cool-off window (AXES_COOLOFF_TIME):

- a user name from one address: AXES_FAILURE_LIMIT failures lock that pair. The real user at
  their own address is untouched by an attacker guessing elsewhere.
- one address, any user names: AXES_ADDRESS_FAILURE_LIMIT failures lock the address, which
  stops a password spray (one guess at each of many accounts). People elsewhere are untouched.
- one user name, all addresses: never a lock-out (that would let anyone shut a named person
  out); past AXES_ACCOUNT_WARNING_LIMIT failures a warning is logged for whoever watches the logs.

The address is the client's as seen by our own load balancer, not whatever the client claims.
"""

from __future__ import annotations

import ipaddress
import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

logger = logging.getLogger("permanence.sign_in")


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: the entry our own proxies added to X-Forwarded-For.

    Each proxy appends the address it received the request from, so with TRUSTED_PROXY_COUNT
    proxies in front of the app the client's address is that many entries from the right.
    Anything further left was written by the client and is ignored: forging the header neither
    escapes the throttle nor puts someone else's address in it.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not through all our proxies (a health check, or a misconfigured proxy): the only
        # address we can trust is the one that connected.
        return remote
    return _valid_address(forwarded[-proxies]) or remote


def _failures(**filters) -> int:
    total = AccessAttempt.objects.filter(**filters).aggregate(total=Sum("failures_since_start"))
    return total["total"] or 0


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler with a per-address limit and a per-account warning."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures for this user name here, or the lock-out count once this address sprays."""
        failures = super().get_failures(request, credentials)
        from_address = _failures(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        if from_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure as django-axes does, then warn once when an account is besieged."""
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        if not username:
            return
        across_addresses = _failures(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        if across_addresses == settings.AXES_ACCOUNT_WARNING_LIMIT:
            logger.warning(
                "Account %r has had %s failed sign-ins in the last %s hour(s) from all addresses; "
                "it is not locked: check whether someone is guessing its password.",
                username[:150],
                across_addresses,
                settings.AXES_COOLOFF_TIME,
            )
