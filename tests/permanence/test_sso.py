"""Single sign-on (issue 17) against a real OpenID Connect provider started inside the test
(oidc-provider-mock: a Flask/authlib provider on a loopback port, with its own keys, codes,
tokens and userinfo). Nothing of ours is replaced."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from permanence.roles import Role
from permanence.sso import FAILED, NOT_SET_UP

pytestmark = pytest.mark.django_db

GROUP_IRO = "4f1c2d9e-0000-4000-8000-00000000a1b2"
PEOPLE = [
    ProviderUser(
        sub="new.person@council.example.gov.uk",
        claims={
            "email": "new.person@council.example.gov.uk",
            "given_name": "Nia",
            "family_name": "Newcomer",
        },
    ),
    ProviderUser(sub="existing", claims={"email": "SW@Example.Invalid"}),
    ProviderUser(
        sub="iro.by.group",
        claims={"email": "iro.group@council.example.gov.uk", "groups": [GROUP_IRO, "other"]},
    ),
]


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread(user_claims=PEOPLE) as server:
        base = f"http://localhost:{server.server_port}"
        config = requests.get(f"{base}/.well-known/openid-configuration", timeout=5).json()
        yield config


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_RP_CLIENT_ID = "permanence-tracker"
    settings.OIDC_RP_CLIENT_SECRET = "a-client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = provider["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = provider["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = provider["jwks_uri"]
    settings.OIDC_GROUP_ROLES = {GROUP_IRO: Role.IRO}
    # The test provider signs with its one key and names none in the token (Entra names it).
    settings.OIDC_VERIFY_KID = False
    return provider


def _sign_in_as(client, sub: str):
    """Our start page, the provider's consent form as the person would post it, our return."""
    start = client.get(reverse("sso-start"))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith("http://localhost:")
    chosen = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert chosen.status_code == 302, chosen.text[:500]
    back = urlsplit(chosen.headers["Location"])
    assert back.path == reverse("sso-return")
    assert "code" in parse_qs(back.query)
    return client.get(f"{back.path}?{back.query}")


def test_someone_new_is_created_with_no_role_and_signed_in(client, sso):
    response = _sign_in_as(client, "new.person@council.example.gov.uk")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = get_user_model().objects.get(email="new.person@council.example.gov.uk")
    assert (user.first_name, user.last_name) == ("Nia", "Newcomer")
    assert user.roles == frozenset()
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_member_of_staff_is_matched_by_email_in_any_case(client, sso, social_worker):
    count = get_user_model().objects.count()
    _sign_in_as(client, "existing")
    assert int(client.session["_auth_user_id"]) == social_worker.pk
    assert get_user_model().objects.count() == count
    page = client.get(reverse("home"), follow=True)
    assert page.status_code == 200


def test_a_mapped_directory_group_gives_its_role(client, sso):
    _sign_in_as(client, "iro.by.group")
    user = get_user_model().objects.get(email="iro.group@council.example.gov.uk")
    assert user.roles == frozenset({Role.IRO})


def test_a_provider_that_cannot_be_reached_is_a_message_not_an_error(client, sso, settings):
    start = client.get(reverse("sso-start"))
    chosen = requests.post(
        start["Location"], data={"sub": "existing"}, allow_redirects=False, timeout=5
    )
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens there
    back = urlsplit(chosen.headers["Location"])
    response = client.get(f"{back.path}?{back.query}", follow=True)
    assert response.status_code == 200
    assert FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_refused_sign_in_comes_back_with_a_message(client, sso):
    start = client.get(reverse("sso-start"))
    denied = requests.post(
        start["Location"], data={"action": "deny"}, allow_redirects=False, timeout=5
    )
    back = urlsplit(denied.headers["Location"])
    assert "error" in parse_qs(back.query)
    response = client.get(f"{back.path}?{back.query}", follow=True)
    assert FAILED in response.content.decode()


def test_without_a_provider_the_page_offers_passwords_only_and_says_so(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" not in page
    response = client.get(reverse("sso-start"), follow=True)
    assert NOT_SET_UP in response.content.decode()


def test_password_sign_in_can_be_switched_off(client, sso, settings, social_worker):
    settings.PASSWORD_SIGN_IN_ENABLED = False
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in page
    assert 'name="password"' not in page
    response = client.post(
        reverse("login"), {"username": "sw", "password": "test-password-123"}, follow=True
    )
    assert "signing in with a password is switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_works_with_sign_in_throttling_on(client, sso, settings, social_worker):
    settings.AXES_ENABLED = True
    response = _sign_in_as(client, "existing")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == social_worker.pk
