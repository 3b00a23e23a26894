"""Relationships through the forum and its panels that let a user see a child (SPEC §1),
registered with `permanence.access` from ForumsConfig.ready().

A chair sees the children booked into the sessions they chair; CPS duty sees every child with
a booking, since it confirms, declines and receives them all. Either sees the children of the
panels and meetings they arranged or attend (CPS duty lists matches for panel, 000; a chair may
sit on the Permanence Panel, 004). Other roles already see those children by team, allocation
or service.
"""

from django.db.models import Q

from permanence.access import Grant
from permanence.roles import Role

LIVE = ["requested", "confirmed", "part1_submitted", "presented", "part2_sent"]


def _meetings_q(user) -> Q:
    return Q(meetings__created_by_id=user.pk) | Q(meetings__staff_attendees__id=user.pk)


def _in_meetings(user, child) -> bool:
    from forums.models import Meeting

    return (
        Meeting.objects.filter(child_id=child.pk)
        .filter(Q(created_by_id=user.pk) | Q(staff_attendees__id=user.pk))
        .exists()
    )


def _chair_q(user):
    if not user.has_role(Role.FORUM_CHAIR):
        return None
    booked = Q(forum_bookings__session__chair_id=user.pk, forum_bookings__status__in=LIVE)
    return booked | _meetings_q(user)


def _chair_allows(user, child) -> bool:
    from forums.models import Booking

    if not user.has_role(Role.FORUM_CHAIR):
        return False
    booked = Booking.objects.live().filter(child_id=child.pk, session__chair_id=user.pk)
    return booked.exists() or _in_meetings(user, child)


def _cps_q(user):
    if not user.has_role(Role.CPS_DUTY):
        return None
    return Q(forum_bookings__isnull=False) | _meetings_q(user)


def _cps_allows(user, child) -> bool:
    from forums.models import Booking

    if not user.has_role(Role.CPS_DUTY):
        return False
    return Booking.objects.filter(child_id=child.pk).exists() or _in_meetings(user, child)


CHAIR_GRANT = Grant(as_q=_chair_q, allows=_chair_allows)
CPS_DUTY_GRANT = Grant(as_q=_cps_q, allows=_cps_allows)
