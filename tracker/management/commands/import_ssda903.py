"""Import an SSDA903 return from a folder of the DfE CSVs (or a zip of them)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.models import Team, User
from permanence.services import system_user
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import CollectionYear


def team_named(value: str | None) -> Team | None:
    if not value:
        return None
    team = Team.objects.filter(name=value).first()
    if team is None and value.isdigit():
        team = Team.objects.filter(pk=int(value)).first()
    if team is None:
        raise CommandError(f"No team called “{value}”")
    return team


def acting_user(username: str | None) -> User:
    if not username:
        return system_user()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user called “{username}”")
    return user


def _children(n: int, verb: str) -> str:
    """ "1 child was", "2 children were" ("would be" either way)."""
    if n == 1:
        return f"1 child {'was' if verb == 'were' else verb}"
    return f"{n} children {verb}"


class Command(BaseCommand):
    help = (
        "Import an SSDA903 return: every table (the Header, Episodes and Reviews into the "
        "service's records, the others kept as given). Creates or updates children "
        "idempotently; a child with any problem is not imported at all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A folder of the return's CSV files, or a zip of them")
        parser.add_argument(
            "--team", help="Team (name or id) for children new to the product; default: the first"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and change nothing"
        )
        parser.add_argument(
            "--user", help="Username the changes are recorded against; default: the system"
        )
        parser.add_argument(
            "--year",
            type=int,
            help="Collection year of the return, the year it ends (2026 for 2025-26); default: "
            "the year holding its latest date",
        )

    def handle(self, *args, path: str, team: str | None, dry_run: bool, user, year=None, **options):
        source = Path(path)
        if source.is_dir():
            paths = sorted(p for p in source.iterdir() if p.suffix.lower() in {".csv", ".zip"})
        elif source.is_file():
            paths = [source]
        else:
            raise CommandError(f"{source} is neither a folder nor a file")
        if not paths:
            raise CommandError(f"There are no CSV files in {source}")
        files = [(p.name, p.read_bytes()) for p in paths]
        try:
            report = ssda903_import(
                files=files,
                by=acting_user(user),
                team=team_named(team),
                dry_run=dry_run,
                year=year,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

        out = self.stdout
        verb = "would be" if dry_run else "were"
        for notice in report.notices:
            out.write(notice)
        if report.stopped:
            self._problems(report)
            raise CommandError("Nothing was imported: correct the files and run it again.")
        for name, tally in (
            ("Children", report.children),
            ("Episodes", report.episodes),
            ("Reviews", report.reviews),
            ("Rows of the other tables", report.other_rows),
        ):
            out.write(
                f"{name}: {tally.created} {verb} created, {tally.updated} updated, "
                f"{tally.unchanged} unchanged"
            )
        self._problems(report)
        for warning in sorted(report.warnings, key=lambda w: w.sort_key):
            out.write(f"Imported, but worth a look: {warning.located()}")
        summary = f"{_children(report.imported, verb)} imported in {report.seconds:.1f}s"
        if report.year:
            summary += f" from the {CollectionYear(report.year).label} return"
        if dry_run:
            summary += " (dry run: nothing was changed)"
        if report.rejected:
            out.write(summary)
            raise CommandError(
                f"{_children(len(report.rejected), verb)} not imported because of the problems "
                f"above: "
                + ", ".join(r.child_id for r in report.rejected[:20])
                + (" …" if len(report.rejected) > 20 else ""),
                returncode=1,
            )
        if report.problems:
            out.write(summary)
            raise CommandError("Some rows belong to no child: see the problems above")
        out.write(self.style.SUCCESS(summary))

    def _problems(self, report) -> None:
        for problem in report.sorted_problems():
            self.stderr.write(problem.located())
