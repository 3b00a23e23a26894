"""Staff change their own password; every other session of theirs ends, this one carries on."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OLD = "test-password-123"
NEW = "kestrel-marmalade-quarry-42"


def _change(client, old=OLD, new1=NEW, new2=NEW):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )


def test_the_header_offers_to_change_the_password(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("password_change")}"' in page


def test_changing_the_password_keeps_this_session_and_ends_the_others(social_worker):
    here, elsewhere = Client(), Client()
    assert here.login(username="sw", password=OLD)
    assert elsewhere.login(username="sw", password=OLD)

    response = _change(here)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Password changed" in here.get(response["Location"]).content.decode()
    assert here.get(reverse("password_change")).status_code == 200
    gone = elsewhere.get(reverse("password_change"))
    assert gone.status_code == 302 and gone["Location"].startswith(reverse("login"))

    social_worker.refresh_from_db()
    assert social_worker.check_password(NEW)
    last = social_worker.history.first()
    assert last.history_change_reason == "Changed their own password"
    assert last.history_user == social_worker


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"old": "not-my-password"}, "id_old_password", "Your current password is not right"),
        ({"old": ""}, "id_old_password", "Enter your current password"),
        ({"new2": "kestrel-marmalade-quarry-43"}, "id_new_password2", "Enter the same new"),
        ({"new1": "Winter2025!!", "new2": "Winter2025!!"}, "id_new_password1", "too easy to guess"),
        ({"new1": "sw-kestrel-quarry-42", "new2": "sw-kestrel-quarry-42"}, None, None),
        ({"new1": OLD, "new2": OLD}, "id_new_password1", "must be different from your current"),
    ],
)
def test_a_bad_change_is_explained_beside_the_field_and_changes_nothing(
    client, social_worker, data, field, message
):
    client.force_login(social_worker)
    response = _change(
        client,
        old=data.get("old", OLD),
        new1=data.get("new1", NEW),
        new2=data.get("new2", data.get("new1", NEW)),
    )
    if field is None:
        # "sw" is too short to count as the username inside a password: accepted.
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="{field}_1_error"' in page  # the message sits beside its field
    assert "govuk-error-summary" in page
    social_worker.refresh_from_db()
    assert social_worker.check_password(OLD)


def test_the_password_holding_the_users_name_is_refused(client, social_worker):
    social_worker.last_name = "Fenwick"
    social_worker.save()
    client.force_login(social_worker)
    response = _change(client, new1="fenwick-kestrel-quarry", new2="fenwick-kestrel-quarry")
    assert "must not contain your username or your name" in response.content.decode()
