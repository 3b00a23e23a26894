"""The tracker's deadline pages. Thin: they read the stored rows, never work deadlines out."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from tracker import deadline_table, selectors
from tracker.backlog import go_live_date
from tracker.exports import stream_csv
from tracker.forms import DeadlineFilterForm
from tracker.models import Deadline


def _filters(form: DeadlineFilterForm) -> dict:
    if not form.is_bound or not form.is_valid():
        return {}
    data = form.cleaned_data
    return {
        "status": data["status"],
        "rule_code": data["rule"],
        "team_id": data["team"].pk if data["team"] else None,
    }


class DeadlineListView(PermissionRequiredMixin, View):
    """Every deadline of the children the user may see, most pressing first, with a CSV."""

    permission_required = "tracker.view_deadline"
    page_size = 50

    def get(self, request):
        # With nothing chosen, start with what needs doing: the overdue ones.
        params = request.GET if request.GET else QueryDict("status=overdue")
        # Who may see which child is worked out once for the page's teams, counts and rows.
        children = selectors.visible_children(request.user)
        form = DeadlineFilterForm(params, team_ids=sorted(children.team_ids))
        filters = _filters(form)
        rows = selectors.deadlines_for_user(user=request.user, children=children, **filters)
        counts = selectors.deadline_counts_for_user(user=request.user, children=children)
        paginator = Paginator(rows, self.page_size)
        if not filters.get("rule_code") and not filters.get("team_id"):
            # The counts by status already say how many rows there are: not counted again.
            status = filters.get("status")
            paginator.count = counts.get(status, 0) if status else sum(counts.values())
        page = paginator.get_page(request.GET.get("page"))
        # Overdue deadlines due before go-live are marked as the backlog (tracker.backlog).
        go_live = go_live_date()
        query = params.copy()
        query.pop("page", None)
        return render(
            request,
            "tracker/deadline_list.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "rows_html": deadline_table.list_rows_html(page.object_list, go_live),
                "counts": [
                    (status, Deadline.Status(status).label, n) for status, n in counts.items()
                ],
            },
        )


class DeadlineExportView(PermissionRequiredMixin, View):
    """CSV: one row per child per deadline (columns documented in the README)."""

    permission_required = "tracker.view_deadline"

    def get(self, request):
        filters = _filters(DeadlineFilterForm(request.GET or None))
        rows = selectors.export_queryset(user=request.user, **filters)
        # Written by PostgreSQL and streamed in pieces: memory stays flat (issue 19).
        response = StreamingHttpResponse(
            stream_csv(selectors.EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
        name = f"deadlines-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
