"""Passwords people set must be hard to guess (issue 11: stronger rules than length alone)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories.permanence import UserFactory

pytestmark = pytest.mark.django_db


def _refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "Winter2025!!",  # a season and a year: the first thing a sprayer tries
        "Summer2024!!",
        "aaaaaaaaaaaa",  # twelve of one letter
        "a" * 100,  # longer than the strength check reads: the start still decides
        "Password1234",
        "Qwerty123456!",
        "123456789012",
        "short words",  # under 12 characters
    ],
)
def test_easy_passwords_are_refused(password):
    assert _refusals(password)


def test_the_refusal_says_how_to_choose_a_better_one():
    messages = _refusals("Winter2025!!")
    assert any("too easy to guess" in m and "random words" in m for m in messages)


@pytest.mark.parametrize(
    "password",
    ["kestrel-marmalade-42", "correct horse battery staple", "Lantern Otter Quarry 9"],
)
def test_hard_to_guess_passwords_are_accepted(password):
    assert _refusals(password, user=UserFactory(username="jsmith")) == []


@pytest.mark.parametrize(
    "password", ["osprey-jsmith-lantern-7", "osprey-Fenwick-lantern-7", "PRIYANKA-osprey-lantern-7"]
)
def test_a_password_holding_the_username_or_name_is_refused(password):
    user = UserFactory(username="jsmith", first_name="Priyanka", last_name="Fenwick")
    assert "Your password must not contain your username or your name." in _refusals(
        password, user=user
    )
    # The same password is fine for someone else.
    other = UserFactory(username="mbrown", first_name="Mo", last_name="Brown")
    assert _refusals(password, user=other) == []
