"""The SSDA903 pages for administrators: import a return, download this year's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from permanence.views import apply_validation_error
from tracker.ssda903 import writer
from tracker.ssda903.forms import ExportForm, ImportForm
from tracker.ssda903.selectors import ssda903_imports_for_user, ssda903_imports_recent
from tracker.ssda903.services import (
    can_exchange_returns,
    ssda903_export,
    ssda903_import_queue,
    ssda903_import_requeue,
)
from tracker.ssda903.tables import TABLES, CollectionYear

# A page listing tens of thousands of problems helps nobody; the command lists them all.
PROBLEMS_SHOWN = 1000
# While an import is waiting or running, its page reloads itself this often (no JavaScript).
REFRESH_SECONDS = 5


class AdministratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_exchange_returns(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReturnView(AdministratorRequiredMixin, View):
    """The SSDA903 page: download a year's return, or go on to import one."""

    def get(self, request):
        return render(
            request,
            "tracker/ssda903/return.html",
            {
                "form": ExportForm(),
                "tables": [t for t in TABLES if t.held],
                "imports": ssda903_imports_recent(user=request.user),
            },
        )


class ExportView(AdministratorRequiredMixin, View):
    """The year's Header, Episodes and Reviews CSVs in one zip file."""

    def get(self, request):
        form = ExportForm(request.GET)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                tables = ssda903_export(by=request.user, year=year)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                label = CollectionYear(year).label
                response = HttpResponse(writer.zip_bytes(tables), content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="ssda903_{label}.zip"'
                return response
        return render(
            request,
            "tracker/ssda903/return.html",
            {
                "form": form,
                "tables": [t for t in TABLES if t.held],
                "imports": ssda903_imports_recent(user=request.user),
            },
            status=400,
        )


class ImportView(AdministratorRequiredMixin, View):
    """Upload a return: it is kept and imported by a worker, and its page shows how it went."""

    template_name = "tracker/ssda903/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = ssda903_import_queue(
                    uploads=data["files"],
                    team=data["team"],
                    dry_run=data["mode"] == ImportForm.CHECK,
                    by=request.user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("tracker:ssda903-import-detail", pk=record.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ImportDetailView(AdministratorRequiredMixin, View):
    """One import: waiting, running (the page refreshes itself), or what it did. One left
    waiting long after upload can be handed to the workers again (POST)."""

    def post(self, request, pk: int):
        record = get_object_or_404(ssda903_imports_for_user(user=request.user), pk=pk)
        try:
            ssda903_import_requeue(record=record, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "The import has been handed to the workers again.")
        return redirect("tracker:ssda903-import-detail", pk=record.pk)

    def get(self, request, pk: int):
        record = get_object_or_404(ssda903_imports_for_user(user=request.user), pk=pk)
        problems = record.rejections
        return render(
            request,
            "tracker/ssda903/import_detail.html",
            {
                "record": record,
                "refresh_seconds": None if record.is_finished else REFRESH_SECONDS,
                "problems": problems[:PROBLEMS_SHOWN],
                "problems_total": len(problems),
                "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            },
        )
