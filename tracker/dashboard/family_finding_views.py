"""Family finding at a glance (issue 14; 000 "Progressing the plan", "Identification"; 003
"Family finding"): each child whose plan is being taken to a family, the family finder, the
stage reached and the days in it. A family finder sees the children allocated to them; CPS duty,
the adoption and fostering managers and the service's managers see those of their scope (the
one access rule, `permanence.access`)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from permanence.models import FamilyFindingAllocation, FamilySearch, PotentialMatch
from permanence.roles import Role
from tracker.dashboard import family_finding
from tracker.dashboard.selectors import rows_visible_to

# Who has this page in their navigation; anyone else who works with children may open it too.
FAMILY_FINDING_ROLES = frozenset(
    {Role.FAMILY_FINDER, Role.CPS_DUTY, Role.ADOPTION_MANAGER, Role.FOSTERING_MANAGER}
)


class FamilyFindingListView(View):
    def get(self, request):
        user = request.user
        if not user.roles or user.roles == {Role.ADMINISTRATOR}:
            raise PermissionDenied
        in_finding = (
            Q(child_id__in=FamilyFindingAllocation.objects.values("plan__child_id"))
            | Q(child_id__in=FamilySearch.objects.values("plan__child_id"))
            | Q(child_id__in=PotentialMatch.objects.values("plan__child_id"))
        )
        rows = list(
            rows_visible_to(user)
            .filter(in_finding)
            .select_related("team")
            .order_by("sort_name", "child_id")[:500]
        )
        today = timezone.localdate()
        stages = family_finding.stages_for(rows, today=today)
        finders = defaultdict(list)
        for child_id, first, last, username in (
            FamilyFindingAllocation.objects.filter(
                plan__child_id__in=[r.child_id for r in rows],
                kind=FamilyFindingAllocation.Kind.FAMILY_FINDER,
                ended_on__isnull=True,
            )
            .order_by("allocated_on")
            .values_list(
                "plan__child_id", "worker__first_name", "worker__last_name", "worker__username"
            )
        ):
            finders[child_id].append(f"{first} {last}".strip() or username)
        items = [(row, stages.get(row.child_id), finders.get(row.child_id, [])) for row in rows]
        mine = user.has_role(Role.FAMILY_FINDER)
        return render(
            request,
            "tracker/dashboard/family_finding.html",
            {"items": items, "mine": mine, "today": today},
        )
