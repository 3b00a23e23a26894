"""The IRO's work widens who may see a child in one way (SPEC §1), registered with
`permanence.access` from ReviewsConfig.ready().

The managers a PPN1 went to (the adoption and fostering managers, seed 002 §8) are asked to
arrange the Permanency Planning Meeting and act on the family finding it calls for, so they see
that child even when it belongs to another service.
"""

from django.db.models import Q

from permanence.access import Grant
from permanence.roles import MANAGER_ROLES


def _ppn1_q(user):
    if not user.roles & MANAGER_ROLES:
        return None
    from reviews.models import Ppn1

    sent = Ppn1.objects.filter(Q(adoption_manager_id=user.pk) | Q(fostering_manager_id=user.pk))
    return Q(pk__in=sent.values("child_id"))


def _ppn1_allows(user, child) -> bool:
    if not user.roles & MANAGER_ROLES:
        return False
    from reviews.models import Ppn1

    return (
        Ppn1.objects.filter(child_id=child.pk)
        .filter(Q(adoption_manager_id=user.pk) | Q(fostering_manager_id=user.pk))
        .exists()
    )


PPN1_MANAGERS_GRANT = Grant(as_q=_ppn1_q, allows=_ppn1_allows)
