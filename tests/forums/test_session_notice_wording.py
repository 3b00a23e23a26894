"""What a forum's change of chair says, sentence by sentence, to the new chair, the chair it no
longer has and the booked child's worker (worded by templates/forums/notifications/)."""

import pytest

from forums import services
from permanence.models import Notification
from permanence.roles import Role
from tests.factories.forums import BookingFactory
from tests.factories.permanence import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_chair_is_told_in_whole_sentences(
    session,
    chair,
    service,
    forum_child,
    social_worker,
    cps_duty,
    django_capture_on_commit_callbacks,
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker, slot_number=1)
    new_chair = UserFactory(
        team=None, service=service, role=Role.FORUM_CHAIR, first_name="Rhys", last_name="O'Neill"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, by=cps_duty, chair=new_chair, slots=7, reason="The chair is ill."
        )
    day = f"{session.forum_date:%A %-d %B %Y}"
    at = f"{session.start_time:%H:%M}"
    change = f"{new_chair} will chair it instead of {chair}. It now has 7 slots."

    told = Notification.objects.get(recipient=new_chair)
    assert told.subject == f"You are chairing the permanency forum on {day} at {at}"
    assert told.body == f"{change} Reason: The chair is ill. 1 child is booked into it."

    released = Notification.objects.get(recipient=chair)
    assert released.subject == f"You no longer chair the permanency forum on {day}"
    assert released.body == f"{new_chair} will chair it. Reason: The chair is ill."

    worker = Notification.objects.get(recipient=social_worker, subject__contains="forum")
    assert worker.subject == f"The permanency forum on {day} has changed"
    assert worker.body.startswith(
        f"{change} Reason: The chair is ill. Child {forum_child.child_id} is in slot 1 at "
    )
    assert "O&#x27;" not in worker.body and "O'Neill" in worker.body
