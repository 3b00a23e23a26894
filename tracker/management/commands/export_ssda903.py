"""Export the SSDA903 tables for a collection year from the product's own records."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.management.commands.import_ssda903 import acting_user
from tracker.ssda903 import writer
from tracker.ssda903.services import ssda903_export


class Command(BaseCommand):
    help = (
        "Write header.csv, episodes.csv and reviews.csv for the SSDA903 collection year ending "
        "31 March YYYY, in the DfE layout."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the collection ends: 2027 for 2026-27",
        )
        parser.add_argument("outdir", help="Folder to write the CSV files into")
        parser.add_argument("--user", help="Username recorded as making the export")

    def handle(self, *args, year: int, outdir: str, user: str | None, **options) -> None:
        try:
            tables = ssda903_export(by=acting_user(user), year=year)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for path in writer.write_folder(tables, Path(outdir)):
            table = next(t for t in tables if t.filename == path.name)
            self.stdout.write(f"{path}: {len(tables[table])} rows")
