"""The SSDA903 import's writing half, set-based (issue 18).

Everything is read first (the children named in the return, their episodes and reviews: a few
queries in all), every child is checked in memory against the rows of the return and what is
already held, and what changed is written with bulk operations that keep the history
(simple_history's bulk_*_with_history). A child is still imported whole or not at all: a child
with any problem is left out of every write.

Years in order: a return is a picture at 31 March of its collection year. An episode left open
in it was open on that day, not necessarily now, so an older return imported after a newer one
never reopens an episode the newer one closed, nor overwrites a child's details with older ones.

Reviews: the period of care a review belongs to is worked out from the child's episodes. A child
looked after for years has no "S" episode in this year's return; the period then starts at the
earliest episode held that runs without a break up to the review (the DfE accepts such a return).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from permanence.models import Child, Episode, Team, User
from tracker.ssda903.checks import CHILD_COLUMNS, EPISODE_COLUMNS, ChildRecord
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.reader import Problem
from tracker.ssda903.tables import CollectionYear

IMPORT_REASON = "SSDA903 import"


def import_reason(year: CollectionYear) -> str:
    """The history's reason for a change, naming the return's year: the next import reads it to
    tell whether what it holds came from a newer return."""
    return f"{IMPORT_REASON} ({year.label})"


def _year_of_reason(reason: str) -> int | None:
    # "SSDA903 import (2025-26)" -> 2026
    try:
        return int(reason.rsplit("(", 1)[1][:4]) + 1
    except (IndexError, ValueError):
        return None


# The return holds no names: a child new to the product is named by its identifier until the
# social worker records the name.
NEW_CHILD_FIRST_NAME = "Child"
BATCH = 500
# SQLite allows 999 parameters in a query on older builds: ask for children in slices.
IN_SLICE = 900
# Reviews moved to another place in a sequence are parked here first, so that no two ever hold
# the same place for an instant (PostgreSQL checks a unique index row by row).
PARKED = 20_000

CHILD_VALUES = {
    "sex": "SEX",
    "date_of_birth": "DOB",
    "ethnicity": "ETHNIC",
    "upn": "UPN",
    "is_mother": "MOTHER",
    "mothers_child_dob": "MC_DOB",
}
EPISODE_VALUES = {
    "rne": "RNE",
    "legal_status": "LS",
    "cin": "CIN",
    "place": "PLACE",
    "place_provider": "PLACE_PROVIDER",
    "dec": "DEC",
    "rec": "REC",
    "reason_place_change": "REASON_PLACE_CHANGE",
    "home_post": "HOME_POST",
    "pl_post": "PL_POST",
    "urn": "URN",
}
# What ends an episode: kept from a newer return when an older one shows the episode open.
ENDING = ("dec", "rec", "reason_place_change")


class Rejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Writes:
    """Everything the import will write, gathered before any of it is."""

    new_children: list[Child] = field(default_factory=list)
    changed_children: list[Child] = field(default_factory=list)
    new_episodes: list[Episode] = field(default_factory=list)
    changed_episodes: list[Episode] = field(default_factory=list)
    new_reviews: list = field(default_factory=list)
    changed_reviews: list = field(default_factory=list)
    # Reviews whose place in a sequence changes: parked before they are moved.
    moved_reviews: list = field(default_factory=list)
    new_rows: list[ReturnRow] = field(default_factory=list)
    changed_rows: list[ReturnRow] = field(default_factory=list)


@dataclass
class ChildOutcome:
    child: str = "unchanged"
    episodes: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)


def _slices(values: list, size: int = IN_SLICE) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _rule_for(field_name: str, message: str) -> str:
    if field_name == "decom" and "date of birth" in message:
        return "302"
    if field_name == "decom" and "overlaps" in message:
        return "501"
    if field_name == "dec" and "before the start" in message:
        return "356"
    if field_name in {"rec", "dec"} and (
        "reason the episode ended" in message or "ended" in message
    ):
        return "148"
    if field_name == "date_of_birth" and "future" in message:
        return "301"
    return ""


def _problems_from(errors: dict, *, row, columns: dict[str, str], child_id: str) -> list[Problem]:
    if set(errors) - {NON_FIELD_ERRORS, None}:
        # A database constraint's generic message only repeats what a field's message says.
        errors = {k: v for k, v in errors.items() if k not in {NON_FIELD_ERRORS, None}}
    found = []
    for name, messages in errors.items():
        column = columns.get(name) if name else None
        for message in messages if isinstance(messages, list) else [messages]:
            text = message if isinstance(message, str) else " ".join(message.messages)
            found.append(
                Problem(
                    row.file,
                    row.number,
                    column,
                    text,
                    child=child_id,
                    rule=_rule_for(name or "", text),
                )
            )
    return found


def _field_errors(obj, *, exclude: list[str]) -> dict:
    """The model's own field checks (lengths, choices, patterns), without touching the database."""
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {}


