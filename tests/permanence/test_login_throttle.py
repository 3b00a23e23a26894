"""Failed sign-ins are throttled without handing anyone a way to lock someone else out (SPEC §7)."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from permanence.sign_in import client_ip_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # our load balancer: every request arrives from it
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"
RIGHT = "test-password-123"


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    settings.AXES_ACCOUNT_WARNING_LIMIT = 20
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def _sign_in(client, username, password, *, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_sixth_attempt_from_the_same_place_is_refused_even_with_the_right_password(
    client, throttled, social_worker
):
    for _ in range(4):
        assert _sign_in(client, "sw", "wrong", forwarded_for=ATTACKER).status_code == 200
    assert _sign_in(client, "sw", "wrong", forwarded_for=ATTACKER).status_code == 429
    response = _sign_in(client, "sw", RIGHT, forwarded_for=ATTACKER)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_an_attacker_elsewhere_does_not_lock_the_real_user_out(client, throttled, social_worker):
    # Both arrive through the same load balancer: keyed on its address, this would lock "sw".
    for _ in range(10):
        _sign_in(client, "sw", "wrong", forwarded_for=ATTACKER)
    assert _sign_in(client, "sw", RIGHT, forwarded_for=ATTACKER).status_code == 429
    assert _signed_in(_sign_in(client, "sw", RIGHT, forwarded_for=REAL_USER))


def test_forging_x_forwarded_for_neither_escapes_the_throttle_nor_frames_someone(
    client, throttled, social_worker
):
    # The client writes the left part; the load balancer appends the address it really saw.
    for n in range(5):
        forged = f"192.0.2.{n}, {REAL_USER}, {ATTACKER}"
        _sign_in(client, "sw", "wrong", forwarded_for=forged)
    assert _sign_in(client, "sw", RIGHT, forwarded_for=f"192.0.2.99, {ATTACKER}").status_code == 429
    assert _signed_in(_sign_in(client, "sw", RIGHT, forwarded_for=REAL_USER))


def test_a_password_spray_across_twenty_user_names_from_one_address_is_stopped(
    client, throttled, social_worker
):
    for n in range(19):
        response = _sign_in(client, f"colleague{n}", "Winter2025!!", forwarded_for=ATTACKER)
        assert response.status_code == 200, f"attempt {n + 1} was refused too early"
    assert (
        _sign_in(client, "colleague19", "Winter2025!!", forwarded_for=ATTACKER).status_code == 429
    )
    # From then on any guess, at any account, is refused before the password is looked at.
    assert _sign_in(client, "sw", RIGHT, forwarded_for=ATTACKER).status_code == 429
    # Staff elsewhere carry on.
    assert _signed_in(_sign_in(client, "sw", RIGHT, forwarded_for=REAL_USER))


def test_failures_from_everywhere_never_lock_the_account_but_are_logged(
    client, throttled, social_worker, caplog
):
    with caplog.at_level(logging.WARNING, logger="permanence.sign_in"):
        for n in range(25):
            _sign_in(client, "sw", "wrong", forwarded_for=f"203.0.113.{n + 1}")
    warnings = [r for r in caplog.records if r.name == "permanence.sign_in"]
    assert len(warnings) == 1
    assert "'sw'" in warnings[0].getMessage() and "not locked" in warnings[0].getMessage()
    assert _signed_in(_sign_in(client, "sw", RIGHT, forwarded_for=REAL_USER))


def test_a_very_long_user_name_gets_a_message_not_an_error(client, throttled):
    response = _sign_in(client, "a" * 256, "whatever", forwarded_for=ATTACKER)
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # no proxy: the header is ignored
        (1, PROXY, "203.0.113.1", "203.0.113.1"),
        (1, PROXY, "1.2.3.4, 203.0.113.1", "203.0.113.1"),  # the forged part is ignored
        (2, PROXY, "1.2.3.4, 203.0.113.1, 10.0.0.9", "203.0.113.1"),  # two proxies of ours
        (1, PROXY, "", PROXY),  # not through the load balancer (its own health check)
        (2, PROXY, "203.0.113.1", PROXY),
        (1, PROXY, "1.2.3.4, not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_right(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected
