"""An SSDA903 import started from the page, run by a Celery worker (issue 7).

A real authority's return (500 to 5,000 children, several years in one zip) takes minutes to
import: longer than a web request may last. The page stores the upload and queues the import;
this record is what the administrator watches, and what remains afterwards of what it did.

It is an operational record, not case data, so it keeps no history of its own: the children,
episodes and reviews it changes keep theirs, naming `started_by`. Loaded by tracker/models.py.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence.models import Child, Team, User


def upload_path(instance: Ssda903Import, filename: str) -> str:
    # A return is full of children's details: the stored name says nothing about them.
    return f"ssda903/uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.zip"


def _no_tallies() -> dict:
    zero = {"created": 0, "updated": 0, "unchanged": 0}
    return {"children": dict(zero), "episodes": dict(zero), "reviews": dict(zero)}


class Ssda903Import(models.Model):
    """One upload of an SSDA903 return: queued, running, then done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped"

    FINISHED = (Status.DONE, Status.FAILED)

    # The uploaded files, packed into one zip as uploaded; emptied once the import has finished.
    file = models.FileField(upload_to=upload_path, blank=True)
    file_names = models.JSONField("files uploaded", default=list, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The team children new to the service join.",
    )
    dry_run = models.BooleanField(
        "check only", default=False, help_text="Check the files and change nothing."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker has picked it up: a worker that dies mid-import hands it back.
    attempts = models.PositiveSmallIntegerField(default=0)

    # What the import service reported.
    children_imported = models.PositiveIntegerField(default=0)
    children_rejected = models.PositiveIntegerField(default=0)
    tallies = models.JSONField(default=_no_tallies, blank=True)
    rejections = models.JSONField(
        default=list,
        blank=True,
        help_text="Each problem found: file, row, column, child and message.",
    )
    notices = models.JSONField(default=list, blank=True)
    files_unreadable = models.BooleanField(
        default=False,
        help_text="The files were not a complete return in the DfE's layout: nothing was read.",
    )
    reviews_held = models.BooleanField(default=True)
    failure_message = models.TextField(blank=True)

    class Meta:
        verbose_name = "SSDA903 import"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        what = "Check" if self.dry_run else "Import"
        return f"{what} of an SSDA903 return, {self.created_at:%d/%m/%Y %H:%M} ({self.status})"

    # A worker takes a queued import within seconds; this long means no worker is taking any.
    WAITING_TOO_LONG = dt.timedelta(minutes=10)

    @property
    def waiting_too_long(self) -> bool:
        """Still queued long after upload: the background worker has stopped, or lost it."""
        return (
            self.status == self.Status.QUEUED
            and timezone.now() - self.created_at > self.WAITING_TOO_LONG
        )

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    # The figures the result partial shows, under the names it uses.
    @property
    def children(self) -> dict:
        return self.tallies.get("children", {})

    @property
    def episodes(self) -> dict:
        return self.tallies.get("episodes", {})

    @property
    def reviews(self) -> dict:
        return self.tallies.get("reviews", {})

    @property
    def other_rows(self) -> dict:
        """Rows of the tables kept as given (empty for imports made before they were kept)."""
        return self.tallies.get("other_rows", {})


class ReturnRow(models.Model):
    """A row of one of the return's tables whose facts the service does not hold in its own
    records (UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, SWEpisodes, DoLo), kept
    as the return gave it under its collection year, so that the export is a complete return
    (issue 18). Matched on the child, table, year and the row's key dates: importing the same
    return twice changes nothing."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(help_text="The collection year (the year it ends).")
    # The row's own key columns' values joined by "|" ("" for a table of one row a child a year).
    key = models.CharField(max_length=60, blank=True)
    # Every column but CHILD and DOB (written from the child's record), as given.
    values = models.JSONField(default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "SSDA903 return row"
        ordering = ["table", "year", "child", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "table", "year", "key"], name="return_row_unique"
            )
        ]
        indexes = [models.Index(fields=["table", "year"])]

    def __str__(self) -> str:
        return f"{self.table} row for {self.year - 1}-{str(self.year)[2:]}"
