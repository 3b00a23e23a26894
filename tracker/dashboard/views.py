"""The tracker's pages: the dashboard (a service's or one's own caseload), its CSV, the measures
and the child's chronology. Thin: they parse the request and read stored rows (SPEC §6)."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from permanence.access import reading_child_page
from permanence.models import Team
from permanence.roles import Role
from permanence.selectors import child_get_for_user
from tracker.backlog import may_see_backlog
from tracker.dashboard import chronology as chronology_selectors
from tracker.dashboard import family_finding, iro_reviews, matching_measures, selectors, timeliness
from tracker.dashboard import measures as measures_selectors
from tracker.dashboard.cohorts import Links
from tracker.dashboard.forms import (
    PERIODS,
    DashboardFilterForm,
    MeasuresFilterForm,
    period_bounds,
)
from tracker.dashboard.models import Rag
from tracker.dashboard.table import TrackerTable
from tracker.exports import csv_chunks

SCOPES = {
    "service": {
        "title": "Tracker",
        "url": "tracker:dashboard",
        "export": "tracker:dashboard-export",
    },
    "mine": {
        "title": "My caseload tracker",
        "url": "tracker:dashboard-mine",
        "export": "tracker:dashboard-mine-export",
    },
}


def _form(request: HttpRequest, scope: str) -> DashboardFilterForm:
    user = request.user
    options = selectors.filter_options(user=user, scope=scope, team=request.GET.get("team"))
    rows = selectors.rows_for_scope(user=user, scope=scope)

    def person_exists(name: str, pk: int) -> bool:
        role = Role.SOCIAL_WORKER if name == "worker" else Role.IRO
        return selectors.person_in(pk=pk, role=role, options=options, rows=rows)

    return DashboardFilterForm(request.GET, options=options, person_exists=person_exists)


def _select_fields(form: DashboardFilterForm) -> list[dict]:
    """Each filter as the page draws it: a select, or a hint when the list would be too long."""
    options = form.options
    listed = {
        "worker": (
            [("", "All workers"), *options.workers] if options.workers is not None else None
        ),
        "iro": ([("", "All IROs"), *options.iros] if options.iros is not None else None),
    }
    out = []
    for name in (
        "team",
        "worker",
        "iro",
        "route",
        "status",
        "rag",
        "legal_status",
        "court_stage",
        "sort",
    ):
        field = form.fields[name]
        choices = listed.get(name, getattr(field, "choices", None))
        selected = form.value_of(name) or ("" if name != "sort" else selectors.DEFAULT_SORT)
        out.append(
            {
                "name": name,
                "label": field.label,
                # Whether each is chosen is worked out here: a long list renders faster.
                "options": None
                if choices is None
                else [(str(value), text, str(value) == selected) for value, text in choices],
                "selected": selected,
            }
        )
    return out


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


class DashboardView(PermissionRequiredMixin, View):
    """Every child's route, status, next deadline and RAG, filtered and sorted (SPEC §6, 004)."""

    permission_required = "tracker.view_trackerrow"
    scope = "service"

    def get(self, request):
        form = _form(request, self.scope)
        filters, sort = form.filters(), form.chosen_sort()
        counts = selectors.rag_counts(user=request.user, scope=self.scope, filters=filters)
        rows = selectors.dashboard_rows(
            user=request.user, scope=self.scope, filters=filters, sort=sort
        )
        paginator = Paginator(rows, selectors.PAGE_SIZE)
        # The grouped RAG count already says how many rows match: no second COUNT(*).
        paginator.count = counts.total
        page = paginator.get_page(request.GET.get("page"))
        config = SCOPES[self.scope]
        user = request.user
        context = {
            "select_fields": _select_fields(form),
            "sort_label": selectors.SORTS[sort][0],
            "can_see_mine": self.scope == "service" and user.has_role(Role.SOCIAL_WORKER, Role.IRO),
            "title": config["title"],
            "scope": self.scope,
            "form": form,
            "options": form.options,
            "page": page,
            "counts": counts,
            "rag_links": [
                (value, label, counts.counts.get(value, 0), selectors.RAG_TAGS[value])
                for value, label in Rag.choices
            ],
            "query": _query(request),
            "query_without_rag": _query(request, "rag"),
            "export_url": reverse(config["export"]),
            "page_url": reverse(config["url"]),
            "notes": form.notes(),
            "filters": filters,
            "measure_sentence": form.measure_sentence(),
            "measure_fields": form.measure_fields(),
            "measures_query": form.measures_query(),
            "today": timezone.localdate(),
            "can_see_measures": request.user.has_perm("tracker.view_measures"),
            "can_see_backlog": may_see_backlog(request.user),
            "table": TrackerTable(
                rows=page.object_list,
                stages=family_finding.stages_for(page.object_list),
                legal_statuses=dict(form.options.legal_statuses),
                deadline_tags=selectors.DEADLINE_TAGS,
            ),
        }
        # htmx (filters, pages and RAG links, boosted) only needs the dashboard's own region.
        template = (
            "tracker/dashboard/partials/_dashboard.html"
            if request.htmx
            else "tracker/dashboard/dashboard.html"
        )
        return render(request, template, context)


