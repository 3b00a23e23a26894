"""Importing an authority's SSDA903 return, and exporting the product's records as one.

Import rules (issue 7): children, episodes and reviews are created or updated, matched on the
child identifier (CHILD), the episode's start date (DECOM) and the review date (REVIEW), so
importing the same return twice changes nothing. A child is imported whole or not at all: any
problem in any of its rows rejects all of them, and the report names each problem by file, row
and column. A dry run does everything, then rolls it back.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from permanence.models import Child, Team, User
from permanence.roles import Role
from permanence.services import SYSTEM_USERNAME
from tracker import signals
from tracker.ssda903 import importer, reviews_link, writer
from tracker.ssda903.checks import group_by_child, load_codes
from tracker.ssda903.importer import IMPORT_REASON, NEW_CHILD_FIRST_NAME
from tracker.ssda903.models import Ssda903Import
from tracker.ssda903.reader import Problem, read_files
from tracker.ssda903.tables import EPISODES, REVIEWS, CollectionYear, Table, parse_date

logger = logging.getLogger(__name__)

__all__ = ["IMPORT_REASON", "NEW_CHILD_FIRST_NAME", "ssda903_import", "ssda903_export"]
# A return naming this many children, none of them known, is probably another authority's.
WRONG_AUTHORITY_AT = 20
# 2017-18, the first collection year whose code lists are held (fixtures/ssda903_codes.json).
# The DfE validator knows 2022-23 on; earlier years have its 2022-23 lists. Sex is written 1 and
# 2 for the product's M and F until 2023-24.
FIRST_EXPORT_YEAR = 2018


def can_exchange_returns(user: User) -> bool:
    """Administrators import and export the SSDA903 return (issue 7)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
    )


def _require_administrator(by: User) -> None:
    # The system account is what management commands act as: whoever runs them already has
    # the server's shell.
    if by.username == SYSTEM_USERNAME and not by.is_active:
        return
    if not can_exchange_returns(by):
        raise PermissionDenied("Only an administrator can import or export the SSDA903 return.")


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class RejectedChild:
    child_id: str
    rows: int


@dataclass
class ImportReport:
    dry_run: bool
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # True when the files themselves were wrong (missing table, wrong columns): nothing read.
    stopped: bool = False
    children: Tally = field(default_factory=Tally)
    episodes: Tally = field(default_factory=Tally)
    reviews: Tally = field(default_factory=Tally)
    # Rows of the tables kept as given (UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing,
    # SWEpisodes, DoLo).
    other_rows: Tally = field(default_factory=Tally)
    rejected: list[RejectedChild] = field(default_factory=list)
    reviews_held: bool = True
    seconds: float = 0.0
    # Imported all the same, but worth a look (a second review on one day, a code the DfE
    # accepts in other years only).
    warnings: list[Problem] = field(default_factory=list)
    year: int | None = None

    @property
    def imported(self) -> int:
        return self.children.created + self.children.updated + self.children.unchanged

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.sort_key)


def return_year(dataset) -> CollectionYear:
    """The collection year a return is for: the one holding its latest date (a return holds no
    date after its 31 March). A return with no dates is taken to be this year's."""
    latest = None
    for table, columns in ((EPISODES, ("DECOM", "DEC")), (REVIEWS, ("REVIEW",))):
        for row in dataset.rows(table):
            for column in columns:
                try:
                    day = parse_date(row.values.get(column, ""))
                except ValueError:
                    continue
                if latest is None or day > latest:
                    latest = day
    return CollectionYear.containing(min(latest or timezone.localdate(), timezone.localdate()))


@transaction.atomic
def ssda903_import(
    *,
    files: Iterable[tuple[str, bytes]],
    by: User,
    team: Team | None = None,
    dry_run: bool = False,
    year: int | None = None,
) -> ImportReport:
    """Import an SSDA903 return: each child whole or not at all, idempotent, set-based (issues
    7 and 18). `year` is the collection year (the year it ends); by default the year holding
    the return's latest date."""
    _require_administrator(by)
    started = time.monotonic()
    team = team or Team.objects.first()
    if team is None:
        raise ValidationError({"team": "Create a team first: imported children join a team"})
    files = list(files)
    report = ImportReport(dry_run=dry_run, files=[name for name, _ in files])
    dataset = read_files(files)
    report.notices.extend(dataset.notices)
    review_model = reviews_link.review_model()
    report.reviews_held = review_model is not None
    if not report.reviews_held and dataset.rows(reviews_link.REVIEWS):
        report.notices.append(
            f"{dataset.tables['Reviews'].file}: this service does not hold looked-after reviews "
            f"yet, so the Reviews rows were checked but not imported."
        )
    if dataset.problems:
        report.problems.extend(dataset.problems)
        report.stopped = True
        report.seconds = time.monotonic() - started
        return report

    collection = CollectionYear(year) if year else return_year(dataset)
    report.year = collection.end_year
    records = group_by_child(dataset, load_codes(), year=collection.end_year)
    held = importer.load_held([cid for cid in records if cid], review_model, collection)
    named = sum(1 for cid in records if cid)
    if named >= WRONG_AUTHORITY_AT and not held.children and Child.objects.exists():
        # A return holds no authority code: a return for another authority shows itself by
        # naming none of the children this one already holds.
        report.notices.append(
            f"None of the {named} children in this return is one the service already holds. "
            f"Check that it is this authority's return: if not, import nothing from it."
        )
    writes, outcomes, rejected = importer.plan(
        records, held=held, team=team, by=by, year=collection, review_model=review_model
    )
    for child_id, record in sorted(records.items()):
        if child_id in rejected:
            report.problems.extend(rejected[child_id])
            if child_id:
                report.rejected.append(RejectedChild(child_id=child_id, rows=record.row_count))
            continue
        report.warnings.extend(record.warnings)
        outcome = outcomes[child_id]
        report.children.count(outcome.child)
        for o in outcome.episodes:
            report.episodes.count(o)
        for o in outcome.reviews:
            report.reviews.count(o)
        for o in outcome.rows:
            report.other_rows.count(o)
    touched = importer.write(writes, by=by, review_model=review_model, year=collection)
    # Bulk writes send no save signals: the children whose records changed have their
    # deadlines worked out again once the import commits, as a save would have done.
    signals.mark_changed(sorted(touched))

    if dry_run:
        transaction.set_rollback(True)
    report.seconds = time.monotonic() - started
    logger.info(
        "SSDA903 import%s by %s: %s children imported, %s rejected, in %.1fs",
        " (dry run)" if dry_run else "",
        by.username,
        report.imported,
        len(report.rejected),
        report.seconds,
    )
    return report


