"""What a notification linking to one of this app's pages is about (issue 16): found by
permanence.notifications when the notification is written, so its reader can filter by kind and
by child."""

from permanence.models import NotificationKind, Plan
from permanence.notifications import NotificationLinks, register_notification_links

register_notification_links(
    NotificationLinks(NotificationKind.CHILD, frozenset({"permanence:child-detail"}))
)
register_notification_links(
    NotificationLinks(
        NotificationKind.PLAN,
        frozenset({"permanence:plan-detail"}),
        lambda pks: dict(Plan.objects.filter(pk__in=pks).values_list("pk", "child_id")),
    )
)
