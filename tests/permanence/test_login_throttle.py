"""Failed sign-ins are throttled (SPEC §7)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sixth_wrong_password_locks_the_account_out(client, settings, social_worker):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        client.post(reverse("login"), {"username": "sw", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sw", "password": "test-password-123"})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