# Imports started from the page (tracker.ssda903.models.Ssda903Import): a return of a few
# thousand children takes minutes, longer than a web request may last, so a worker runs it.

# A worker that dies mid-import (out of memory, a deployment) hands the import back to be started
# again; after this many starts it is given up rather than tried for ever.
MAX_ATTEMPTS = 2
STOPPED_UNEXPECTEDLY = (
    "The import stopped because of an unexpected error, so nothing was changed. Upload the "
    "files again. If it stops again, tell the service's support team, quoting import number {pk}."
)
STOPPED_REPEATEDLY = (
    "The import stopped before it finished, twice, so nothing was changed and it has not been "
    "tried again. Upload the files again, or ask the service's support team to import them "
    "with the import_ssda903 command."
)
FILES_MISSING = "The uploaded files could not be found, so nothing was changed. Upload them again."
NO_LONGER_ADMINISTRATOR = (
    "Only an administrator can import the SSDA903 return, and the person who uploaded these "
    "files no longer is one, so nothing was changed."
)


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    stem, dot, suffix = name.rpartition(".")
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}).{suffix}" if dot else f"{name} ({number})"
    taken.add(candidate)
    return candidate


def _pack(uploads: Iterable[UploadedFile], into) -> list[str]:
    """Write the uploaded files into one zip under the names they were uploaded with."""
    names: list[str] = []
    with zipfile.ZipFile(into, "w") as archive:
        for upload in uploads:
            info = zipfile.ZipInfo(_unique_name(upload.name, set(names)))
            # A zip inside is already compressed: compressing it again only costs time.
            info.compress_type = (
                zipfile.ZIP_STORED
                if info.filename.lower().endswith(".zip")
                else zipfile.ZIP_DEFLATED
            )
            with archive.open(info, "w") as member:
                for chunk in upload.chunks():
                    member.write(chunk)
            names.append(info.filename)
    return names


def _unpack(record: Ssda903Import) -> list[tuple[str, bytes]]:
    """The files as they were uploaded, for the import service."""
    try:
        with record.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()]
    except (FileNotFoundError, ValueError, zipfile.BadZipFile) as exc:
        raise ValidationError(FILES_MISSING) from exc


@transaction.atomic
def ssda903_import_queue(
    *, uploads: Iterable[UploadedFile], team: Team, dry_run: bool, by: User
) -> Ssda903Import:
    """Keep the uploaded return and queue its import for a worker (issue 7)."""
    _require_administrator(by)
    record = Ssda903Import(team=team, dry_run=dry_run, started_by=by)
    with tempfile.TemporaryFile() as packed:
        record.file_names = _pack(uploads, packed)
        packed.seek(0)
        record.file.save("return.zip", File(packed), save=False)
    record.full_clean()
    record.save()
    from tracker.tasks import ssda903_import_run

    # Robust: with the broker down the upload is still saved and its page says it is waiting;
    # after ten minutes the administrator can hand it to the workers again.
    transaction.on_commit(lambda: ssda903_import_run.delay(record.pk), robust=True)
    logger.info(
        "SSDA903 %s %s queued by %s",
        "check" if dry_run else "import",
        record.pk,
        by.username,
    )
    return record


