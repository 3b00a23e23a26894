"""E-mail through GOV.UK Notify (issue 17), chosen by configuration beside SMTP and the console.

Notify sends from a template of the authority's own, kept in its Notify account: each kind of
message (the page it links to, permanence.notifications.notification_kind) may have a template
of its own (NOTIFY_TEMPLATE_IDS), any other kind uses NOTIFY_TEMPLATE_ID. Every template is
given the same personalisation: ((service_name)), ((subject)), ((body)) and ((link)). Subjects
and bodies name a child by identifier only; the link opens the page, behind sign-in.

Errors are sorted the way the outbox expects of an SMTP relay (permanence/notifications.py): a
message Notify refuses (400: a bad address, a missing placeholder) is that message's failure,
tried again later and given up after ten tries; a Notify that cannot be reached, refuses our key
or asks us to slow down is an OSError, "the relay is down", so the run stops and the message
waits for the next run, its tries uncounted. The change that caused the e-mail is already saved.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core import checks
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

logger = logging.getLogger(__name__)

BACKEND = "permanence.email_backends.NotifyEmailBackend"
# A Notify API key: its name, then the service id and the secret, each a UUID.
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
API_KEY = re.compile(rf"^.+-{UUID}-{UUID}$")
TEMPLATE_ID = re.compile(rf"^{UUID}$")


class NotifyMessageRefused(Exception):
    """Notify refused this one message; another may go."""


class NotifyUnavailable(OSError):
    """Notify could not be reached or would not take messages from us just now."""


def template_for(kind: str) -> str:
    return settings.NOTIFY_TEMPLATE_IDS.get(kind) or settings.NOTIFY_TEMPLATE_ID


def personalisation_for(message) -> dict[str, str]:
    """What the outbox attached; for any other e-mail (Django's own), its subject and text."""
    given = getattr(message, "notify_personalisation", None)
    if given is not None:
        return given
    return {
        "service_name": settings.SERVICE_NAME,
        "subject": message.subject,
        "body": message.body or " ",
        "link": settings.SITE_URL,
    }


class NotifyEmailBackend(BaseEmailBackend):
    """Django's e-mail interface over notifications-python-client."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                self._send(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _send(self, message) -> None:
        template = template_for(getattr(message, "notify_kind", "general"))
        personalisation = personalisation_for(message)
        for address in message.recipients():
            try:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=template,
                    personalisation=personalisation,
                    email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
                )
            except APIError as exc:
                # Notify's own words go to the log and the outbox row, never to a page.
                if exc.status_code == 400:
                    raise NotifyMessageRefused(str(exc)) from exc
                raise NotifyUnavailable(f"Notify answered {exc.status_code}") from exc
            except RequestException as exc:
                raise NotifyUnavailable("Notify could not be reached") from exc


@checks.register(checks.Tags.compatibility, deploy=False)
def notify_settings_check(app_configs=None, **kwargs):
    """With Notify chosen, its key and a template are set and well formed: a misconfiguration
    stops the service starting (and `check --deploy`), not every e-mail later."""
    if settings.EMAIL_BACKEND != BACKEND:
        return []
    errors = []
    if not API_KEY.match(settings.NOTIFY_API_KEY or ""):
        errors.append(
            checks.Error(
                "NOTIFY_API_KEY is missing or is not a GOV.UK Notify API key.",
                hint="Create an API key in Notify (API integration) and set it whole.",
                id="permanence.E101",
            )
        )
    templates = {"NOTIFY_TEMPLATE_ID": settings.NOTIFY_TEMPLATE_ID} | {
        f"NOTIFY_TEMPLATE_IDS[{kind}]": value
        for kind, value in settings.NOTIFY_TEMPLATE_IDS.items()
    }
    for name, value in templates.items():
        if not TEMPLATE_ID.match(value or ""):
            errors.append(
                checks.Error(
                    f"{name} is missing or is not a Notify template ID.",
                    hint="Copy the template's ID from its page in Notify.",
                    id="permanence.E102",
                )
            )
    return errors
