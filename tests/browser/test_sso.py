"""Single sign-on in the browser (issue 17): a social worker signs in through a real OpenID
Connect provider started inside the test and lands on their role's first page; axe checks ours."""

import pytest
import requests
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from permanence.navigation import home_url_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def provider(settings):
    person = ProviderUser(sub="brittany", claims={"email": "sw@example.invalid"})
    with run_server_in_thread(user_claims=[person]) as server:
        base = f"http://localhost:{server.server_port}"
        config = requests.get(f"{base}/.well-known/openid-configuration", timeout=5).json()
        settings.OIDC_RP_CLIENT_ID = "permanence-tracker"
        settings.OIDC_RP_CLIENT_SECRET = "a-client-secret"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = config["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        # The test provider names no key in its tokens; it has only one.
        settings.OIDC_VERIFY_KID = False
        yield base


def test_a_social_worker_signs_in_with_their_council_account(
    page, live_server, provider, assert_accessible, social_worker
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with your council account").click()

    # The provider's own page: choose the person, as they would sign in there.
    page.wait_for_url(f"{provider}/**")
    page.get_by_role("button", name="brittany").click()

    page.wait_for_url(f"{live_server.url}{home_url_for(social_worker)}*")
    expect(page.get_by_role("link", name="Sign out").first).to_be_visible()
    assert_accessible(page)