class MyCaseloadView(DashboardView):
    """The same, for the children the user is the social worker or IRO of."""

    scope = "mine"


class DashboardExportView(PermissionRequiredMixin, View):
    """The dashboard's rows with its current filters, as CSV, streamed (see
    docs/tracker-dashboard.md)."""

    permission_required = "tracker.view_trackerrow"
    scope = "service"

    def get(self, request):
        form = _form(request, self.scope)
        today = timezone.localdate()
        rows = selectors.export_rows(
            user=request.user,
            scope=self.scope,
            filters=form.filters(),
            sort=form.chosen_sort(),
            today=today,
        )
        # Streamed in pieces of rows, read in chunks: memory stays flat (issue 19).
        response = StreamingHttpResponse(
            csv_chunks(selectors.EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8"
        )
        name = "my-caseload-tracker" if self.scope == "mine" else "tracker"
        response["Content-Disposition"] = f'attachment; filename="{name}-{today:%Y-%m-%d}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class MyCaseloadExportView(DashboardExportView):
    scope = "mine"


class MeasuresView(PermissionRequiredMixin, View):
    """The measures of performance, each with a chart and a table, by team and period (SPEC §6)."""

    permission_required = "tracker.view_measures"

    def get(self, request):
        rows = selectors.rows_visible_to(request.user)
        # DISTINCT, so PostgreSQL gathers the rows' teams once and joins them: asked as
        # IN (rows), it looks through every team's rows for one in scope (110 ms at 100,000).
        teams = list(
            Team.objects.filter(pk__in=rows.order_by().values("team_id").distinct())
            .order_by("name")
            .values_list("pk", "name")
        )
        form = MeasuresFilterForm(request.GET, teams=[(str(pk), name) for pk, name in teams])
        team_id, period = form.team_id(), form.chosen_period()
        if team_id:
            rows = rows.filter(team_id=team_id)
        today = timezone.localdate()
        start, end = period_bounds(period, today)
        return render(
            request,
            "tracker/dashboard/measures.html",
            {
                "form": form,
                "notes": form.notes(),
                "team_value": form.value_of("team"),
                "period": period,
                "team_name": dict(teams).get(team_id, "All teams") if team_id else "All teams",
                "period_label": PERIODS[period],
                "start": start,
                "end": end,
                "measures": [
                    *measures_selectors.measures(
                        rows=rows,
                        start=start,
                        end=end,
                        today=today,
                        links=Links(team=team_id, period=period),
                    ),
                    matching_measures.days_to_match(rows, start, end),
                ],
            },
        )


def _measures_filters(request: HttpRequest) -> dict:
    """The reader's children (their scope), narrowed to the team chosen, and the period."""
    rows = selectors.rows_visible_to(request.user)
    # DISTINCT, so PostgreSQL gathers the rows' teams once and joins them: asked as
    # IN (rows), it looks through every team's rows for one in scope (110 ms at 100,000).
    teams = list(
        Team.objects.filter(pk__in=rows.order_by().values("team_id").distinct())
        .order_by("name")
        .values_list("pk", "name")
    )
    form = MeasuresFilterForm(request.GET, teams=[(str(pk), name) for pk, name in teams])
    team_id, period = form.team_id(), form.chosen_period()
    if team_id:
        rows = rows.filter(team_id=team_id)
    today = timezone.localdate()
    start, end = period_bounds(period, today)
    return {
        "rows": rows,
        "today": today,
        "form": form,
        "notes": form.notes(),
        "team_value": form.value_of("team"),
        "period": period,
        "team_name": dict(teams).get(team_id, "All teams") if team_id else "All teams",
        "period_label": PERIODS[period],
        "start": start,
        "end": end,
        "query": _query(request),
        "links": Links(team=team_id, period=period),
    }


class TimelinessView(PermissionRequiredMixin, View):
    """How many reviews, IRO allocations, Part 1s, Legal Gateway re-reviews and care
    proceedings were on time, by month, team and person responsible (issue 12)."""

    permission_required = "tracker.view_measures"

    def get(self, request):
        context = _measures_filters(request)
        context["figures"] = timeliness.figures(
            rows=context.pop("rows"),
            start=context["start"],
            end=context["end"],
            today=context["today"],
            links=context["links"],
        )
        return render(request, "tracker/dashboard/timeliness.html", context)


class TimelinessListView(PermissionRequiredMixin, View):
    """The deadlines behind one timeliness figure, late and missed first (issue 12)."""

    permission_required = "tracker.view_measures"
    page_size = 50

    def get(self, request, key: str):
        measure = timeliness.BY_KEY.get(key)
        if measure is None:
            raise Http404("No such measure")
        context = _measures_filters(request)
        deadlines = timeliness.visible_deadlines(context.pop("rows"))
        args = (deadlines, context["start"], context["end"], context["today"])
        figure = measure.fetch(*args, context["links"])
        page = Paginator(measure.listed(*args), self.page_size).get_page(request.GET.get("page"))
        context.update({"measure": measure, "figure": figure, "page": page})
        return render(request, "tracker/dashboard/timeliness_list.html", context)


class ChronologyView(View):
    """Everything recorded about the child, in date order, with who did it, and the RAG the
    rules give beside the Permanence Panel's (SPEC §6)."""

    page_size = 50

    def get(self, request, pk: int):
        child = child_get_for_user(user=request.user, pk=pk)
        # The page asks again whether the reader may see the child (arranging a panel): worked
        # out once, as on the child's page (issue 19).
        with reading_child_page(request.user, child):
            return self._page(request, child)

    def _page(self, request, child):
        asked = [k for k in request.GET.getlist("kind") if k]
        chosen = [k for k in chronology_selectors.KINDS if k in asked]
        unknown = [k for k in asked if k not in chronology_selectors.KINDS]
        note = ""
        if unknown and not chosen:
            note = f"“{unknown[0][:40]}” is not one of the kinds of record, so everything is shown."
        order = request.GET.get("order")
        if order not in (chronology_selectors.NEWEST, chronology_selectors.OLDEST):
            order = chronology_selectors.NEWEST
        entries = chronology_selectors.chronology(
            child=child, kinds=set(chosen) or None, order=order
        )
        page = Paginator(entries, self.page_size).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "tracker/dashboard/chronology.html",
            {
                "child": child,
                "row": selectors.tracker_row_for_child(child=child),
                "ratings": selectors.panel_ratings(child=child),
                "page": page,
                "entries": chronology_selectors.entries_html(page.object_list),
                "kinds": list(chronology_selectors.KINDS.items()),
                "chosen": chosen,
                "order": order,
                "oldest_first": order == chronology_selectors.OLDEST,
                "note": note,
                "query": query.urlencode(),
                "can_arrange_panel": request.user.has_perm("forums.add_meeting", child),
            },
        )


