"""Onboard an authority in one command (issue 18): services and teams, staff, its last SSDA903
returns, who works with which child, and the go-live date from which deadlines are tracked.

    manage.py onboard --name "Shire County Council" \\
        --team "Children in Care:North Team" --team "Children in Care:South Team" \\
        --staff staff.csv --returns returns/2024-25 returns/2025-26 \\
        --allocations allocations.csv --go-live 2026-04-01 [--dry-run]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from permanence.models import Team
from tracker.management.commands.import_ssda903 import acting_user
from tracker.ssda903.onboarding import (
    Onboarding,
    allocations_load,
    go_live_set,
    services_and_teams_setup,
    staff_load,
)
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import CollectionYear


class _DryRun(Exception):
    pass


def _team(value: str) -> tuple[str, str]:
    service, sep, team = value.partition(":")
    if not sep or not service.strip() or not team.strip():
        raise CommandError(
            f"--team takes SERVICE:TEAM, for example “Children in Care:North Team”, not “{value}”"
        )
    return service.strip(), team.strip()


def _files(path: str) -> list[tuple[str, bytes]]:
    source = Path(path)
    if source.is_dir():
        found = sorted(p for p in source.iterdir() if p.suffix.lower() in {".csv", ".zip"})
    elif source.is_file():
        found = [source]
    else:
        raise CommandError(f"{source} is neither a folder nor a file")
    if not found:
        raise CommandError(f"There are no CSV files in {source}")
    return [(p.name, p.read_bytes()) for p in found]


def _read(path: str | None) -> tuple[str, bytes] | None:
    if not path:
        return None
    source = Path(path)
    if not source.is_file():
        raise CommandError(f"{source} is not a file")
    return source.name, source.read_bytes()


class Command(BaseCommand):
    help = (
        "Onboard an authority: its services and teams, staff (CSV: name, email, role, team), its "
        "last SSDA903 returns, the allocation of social workers and IROs (CSV: child, "
        "social_worker, iro) and the go-live date from which deadlines are tracked."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", help="The authority's name, as its staff know it")
        parser.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="SERVICE:TEAM",
            help="A service and one of its teams (repeat for each team)",
        )
        parser.add_argument("--staff", help="CSV of staff: name, email, role, team")
        parser.add_argument(
            "--returns",
            nargs="*",
            default=[],
            help="The authority's last SSDA903 returns: a folder (or zip) for each year",
        )
        parser.add_argument(
            "--returns-team",
            help="Team children new to the service join (default: the first team given)",
        )
        parser.add_argument(
            "--allocations", help="CSV allocating children: child, social_worker, iro (e-mails)"
        )
        parser.add_argument(
            "--go-live",
            type=dt.date.fromisoformat,
            help="The day the service goes live, YYYY-MM-DD (default: today)",
        )
        parser.add_argument("--user", help="Username the changes are recorded against")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, report it, change nothing"
        )

    def handle(self, *args, **options):
        teams = [_team(v) for v in options["team"]]
        staff = _read(options["staff"])
        allocations = _read(options["allocations"])
        returns = [_files(p) for p in options["returns"]]
        go_live = options["go_live"] or timezone.localdate()
        by = acting_user(options["user"])
        out = self.stdout
        result = Onboarding()
        reports = []
        try:
            with transaction.atomic():
                services_and_teams_setup(teams=teams, result=result)
                if staff:
                    staff_load(name=staff[0], content=staff[1], by=by, result=result)
                team = None
                wanted = options["returns_team"] or (teams[0][1] if teams else None)
                if wanted:
                    team = Team.objects.filter(name=wanted).first()
                    if team is None:
                        raise CommandError(f"No team called “{wanted}”")
                for files in returns:
                    reports.append(ssda903_import(files=files, by=by, team=team))
                if allocations:
                    allocations_load(
                        name=allocations[0], content=allocations[1], by=by, result=result
                    )
                go_live_set(on=go_live, by=by, result=result)
                self._print(result, reports, go_live, options)
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            out.write("Dry run: nothing was changed.")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if result.problems or any(r.problems for r in reports):
            raise CommandError("Onboarded, except the rows named above.", returncode=1)

    def _print(self, result: Onboarding, reports, go_live, options) -> None:
        out = self.stdout
        name = options["name"]
        if name and name != settings.AUTHORITY_NAME:
            out.write(
                f"Set AUTHORITY_NAME=“{name}” in the service's environment: pages say "
                f"“{settings.AUTHORITY_NAME}” until then."
            )
        out.write(
            f"Services created: {', '.join(result.services_created) or 'none'}; teams created: "
            f"{', '.join(result.teams_created) or 'none'}"
        )
        out.write(
            f"Staff: {len(result.staff_created)} accounts created, {len(result.staff_updated)} "
            f"updated. New accounts have no password yet: each sets one with “Forgotten your "
            f"password?” on the sign-in page."
        )
        for report in reports:
            label = CollectionYear(report.year).label if report.year else "?"
            out.write(
                f"SSDA903 return {label}: {report.imported} children imported "
                f"({report.children.created} new), {len(report.rejected)} refused; "
                f"{report.episodes.created} episodes and {report.reviews.created} reviews added, "
                f"{report.other_rows.created} rows of the other tables kept; "
                f"{len(report.warnings)} warnings"
            )
            for problem in report.sorted_problems():
                self.stderr.write(problem.located())
        out.write(
            f"Allocations: {result.allocated} children given their social worker or IRO, "
            f"{result.allocations_unchanged} already had them"
        )
        if result.rules_tracked_from:
            out.write(
                f"Deadlines tracked from {go_live:%d/%m/%Y} (the go-live date): "
                f"{len(result.rules_tracked_from)} rules whose events were recorded elsewhere "
                f"before then; the review deadlines are counted from the reviews in the returns."
            )
        for problem in result.problems:
            self.stderr.write(problem.located())
