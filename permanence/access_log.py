"""gunicorn's access log without the secrets some addresses carry (gunicorn.conf.py uses it).

A calendar program can only be given an address, so each user's calendar feed has its secret in
the path (/forums/calendar/<secret>.ics). Access logs are read and kept by more people than the
database is, so the secret is replaced before a line is written. The load balancer's own logs
are the operator's to configure the same way (README, "Running it in production").
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# Matches the feed address wherever it appears in a log atom (request line, path, referrer).
SECRET_IN_PATH = re.compile(r"(/calendar/)[^/?#\s\"]+(\.ics)")
MASK = r"\1[hidden]\2"


def mask_secrets(text: str) -> str:
    """The text with every calendar feed secret replaced by [hidden]."""
    return SECRET_IN_PATH.sub(MASK, text)


class MaskedAccessLogger(Logger):
    """gunicorn's logger, with calendar feed secrets masked in every access-log field."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
