"""The administrator's meeting types: a type whose next date is a SPEC §5 timescale says so, and
its number can only be changed in one place, the timescale."""

import pytest

from forums.models import MeetingType

pytestmark = pytest.mark.django_db


def test_a_meeting_type_following_a_timescale_shows_it_and_is_not_changed_here(
    client, administrator
):
    client.force_login(administrator)
    care = MeetingType.objects.get(code="care-planning")
    page = client.get(f"/admin/forums/meetingtype/{care.pk}/change/").content.decode()
    assert "6 weeks (the timescale “care_planning_meeting”)" in page
    assert 'name="repeat_amount"' not in page

    monthly = MeetingType.objects.get(code="permanency-planning")
    page = client.get(f"/admin/forums/meetingtype/{monthly.pk}/change/").content.decode()
    assert 'name="repeat_amount"' in page
