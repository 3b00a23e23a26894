"""Every write in the forums app; import services from here."""

from forums.services.calendar import calendar_feed_renew
from forums.services.disruptions import (
    disruption_fee_extend,
    disruption_outcome_record,
    disruption_record,
)
from forums.services.meetings import (
    ActionInput,
    AssessmentInput,
    matching_papers_errors,
    meeting_action_complete,
    meeting_record,
    meeting_schedule,
    next_due_on,
)
from forums.services.sessions import (
    CPR_TASK,
    TaskInput,
    booking_cancel,
    booking_confirm,
    booking_decline,
    booking_present,
    booking_request,
    booking_withdraw,
    part1_errors,
    part1_save,
    part1_submit,
    part2_errors,
    part2_save,
    part2_send,
    session_open,
)

__all__ = [
    "CPR_TASK",
    "ActionInput",
    "AssessmentInput",
    "TaskInput",
    "booking_cancel",
    "booking_confirm",
    "booking_decline",
    "booking_present",
    "booking_request",
    "booking_withdraw",
    "calendar_feed_renew",
    "disruption_fee_extend",
    "disruption_outcome_record",
    "disruption_record",
    "matching_papers_errors",
    "meeting_action_complete",
    "meeting_record",
    "meeting_schedule",
    "next_due_on",
    "part1_errors",
    "part1_save",
    "part1_submit",
    "part2_errors",
    "part2_save",
    "part2_send",
    "session_open",
]