@transaction.atomic
def ssda903_import_requeue(*, record: Ssda903Import, by: User) -> Ssda903Import:
    """Hand an import no worker has taken to the workers again (its message may have been
    lost). Safe even if the first message turns up after all: a finished or running import is
    never run twice."""
    _require_administrator(by)
    record = Ssda903Import.objects.select_for_update().get(pk=record.pk)
    if not record.waiting_too_long:
        minutes = int(Ssda903Import.WAITING_TOO_LONG.total_seconds() // 60)
        raise ValidationError(
            f"Only an import still waiting to start after {minutes} minutes is queued again"
        )
    from tracker.tasks import ssda903_import_run

    # Robust: with the broker down the upload is still saved and its page says it is waiting;
    # after ten minutes the administrator can hand it to the workers again.
    transaction.on_commit(lambda: ssda903_import_run.delay(record.pk), robust=True)
    logger.info("SSDA903 import %s queued again by %s", record.pk, by.username)
    return record


def _finish(record: Ssda903Import, status: str, *, message: str = "") -> None:
    """Mark the import finished and let go of the uploaded files, which hold children's details."""
    record.status = status
    record.failure_message = message
    record.finished_at = timezone.now()
    stored, storage = record.file.name, record.file.storage
    record.file = ""
    record.full_clean()
    record.save()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def _claim(import_id: int) -> Ssda903Import | None:
    """Mark a queued import running, where the page can see it; None when it has finished."""
    record = Ssda903Import.objects.select_for_update().filter(pk=import_id).first()
    if record is None or record.is_finished:
        return None  # delivered twice: the first delivery has done it
    if record.attempts >= MAX_ATTEMPTS:
        logger.error("SSDA903 import %s given up after %s starts", record.pk, record.attempts)
        _finish(record, Ssda903Import.Status.FAILED, message=STOPPED_REPEATEDLY)
        return record
    # Already running means the worker that started it stopped: its transaction, and with it
    # everything it imported, was rolled back, and the service is idempotent, so start again.
    record.status = Ssda903Import.Status.RUNNING
    record.started_at = timezone.now()
    record.attempts += 1
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def _fail(import_id: int, message: str) -> Ssda903Import:
    record = Ssda903Import.objects.select_for_update().get(pk=import_id)
    if not record.is_finished:
        _finish(record, Ssda903Import.Status.FAILED, message=message)
    return record


def _store(record: Ssda903Import, report: ImportReport) -> None:
    record.children_imported = report.imported
    record.children_rejected = len(report.rejected)
    record.tallies = {
        name: dataclasses.asdict(getattr(report, name))
        for name in ("children", "episodes", "reviews", "other_rows")
    }
    record.rejections = [
        {
            "file": p.file,
            "row": p.row,
            "column": p.column,
            "child": p.child,
            "message": p.message,
        }
        for p in report.sorted_problems()
    ]
    record.notices = list(report.notices) + [
        f"Imported, but worth a look: {w.located()}" for w in report.warnings
    ]
    record.files_unreadable = report.stopped
    record.reviews_held = report.reviews_held


def ssda903_import_run(*, import_id: int) -> Ssda903Import | None:
    """Run a queued import as the administrator who uploaded it, and keep its report (issue 7).

    Two transactions: "running" is committed first so that the page can show it; the import
    and its report share the second, so either both are saved or neither, and the page never
    says more or less than was imported. Safe to run twice: a finished import is left alone.
    """
    record = _claim(import_id)
    if record is None or record.status != Ssda903Import.Status.RUNNING:
        return record
    try:
        with transaction.atomic():
            # Held until the report is saved: a second delivery of the task waits here, then
            # finds the import finished.
            record = (
                Ssda903Import.objects.select_for_update()
                .select_related("team", "started_by")
                .get(pk=import_id)
            )
            if record.status != Ssda903Import.Status.RUNNING:
                return record
            report = ssda903_import(
                files=_unpack(record),
                by=record.started_by,
                team=record.team,
                dry_run=record.dry_run,
            )
            _store(record, report)
            _finish(record, Ssda903Import.Status.DONE)
    except PermissionDenied:
        logger.warning(
            "SSDA903 import %s refused: no longer started by an administrator", import_id
        )
        record = _fail(import_id, NO_LONGER_ADMINISTRATOR)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        logger.warning("SSDA903 import %s refused: %s", import_id, message)
        record = _fail(import_id, message)
    except Exception:
        logger.exception("SSDA903 import %s stopped by an unexpected error", import_id)
        record = _fail(import_id, STOPPED_UNEXPECTEDLY.format(pk=import_id))
    return record


def export_years(today=None) -> list[CollectionYear]:
    """The collection years the product can export: 2017-18 up to the current one."""
    current = CollectionYear.containing(today or timezone.localdate())
    return [CollectionYear(y) for y in range(current.end_year, FIRST_EXPORT_YEAR - 1, -1)]


def ssda903_export(*, by: User, year: int) -> dict[Table, writer.Rows]:
    """The SSDA903 tables for the collection year ending 31 March `year` (issue 7)."""
    _require_administrator(by)
    years = export_years()
    if year not in {y.end_year for y in years}:
        raise ValidationError(
            {
                "year": f"Choose a collection year from {years[-1].label} to {years[0].label}: "
                f"the return for the year ending 31 March {year} cannot be made"
            }
        )
    tables = writer.build_tables(year=CollectionYear(year))
    logger.info("SSDA903 export for the year ending 31 March %s by %s", year, by.username)
    return tables
