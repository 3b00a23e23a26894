"""What a notification linking to a review, PPN1 or IRO page is about (issue 16): found by
permanence.notifications when it is written, so its reader can filter by kind and by child."""

from permanence.models import NotificationKind
from permanence.notifications import NotificationLinks, register_notification_links
from reviews.models import Ppn1, Review


def _children(model):
    return lambda pks: dict(model.objects.filter(pk__in=pks).values_list("pk", "child_id"))


register_notification_links(
    NotificationLinks(
        NotificationKind.REVIEW,
        frozenset({"reviews:review-detail", "reviews:review-ratify", "reviews:sgo-referral"}),
        _children(Review),
    )
)
register_notification_links(
    NotificationLinks(NotificationKind.REVIEW, frozenset({"reviews:ppn1-detail"}), _children(Ppn1))
)
register_notification_links(
    NotificationLinks(
        NotificationKind.REVIEW,
        frozenset({"reviews:child-reviews", "reviews:iro-allocate"}),
    )
)
