"""Who may do what in the forums app, as `rules` predicates (CONVENTIONS: Access).

The role (group) must carry the model permission, and the user must have a reason to act on that
child: their team's worker edits, anyone who may see the child reads, the session's chair writes
Part 2.
"""

import rules

from permanence.rules import can_edit_child, can_see_child, role_perm


@rules.predicate
def chairs_the_session(user, booking) -> bool:
    return booking is not None and booking.session.chair_id == user.pk


@rules.predicate
def chairs_this_session(user, session) -> bool:
    return session is not None and session.chair_id == user.pk


rules.add_perm("forums.add_forumsession", role_perm("forums.add_forumsession"))
rules.add_perm("forums.view_forumsession", role_perm("forums.view_forumsession"))
# Changing or cancelling a session is CPS duty's, like opening one (SPEC §1, seed 000).
rules.add_perm("forums.change_forumsession", role_perm("forums.change_forumsession"))
# obj: the child to be booked.
rules.add_perm("forums.add_booking", role_perm("forums.add_booking") & can_edit_child)
rules.add_perm("forums.withdraw_booking", role_perm("forums.add_booking") & can_edit_child)
rules.add_perm("forums.confirm_booking", role_perm("forums.confirm_booking"))
rules.add_perm("forums.view_booking", role_perm("forums.view_booking") & can_see_child)
rules.add_perm("forums.change_part1", role_perm("forums.change_part1") & can_edit_child)
rules.add_perm("forums.view_part1", role_perm("forums.view_part1") & can_see_child)
rules.add_perm("forums.change_part2", role_perm("forums.change_part2") & chairs_the_session)
rules.add_perm("forums.view_part2", role_perm("forums.view_part2") & can_see_child)
# The chair records who attended the session and its minutes; obj: the session.
rules.add_perm(
    "forums.record_forum_minutes", role_perm("forums.change_part2") & chairs_this_session
)
# obj: the child the meeting or disruption is about.
rules.add_perm("forums.add_meeting", role_perm("forums.add_meeting") & can_see_child)
rules.add_perm("forums.change_meeting", role_perm("forums.change_meeting") & can_see_child)
rules.add_perm("forums.view_meeting", role_perm("forums.view_meeting") & can_see_child)
# The social worker records a disruption (SPEC §1); it marks their plan disrupted.
rules.add_perm("forums.add_disruption", role_perm("forums.add_disruption") & can_edit_child)
rules.add_perm("forums.change_disruption", role_perm("forums.change_disruption") & can_see_child)
rules.add_perm("forums.view_disruption", role_perm("forums.view_disruption") & can_see_child)
# The weekly Permanence Panel (seed 004): CPS duty (the permanence coordinator) arranges a sitting;
# the child's team manager escalates a case to the group manager; obj: the child.
rules.add_perm("forums.add_panelsitting", role_perm("forums.add_panelsitting"))
rules.add_perm("forums.view_panelsitting", role_perm("forums.view_panelsitting"))
rules.add_perm(
    "forums.add_panelescalation", role_perm("forums.add_panelescalation") & can_edit_child
)
