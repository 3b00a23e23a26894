"""The IRO's work widens who may see a child in one way (SPEC §1), registered with
`permanence.access` from ReviewsConfig.ready().

The managers a PPN1 went to (the adoption and fostering managers, seed 002 §8) are asked to
arrange the Permanency Planning Meeting and act on the family finding it calls for, so they see
that child even when it belongs to another service.
"""

from django.db.models import Q

from permanence.access import Grant
from permanence.roles import MANAGER_ROLES, Role


def _sent_to(user):
    # The managers by their role, the designated admin officer by theirs (002 §8).
    q = Q()
    if user.roles & MANAGER_ROLES:
        q |= Q(adoption_manager_id=user.pk) | Q(fostering_manager_id=user.pk)
    if Role.ADMIN_OFFICER in user.roles:
        q |= Q(admin_officer_id=user.pk)
    return q or None


def _ppn1_q(user):
    sent_to = _sent_to(user)
    if sent_to is None:
        return None
    from reviews.models import Ppn1

    return Q(pk__in=Ppn1.objects.filter(sent_to).values("child_id"))


def _ppn1_allows(user, child) -> bool:
    sent_to = _sent_to(user)
    if sent_to is None:
        return False
    from reviews.models import Ppn1

    return Ppn1.objects.filter(sent_to, child_id=child.pk).exists()


PPN1_MANAGERS_GRANT = Grant(as_q=_ppn1_q, allows=_ppn1_allows)
