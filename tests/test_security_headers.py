"""Security headers (issue 11): a Content-Security-Policy with no inline script on every page,
nothing a signed-in user is sent kept by a browser or proxy, uploads never reachable by URL."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from permanence.middleware import NoStoreForSignedInMiddleware
from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_the_sign_in_page_has_a_strict_content_security_policy(client):
    policy = _policy(client.get("/accounts/login/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def _inline_code(html: str) -> list[str]:
    """Script elements without a src, and on...= event-handler attributes."""
    found = [tag for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I) if "src=" not in tag]
    found += re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", html, flags=re.I)
    found += re.findall(r"<[a-z][^>]*\sstyle\s*=", html, flags=re.I)
    return found


@pytest.mark.parametrize(
    "url",
    ["/", "/children/", "/tracker/dashboard/", "/tracker/deadlines/", "/forums/", "/children/new/"],
)
def test_signed_in_pages_have_the_policy_and_no_inline_script(client, team_manager, team, url):
    ChildFactory(team=team, first_name="Ava", last_name="Stone")
    client.force_login(team_manager)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert _inline_code(response.content.decode()) == []


def test_a_child_page_has_no_inline_script(client, team_manager, team):
    child = ChildFactory(team=team)
    client.force_login(team_manager)
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200
    assert _inline_code(response.content.decode()) == []


def test_the_js_enabled_classes_come_from_a_file(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<script src="/static/js/js-enabled\.js"></script>', html)
    assert client.get("/static/js/js-enabled.js").status_code == 200


def test_a_signed_in_page_is_never_stored(client, team_manager, team):
    child = ChildFactory(team=team)
    client.force_login(team_manager)
    response = client.get(child.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_an_export_a_signed_in_user_downloads_is_never_stored(client, team_manager):
    client.force_login(team_manager)
    response = client.get("/tracker/deadlines/export.csv")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client, team_manager):
    client.force_login(team_manager)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_asking_for_public_caching_is_overridden_for_a_signed_in_user(team_manager):
    def view(request):
        response = HttpResponse("child details")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = RequestFactory().get("/")
    request.user = team_manager
    response = NoStoreForSignedInMiddleware(view)(request)
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_the_page_cannot_be_framed(client):
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"


def test_uploaded_files_have_no_url(client, administrator):
    """Matching reports and SSDA903 uploads live under MEDIA_ROOT; nothing serves that folder."""
    stored = settings.MEDIA_ROOT / "forums" / "matching-reports" / "report.pdf"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF-1.4 child details")
    client.force_login(administrator)
    for url in (
        "/media/forums/matching-reports/report.pdf",
        "/forums/matching-reports/report.pdf",
        "/static/forums/matching-reports/report.pdf",
        "/forums/matching-reports/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"child details" not in response.content