_RELATIONS = None


def _relations() -> list[str]:
    global _RELATIONS
    if _RELATIONS is None:
        # A relation's own check reads the database; the import sets only the team, which exists.
        _RELATIONS = [f.name for f in Child._meta.concrete_fields if f.is_relation]
    return _RELATIONS


@dataclass
class Held:
    """What the product already holds about the children named in a return."""

    children: dict[str, Child]
    episodes: dict[int, list[Episode]]
    reviews: dict[int, list]
    # The latest collection year (the year it ends) whose return changed each child's details.
    years: dict[int, int] = field(default_factory=dict)
    # The kept tables' rows for the return's year: (child pk, table, key) -> row.
    rows: dict[tuple[int, str, str], ReturnRow] = field(default_factory=dict)


def load_held(child_ids: list[str], review_model, year: CollectionYear | None = None) -> Held:
    children: dict[str, Child] = {}
    for part in _slices(child_ids):
        children.update({c.child_id: c for c in Child.objects.filter(child_id__in=part)})
    pks = [c.pk for c in children.values()]
    episodes: dict[int, list[Episode]] = defaultdict(list)
    reviews: dict[int, list] = defaultdict(list)
    years: dict[int, int] = {}
    rows: dict[tuple[int, str, str], ReturnRow] = {}
    for part in _slices(pks):
        if year is not None:
            for row in ReturnRow.objects.filter(child_id__in=part, year=year.end_year):
                rows[(row.child_id, row.table, row.key)] = row
        for pk, reason in Child.history.filter(
            id__in=part, history_change_reason__startswith=f"{IMPORT_REASON} ("
        ).values_list("id", "history_change_reason"):
            end_year = _year_of_reason(reason)
            if end_year and end_year > years.get(pk, 0):
                years[pk] = end_year
        for episode in Episode.objects.filter(child_id__in=part).order_by("decom"):
            episodes[episode.child_id].append(episode)
        if review_model is not None:
            for review in review_model.objects.filter(child_id__in=part, cancelled=False).order_by(
                "held_on", "pk"
            ):
                reviews[review.child_id].append(review)
    return Held(children=children, episodes=episodes, reviews=reviews, years=years, rows=rows)


def _plan_child(
    record: ChildRecord,
    *,
    child: Child | None,
    team: Team,
    year: CollectionYear,
    held_episodes,
    held_year: int | None,
) -> tuple[Child, str]:
    header = record.header
    values = {name: header.values[column] for name, column in CHILD_VALUES.items()}
    if child is None:
        child = Child(
            child_id=record.child_id,
            first_name=NEW_CHILD_FIRST_NAME,
            last_name=record.child_id,
            team=team,
            **values,
        )
        outcome = "created"
    else:
        newer = (held_year or 0) > year.end_year or any(
            e.decom > year.end or (e.dec and e.dec > year.end) for e in held_episodes
        )
        if newer:
            # An older return than one already imported: it may fill a blank, never overwrite.
            values = {
                k: v
                for k, v in values.items()
                if getattr(child, k) in (None, "") and v not in (None, "")
            }
        changed = {k: v for k, v in values.items() if getattr(child, k) != v}
        for name, value in changed.items():
            setattr(child, name, value)
        outcome = "updated" if changed else "unchanged"
    if outcome != "unchanged":
        errors = _field_errors(child, exclude=_relations())
        try:
            child.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise Rejected(
                _problems_from(
                    errors, row=header.row, columns=CHILD_COLUMNS, child_id=record.child_id
                )
            )
    return child, outcome


def _plan_episodes(record, *, child, year, held_episodes) -> tuple[list[Episode], list]:
    """The child's episodes once the return is applied, and each imported row's outcome."""
    merged = {e.decom: e for e in held_episodes}
    touched = []  # (checked row, episode, outcome)
    problems: list[Problem] = []
    for checked in sorted(record.episodes, key=lambda c: c.values["DECOM"]):
        v = checked.values
        fields = {name: v[column] for name, column in EPISODE_VALUES.items()}
        episode = merged.get(v["DECOM"])
        if episode is None:
            episode = Episode(child=child, decom=v["DECOM"], **fields)
            outcome = "created"
        else:
            if fields["dec"] is None and episode.dec is not None and episode.dec > year.end:
                # Open at this return's 31 March, ended later: a newer return said so.
                fields.update({name: getattr(episode, name) for name in ENDING})
            changed = {k: val for k, val in fields.items() if getattr(episode, k) != val}
            for name, value in changed.items():
                setattr(episode, name, value)
            outcome = "updated" if changed else "unchanged"
        episode.child = child
        for column, rule in (("DECOM", "354"), ("DEC", "385")):
            day = v[column]
            if day is not None and day > year.end:
                # A return is the picture at its 31 March: nothing in it happens later.
                problems.append(
                    Problem(
                        checked.row.file,
                        checked.row.number,
                        column,
                        f"{day:%d/%m/%Y} is after the end of the {year.label} collection year "
                        f"(31/03/{year.end_year})",
                        child=record.child_id,
                        rule=rule,
                    )
                )
        if outcome != "unchanged":
            errors = _field_errors(episode, exclude=["child"])
            for name, message in episode.problems_alone().items():
                errors.setdefault(name, []).append(message)
            problems.extend(
                _problems_from(
                    errors, row=checked.row, columns=EPISODE_COLUMNS, child_id=record.child_id
                )
            )
        merged[episode.decom] = episode
        touched.append((checked, episode, outcome))
    if problems:
        raise Rejected(problems)
    ordered = sorted(merged.values(), key=lambda e: e.decom)
    rows = {id(episode): checked for checked, episode, _ in touched}
    for before, after in zip(ordered, ordered[1:], strict=False):
        # Half-open [DECOM, DEC): the next episode may start the day one ends.
        if before.dec is not None and before.dec <= after.decom:
            continue
        if _ended_between_returns(before, after, rows=rows, year=year):
            # Held open from an older return, absent from this one (so it ended before this
            # year began), and followed by a continuation (RNE other than S), which by the DfE's
            # definition starts the day the episode before it ends: it ended then, reason X1.
            before.dec, before.rec = after.decom, "X1"
            if id(before) not in rows:
                touched.append((None, before, "updated"))
            checked = rows.get(id(after)) or rows[id(before)]
            record.warnings.append(
                Problem(
                    checked.row.file,
                    checked.row.number,
                    "DECOM",
                    f"The episode that started on {before.decom:%d/%m/%Y} is followed by one "
                    f"continuing it from {after.decom:%d/%m/%Y}, in another year's return, so "
                    f"it was ended that day (reason X1). Import the returns between them to "
                    f"complete it",
                    child=record.child_id,
                )
            )
            continue
        mine, other = (after, before) if id(after) in rows else (before, after)
        checked = rows.get(id(mine))
        if checked is None:
            continue  # both were held already: not this return's doing
        ended = f" and ended on {other.dec:%d/%m/%Y}" if other.dec else " and has not ended"
        problems.append(
            Problem(
                checked.row.file,
                checked.row.number,
                "DECOM",
                f"This overlaps the episode that started on {other.decom:%d/%m/%Y}{ended}",
                child=record.child_id,
                rule="501" if other.dec else "142",
            )
        )
    if problems:
        raise Rejected(problems)
    return ordered, touched


def _ended_between_returns(before, after, *, rows, year: CollectionYear) -> bool:
    """An open episode followed by a continuation from another year's return: it ended the day
    the continuation began. Either it is held open from an older return and absent from this
    one (so it ended before this year began), or this return shows it open at its 31 March and
    a newer return already imported holds the continuation."""
    if before.dec is not None or after.rne == "S":
        return False
    older_held = id(before) not in rows and before.decom < year.start and id(after) in rows
    newer_held = id(before) in rows and id(after) not in rows and after.decom > year.end
    return older_held or newer_held


def period_starts(episodes: list[Episode]) -> list[tuple[Episode, dt.date]]:
    """Each episode with the start of the period of care it belongs to: the last S episode,
    or the first of an unbroken run of episodes (each starting as the one before ends)."""
    out = []
    start = None
    previous = None
    for episode in episodes:
        if (
            start is None
            or episode.rne == "S"
            or previous.dec is None
            or previous.dec != episode.decom
        ):
            start = episode.decom
        out.append((episode, start))
        previous = episode
    return out


def _period_of(day: dt.date, periods) -> dt.date | None:
    found = None
    for episode, start in periods:
        if episode.decom <= day and (episode.dec is None or day <= episode.dec):
            found = start  # the later of two that meet on the day
    return found


def _state(review) -> tuple:
    return (
        review.period_started_on,
        review.sequence,
        review.due_on,
        review.held_on,
        review.participation,
    )


def _review_problem(checked, *, child, periods, today) -> Problem | None:
    day, code, row = checked.values["REVIEW"], checked.values["REVIEW_CODE"], checked.row

    def problem(column: str, message: str, rule: str = "") -> Problem:
        return Problem(row.file, row.number, column, message, child=child.child_id, rule=rule)

    if day > today:
        return problem("REVIEW", "The date held cannot be in the future")
    if _period_of(day, periods) is None:
        return problem(
            "REVIEW",
            f"The review on {day:%d/%m/%Y} is not in a period of care: it falls in none of "
            f"the child's episodes",
        )
    age = child.age_on(day) if child.date_of_birth else None
    if age is not None and age < 4 and code != "PN0":
        return problem(
            "REVIEW_CODE", "The child was under 4 at the review: the code is PN0", rule="441"
        )
    if age is not None and age >= 4 and code == "PN0":
        return problem(
            "REVIEW_CODE", f"PN0 is only for a child under 4; the child was {age}", rule="440"
        )
    return None


def _take_places(reviews_held, *, booked, periods) -> dict[int, object]:
    """Number every held review in its period of care, in the order held, with its due date;
    booked reviews follow. A new review whose place a booked one holds becomes that one: the
    booked review, now held, is returned in its stead (by the new review's id)."""
    from reviews import review_due_dates  # the reviews app is only needed once it holds reviews

    # Every held review takes its place in its period of care, in the order they were held.
    places: dict[dt.date, list] = defaultdict(list)
    for review in reviews_held:
        since = _period_of(review.held_on, periods)
        if since is not None:
            places[since].append(review)
    replaced: dict[int, object] = {}
    for since, reviews in places.items():
        reviews.sort(key=lambda r: (r.held_on, r.pk or 10**9))
        dates = [r.held_on for r in reviews]
        for number, review in enumerate(reviews, start=1):
            if review.pk is None:
                # A review booked in the service in this place becomes the one held.
                slot = next(
                    (b for b in booked if b.period_started_on == since and b.sequence == number),
                    None,
                )
                if slot is not None:
                    booked.remove(slot)
                    slot.held_on, slot.participation = review.held_on, review.participation
                    replaced[id(review)] = slot
                    review = slot
            if (review.period_started_on, review.sequence) != (since, number) or review.pk is None:
                review.period_started_on, review.sequence = since, number
                review.due_on = review_due_dates.review_due(
                    sequence=number, looked_after_since=since, held=dates[: number - 1]
                )
        # Booked reviews follow the held ones.
        following = [b for b in booked if b.period_started_on == since]
        for offset, review in enumerate(sorted(following, key=lambda b: b.sequence), start=1):
            number = len(reviews) + offset
            if review.sequence != number:
                review.sequence = number
                review.due_on = review_due_dates.review_due(
                    sequence=number, looked_after_since=since, held=dates
                )
    return replaced


def _plan_reviews(record, *, child, episodes, held_reviews, by, model, writes) -> list[str]:
    """Match the return's reviews to those held (by date held), add the rest, and give each
    its place in its period of care; each imported row's outcome, in date order."""
    periods = period_starts(episodes)
    today = timezone.localdate()
    snapshot = {id(r): _state(r) for r in held_reviews}
    problems: list[Problem] = []
    held = [r for r in held_reviews if r.held_on is not None]
    booked = [r for r in held_reviews if r.held_on is None]
    by_day: dict[dt.date, list] = defaultdict(list)
    for review in held:
        by_day[review.held_on].append(review)
    outcomes: list[tuple[object, str]] = []
    new = []
    for checked in sorted(record.reviews, key=lambda c: c.values["REVIEW"]):
        day, code = checked.values["REVIEW"], checked.values["REVIEW_CODE"]
        problem = _review_problem(checked, child=child, periods=periods, today=today)
        if problem is not None:
            problems.append(problem)
            continue
        same_day = by_day.get(day)
        if same_day:
            review = same_day.pop(0)
            if review.participation == code:
                outcomes.append((review, "unchanged"))
            else:
                review.participation = code
                outcomes.append((review, "updated"))
            continue
        review = model(
            child=child,
            held_on=day,
            participation=code,
            iro=child.iro,
            created_by=by,
        )
        new.append(review)
        outcomes.append((review, "created"))
    if problems:
        raise Rejected(problems)

    replaced = _take_places(held + new, booked=booked, periods=periods)
    result = []
    for review, outcome in outcomes:
        if id(review) in replaced:
            outcome = "updated"
        result.append(outcome)
    for review in held_reviews:
        before = snapshot[id(review)]
        if _state(review) != before:
            writes.changed_reviews.append(review)
            if before[:2] != (review.period_started_on, review.sequence):
                writes.moved_reviews.append(review)
    writes.new_reviews.extend(r for r in new if id(r) not in replaced)
    return result


def _plan_rows(record, *, child, held: Held, year: CollectionYear, writes: Writes) -> list[str]:
    """The kept tables' rows (OC2, Missing, ...) for the return's year, matched on the table and
    the row's key dates; each row's outcome."""
    outcomes = []
    for table, key, values in record.kept:
        row = held.rows.get((child.pk, table.name, key)) if child.pk else None
        if row is None:
            writes.new_rows.append(
                ReturnRow(child=child, table=table.name, year=year.end_year, key=key, values=values)
            )
            outcomes.append("created")
        elif row.values != values:
            row.values = values
            writes.changed_rows.append(row)
            outcomes.append("updated")
        else:
            outcomes.append("unchanged")
    return outcomes


def plan(
    records: dict[str, ChildRecord],
    *,
    held: Held,
    team: Team,
    by: User,
    year: CollectionYear,
    review_model,
) -> tuple[Writes, dict[str, ChildOutcome], dict[str, list[Problem]]]:
    """Check every child against what is held and gather the writes; nothing is written."""
    writes = Writes()
    outcomes: dict[str, ChildOutcome] = {}
    rejected: dict[str, list[Problem]] = {}
    for child_id in sorted(records):
        record = records[child_id]
        if record.problems or not child_id:
            rejected[child_id] = record.problems
            continue
        known = held.children.get(child_id)
        held_episodes = held.episodes.get(known.pk, []) if known else []
        held_reviews = held.reviews.get(known.pk, []) if known else []
        local = Writes()
        try:
            child, outcome = _plan_child(
                record,
                child=known,
                team=team,
                year=year,
                held_episodes=held_episodes,
                held_year=held.years.get(known.pk) if known else None,
            )
            episodes, touched = _plan_episodes(
                record, child=child, year=year, held_episodes=held_episodes
            )
            review_outcomes = []
            if record.reviews and review_model is not None:
                review_outcomes = _plan_reviews(
                    record,
                    child=child,
                    episodes=episodes,
                    held_reviews=held_reviews,
                    by=by,
                    model=review_model,
                    writes=local,
                )
        except Rejected as exc:
            rejected[child_id] = exc.problems
            continue
        episode_outcomes = [o for _, _, o in touched]
        row_outcomes = _plan_rows(record, child=child, held=held, year=year, writes=writes)
        if outcome == "created":
            writes.new_children.append(child)
        elif outcome == "updated":
            writes.changed_children.append(child)
        elif any(o != "unchanged" for o in episode_outcomes + review_outcomes + row_outcomes):
            outcome = "updated"  # the child's record stands, but its episodes or reviews changed
        for _, episode, o in touched:
            if o == "created":
                writes.new_episodes.append(episode)
            elif o == "updated":
                writes.changed_episodes.append(episode)
        writes.new_reviews.extend(local.new_reviews)
        writes.changed_reviews.extend(local.changed_reviews)
        writes.moved_reviews.extend(local.moved_reviews)
        outcomes[child_id] = ChildOutcome(outcome, episode_outcomes, review_outcomes, row_outcomes)
    return writes, outcomes, rejected


CHILD_WRITE_FIELDS = [*CHILD_VALUES, "updated_at"]
EPISODE_WRITE_FIELDS = list(EPISODE_VALUES)
REVIEW_WRITE_FIELDS = ["period_started_on", "sequence", "due_on", "held_on", "participation"]


def write(writes: Writes, *, by: User, review_model, year: CollectionYear) -> set[int]:
    """Write what `plan` gathered, keeping the history; the children touched, by pk."""
    history = {
        "default_user": by,
        "default_change_reason": import_reason(year),
        "batch_size": BATCH,
    }
    now = timezone.now()
    for child in writes.changed_children:
        child.updated_at = now
    if writes.new_children:
        bulk_create_with_history(writes.new_children, Child, **history)
    if writes.changed_children:
        bulk_update_with_history(writes.changed_children, Child, CHILD_WRITE_FIELDS, **history)
    # Changed first: an episode ended by this return frees the place of the one it opens.
    if writes.changed_episodes:
        bulk_update_with_history(writes.changed_episodes, Episode, EPISODE_WRITE_FIELDS, **history)
    if writes.new_episodes:
        for episode in writes.new_episodes:
            episode.child_id = episode.child.pk
        bulk_create_with_history(writes.new_episodes, Episode, **history)
    if review_model is not None:
        if writes.moved_reviews:
            # A step no one sees, inside the import's transaction: the history records the
            # final place, written next.
            finals = [(r, r.sequence) for r in writes.moved_reviews]
            # Numbered within each child (the places are unique per child), so the parked
            # numbers stay small however many children move.
            parked: dict[int, int] = defaultdict(int)
            for review, _ in finals:
                parked[review.child_id] += 1
                review.sequence = PARKED + parked[review.child_id]
            review_model.objects.bulk_update([r for r, _ in finals], ["sequence"], batch_size=BATCH)
            for review, number in finals:
                review.sequence = number
        if writes.changed_reviews:
            bulk_update_with_history(
                writes.changed_reviews, review_model, REVIEW_WRITE_FIELDS, **history
            )
        if writes.new_reviews:
            for review in writes.new_reviews:
                review.child_id = review.child.pk
            bulk_create_with_history(writes.new_reviews, review_model, **history)
    if writes.changed_rows:
        bulk_update_with_history(writes.changed_rows, ReturnRow, ["values"], **history)
    if writes.new_rows:
        for row in writes.new_rows:
            row.child_id = row.child.pk
        bulk_create_with_history(writes.new_rows, ReturnRow, **history)
    touched = {c.pk for c in writes.new_children + writes.changed_children}
    touched |= {e.child_id for e in writes.new_episodes + writes.changed_episodes}
    touched |= {r.child_id for r in writes.new_reviews + writes.changed_reviews}
    return touched
