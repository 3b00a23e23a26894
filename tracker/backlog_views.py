"""The "Backlog at go-live" page for managers, its CSV, and marking an item reviewed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from tracker import backlog
from tracker.exports import Echo, csv_writer
from tracker.forms import BacklogFilterForm


class _ManagersOnly(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not backlog.may_see_backlog(request.user):
            raise PermissionDenied("Only managers of a service see its backlog.")
        return super().dispatch(request, *args, **kwargs)


class BacklogView(_ManagersOnly):
    """Each child and deadline already overdue when the service went live, oldest first."""

    page_size = 50

    def get(self, request):
        form = BacklogFilterForm(request.GET or None, user=request.user)
        filters = form.filters()
        rows = backlog.backlog_for_user(user=request.user, **filters)
        page = Paginator(rows, self.page_size).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "tracker/backlog_list.html",
            {
                "form": form,
                "page": page,
                "state": filters["state"],
                "query": query.urlencode(),
                "go_live": backlog.go_live_date(),
                "counts": [
                    (value, label, n)
                    for (value, label), n in zip(
                        backlog.STATES,
                        backlog.backlog_counts(user=request.user).values(),
                        strict=True,
                    )
                ],
            },
        )


class BacklogExportView(_ManagersOnly):
    """CSV of the backlog items the page shows (same filters)."""

    def get(self, request):
        form = BacklogFilterForm(request.GET or None, user=request.user)
        rows = backlog.backlog_for_user(user=request.user, **form.filters())
        writer = csv_writer(Echo())

        def stream():
            yield writer.writerow(backlog.EXPORT_COLUMNS)
            for row in backlog.export_rows(rows):
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        name = f"backlog-at-go-live-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class BacklogReviewView(_ManagersOnly):
    """POST: mark one backlog item reviewed (GET is refused with 405)."""

    def post(self, request, pk: int):
        alert = backlog.backlog_item_for_user(user=request.user, pk=pk)
        if alert is None:
            raise Http404("No such item in your service's backlog.")
        backlog.backlog_item_review(alert=alert, by=request.user)
        messages.success(
            request,
            f"Marked reviewed: {alert.rule.name} for {alert.child.full_name}. It closes itself "
            "when the event is recorded.",
        )
        # Back to the same filtered list: the query is parsed and re-encoded onto our own path.
        query = QueryDict(request.POST.get("query", "")).urlencode()
        url = reverse("tracker:backlog")
        return redirect(f"{url}?{query}" if query else url)
