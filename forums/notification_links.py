"""What a notification linking to a forum, meeting or disruption page is about (issue 16):
found by permanence.notifications when it is written, so its reader can filter by kind and by
child. A session's or a panel sitting's page is about no one child."""

from forums.models import Booking, Disruption, Meeting
from permanence.models import NotificationKind
from permanence.notifications import NotificationLinks, register_notification_links


def _children(model):
    return lambda pks: dict(model.objects.filter(pk__in=pks).values_list("pk", "child_id"))


register_notification_links(
    NotificationLinks(
        NotificationKind.FORUM,
        frozenset(
            {
                "forums:booking-detail",
                "forums:part1-detail",
                "forums:part1-edit",
                "forums:part2-detail",
                "forums:part2-edit",
            }
        ),
        _children(Booking),
    )
)
register_notification_links(
    NotificationLinks(
        NotificationKind.FORUM,
        frozenset({"forums:session-detail", "forums:session-agenda", "forums:home"}),
        lambda pks: {},
    )
)
register_notification_links(
    NotificationLinks(
        NotificationKind.MEETING,
        frozenset({"forums:meeting-detail", "forums:meeting-record"}),
        _children(Meeting),
    )
)
register_notification_links(
    NotificationLinks(
        NotificationKind.MEETING,
        frozenset({"forums:disruption-detail"}),
        _children(Disruption),
    )
)
register_notification_links(
    NotificationLinks(
        NotificationKind.MEETING,
        frozenset({"forums:panel-sitting-list", "forums:panel-sitting-detail"}),
        lambda pks: {},
    )
)