class IroReviewsView(View):
    """The IRO manager's page: each IRO's looked-after children, second reviews to come and
    overdue, and plans awaiting ratification (002 §9, §12)."""

    page_size = 25
    # IROs a page: a service's whole team of IROs on one page, and a very large authority's
    # (hundreds) in pages a manager can read, with the totals and the children with no IRO on
    # every page.
    iros_page_size = 50

    def get(self, request):
        if not iro_reviews.may_see_iro_reviews(request.user):
            raise PermissionDenied("Only the IRO manager oversees the IROs' reviews")
        today = timezone.localdate()
        paginator = Paginator(
            iro_reviews.awaiting_ratification(user=request.user, today=today), self.page_size
        )
        lines = iro_reviews.iro_lines(user=request.user, today=today)
        page = paginator.get_page(request.GET.get("page"))
        iros = Paginator([line for line in lines if line.iro_id], self.iros_page_size).get_page(
            request.GET.get("iros")
        )
        context = {
            "lines": lines,
            "iros": iros,
            "unallocated": next((line for line in lines if not line.iro_id), None),
            "all_iros": iro_reviews.all_iros(lines),
            "page": page,
            # Each table's pages keep the other table where it was.
            "iros_query": f"page={page.number}" if page.number > 1 else "",
            "page_query": f"iros={iros.number}" if iros.number > 1 else "",
            "today": today,
        }
        return render(request, "tracker/dashboard/iro_reviews.html", context)
