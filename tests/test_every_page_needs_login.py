"""Every page of the service needs a signed-in user (SPEC §7): walk the whole URL map."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages a signed-out person must reach, and why.
PUBLIC = {
    "login": "the sign-in page itself",
    "forums:calendar-feed": "a calendar program cannot sign in: a secret address stands in",
    "health": "the load balancer's probe signs in as nobody; it answers 'ok' or 'failing' only",
    "sso-start": "the way to the council's sign-in page",
    "sso-return": "where the council's sign-in page sends the person back, not yet signed in",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue  # Django admin has its own sign-in, tested by Django
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry.callback


def _example_path(route: str) -> str:
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


def test_url_map_is_not_empty():
    assert len(list(_walk(get_resolver().url_patterns))) > 5


@pytest.mark.parametrize(
    ("name", "route"),
    [(n, r) for n, r, _ in _walk(get_resolver().url_patterns) if n not in PUBLIC],
)
def test_signed_out_visitor_is_sent_to_sign_in(client, name, route):
    response = client.get(_example_path(route))
    assert response.status_code == 302, f"{name} ({route}) answered {response.status_code}"
    assert response["Location"].startswith("/accounts/login/")
