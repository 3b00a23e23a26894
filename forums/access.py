"""Relationships through the forum and its panels that let a user see a child (SPEC §1),
registered with `permanence.access` from ForumsConfig.ready().

A chair sees the children booked into the sessions they chair. Either a chair or CPS duty sees
the children of the panels and meetings they arranged or attend (CPS duty lists matches for
panel, 000; a chair may sit on the Permanence Panel, 004). Other roles already see those
children by team, allocation or service. Whoever is given an action at a panel or meeting
sees that child, to do it.

CPS duty's scope, decided once here (seeds 000, 003; SPEC §1 "nobody sees a child they have no
reason to"). CPS duty is the placement service's duty desk: it runs the permanency forum and
co-ordinates family finding and the search for a placement. So it sees:

- every child with a permanency forum booking, live or past: the forum is one for the whole
  authority (a session belongs to no service), and CPS duty confirms or declines every booking,
  receives every Part 1 and sees every session's slots;
- in its service (or every service, for a desk recorded with none, as the tracker routes its
  alerts): the Permanence Panel's children (heard there, rated red at a care planning meeting,
  or escalated to it by a team manager), since CPS duty is the permanence coordinator who builds
  each sitting's agenda and follows up its actions (004); children whose long-term placement has
  broken down, since CPS duty owns the urgent
  foster carer review and the carer's fee and finds the next placement with the social worker
  (000), and children going to a matching panel, since CPS duty co-ordinates family finding and
  owns the Form F deadline at matching (000);
- the children of the meetings it arranged or attends.

No other child: not the caseload of the service at large, nor a child only because a deadline
rule copies CPS duty in (those copies are not sent for a child outside this scope).
"""

from django.db.models import BooleanField, F, Func, Q, Subquery

from permanence.access import Grant
from permanence.roles import Role

LIVE = ["requested", "confirmed", "part1_submitted", "presented", "part2_sent"]
MATCHING_PANEL = "matching_panel"
# A matching meeting, the adoption or fostering panel, or the older combined matching panel.
MATCHING_KINDS = (MATCHING_PANEL, "matching_meeting", "adoption_panel", "fostering_panel")
PERMANENCE_PANEL = "permanence_panel"
CARE_PLANNING = "care_planning"


def _meetings_q(user) -> Q:
    from forums.models import Meeting

    # Two indexed look-ups put together, not one OR across a join that reads every meeting.
    arranged = Meeting.objects.filter(created_by_id=user.pk).order_by().values("child_id")
    attends = Meeting.staff_attendees.through.objects.filter(user_id=user.pk).values(
        "meeting__child_id"
    )
    return Q(pk__in=arranged.union(attends, all=True))


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


def _cps_placement_q(user) -> Q:
    """Children in the search for a placement (a disruption recorded, or a matching panel) and
    children of the Permanence Panel the coordinator runs (004)."""
    from forums.models import Disruption, Meeting, PanelEscalation

    # Each read from the index on (meeting type, RAG rating, child) alone: the matching and the
    # Permanence Panel's meetings are a tenth of all meetings, the red care planning ones fewer.
    panels = Meeting.objects.filter(_of_kinds(*MATCHING_KINDS, PERMANENCE_PANEL))
    red = Meeting.objects.filter(_of_kinds(CARE_PLANNING), rag_rating="red")
    q = (
        Q(pk__in=Disruption.objects.values("child_id"))
        | Q(pk__in=panels.values("child_id"))
        | Q(pk__in=red.values("child_id"))
        | Q(pk__in=PanelEscalation.objects.values("child_id"))
    )
    service_id = user.oversight_service_id
    if service_id:
        q &= Q(team__service_id=service_id)
    return q


class _InList(Func):
    """COLUMN = ANY(ARRAY(subquery)) on PostgreSQL, COLUMN IN (subquery) elsewhere.

    The meeting types are looked up before the meetings are read, so PostgreSQL reads only those
    types' entries of an index. Written as a join or IN (subquery), it cannot know which types a
    kind picks out, takes them for half of all meetings and reads every one (CPS duty's pages at
    100,000 children: 779,000 meetings read for 77,000)."""

    arity = 2
    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, subquery = (compiler.compile(e) for e in self.get_source_expressions())
        params = (*column[1], *subquery[1])
        if connection.vendor == "postgresql":
            return f"{column[0]} = ANY(ARRAY{subquery[0]})", params
        return f"{column[0]} IN {subquery[0]}", params


def _of_kinds(*kinds: str) -> _InList:
    """A filter on Meeting: meetings of a type of these kinds."""
    from forums.models import MeetingType

    types = MeetingType.objects.filter(kind__in=kinds).order_by().values("pk")
    return _InList(F("meeting_type_id"), Subquery(types))


def _cps_q(user):
    if not user.has_role(Role.CPS_DUTY):
        return None
    from forums.models import Booking

    booked = Q(pk__in=Booking.objects.values("child_id"))
    return booked | _cps_placement_q(user) | _meetings_q(user)


def _cps_allows(user, child) -> bool:
    from forums.models import Booking, Disruption, Meeting, PanelEscalation

    if not user.has_role(Role.CPS_DUTY):
        return False
    if Booking.objects.filter(child_id=child.pk).exists() or _in_meetings(user, child):
        return True
    service_id = user.oversight_service_id
    if service_id and child.team.service_id != service_id:
        return False
    return (
        Disruption.objects.filter(child_id=child.pk).exists()
        or Meeting.objects.filter(child_id=child.pk, meeting_type__kind__in=MATCHING_KINDS).exists()
        or _panel_meetings().filter(child_id=child.pk).exists()
        or PanelEscalation.objects.filter(child_id=child.pk).exists()
    )


def _panel_meetings():
    """The Permanence Panel's children (004): heard there, or rated red at a care planning
    meeting (so due there every four weeks)."""
    from forums.models import Meeting

    return Meeting.objects.filter(
        Q(meeting_type__kind=PERMANENCE_PANEL)
        | Q(meeting_type__kind=CARE_PLANNING, rag_rating="red")
    )


def _action_owner_q(user):
    # Given an action at a panel or meeting, a member of staff opens the child to do it.
    if not user.roles or user.roles == {Role.ADMINISTRATOR}:
        return None
    from forums.models import MeetingAction

    return Q(pk__in=MeetingAction.objects.filter(owner_id=user.pk).values("meeting__child_id"))


def _action_owner_allows(user, child) -> bool:
    if not user.roles or user.roles == {Role.ADMINISTRATOR}:
        return False
    from forums.models import MeetingAction

    return MeetingAction.objects.filter(owner_id=user.pk, meeting__child_id=child.pk).exists()


CHAIR_GRANT = Grant(as_q=_chair_q, allows=_chair_allows)
MEETING_ACTION_GRANT = Grant(as_q=_action_owner_q, allows=_action_owner_allows)
CPS_DUTY_GRANT = Grant(as_q=_cps_q, allows=_cps_allows)
