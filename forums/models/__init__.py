"""The forums app's models; import them from here."""

from forums.models.calendar import CalendarFeed
from forums.models.meetings import (
    Disruption,
    Meeting,
    MeetingAction,
    MeetingAssessment,
    MeetingMatter,
    MeetingType,
    PanelEscalation,
    PanelMember,
    PanelSitting,
)
from forums.models.sessions import (
    Booking,
    Consulted,
    ForumSession,
    Part1,
    Part1Attachment,
    Part1Status,
    Part2,
    Part2Task,
    Pathway,
    part1_status,
)

__all__ = [
    "Booking",
    "CalendarFeed",
    "Consulted",
    "Disruption",
    "ForumSession",
    "Meeting",
    "MeetingAction",
    "MeetingAssessment",
    "MeetingMatter",
    "MeetingType",
    "PanelEscalation",
    "PanelMember",
    "PanelSitting",
    "Part1",
    "Part1Attachment",
    "Part1Status",
    "Part2",
    "Part2Task",
    "Pathway",
    "part1_status",
]
