"""Looked-after reviews in the return (SSDA903 Reviews: REVIEW, REVIEW_CODE).

The reviews app owns the Review model and its schedule; this module only maps the return's rows
onto it. It looks the model up at run time so that the return's Header and Episodes work on
their own while the product holds no reviews (the import then checks the rows and says so).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from permanence.history import save_with_history
from tracker.ssda903.reader import Problem
from tracker.ssda903.tables import REVIEWS, format_date

__all__ = ["REVIEWS", "ReviewRejected", "import_reviews", "review_model", "review_rows"]

# Review field -> DfE column, to put a model's validation error on the right cell.
REVIEW_COLUMNS = {
    "held_on": "REVIEW",
    "participation": "REVIEW_CODE",
    "period_started_on": "REVIEW",
    "sequence": "REVIEW",
    "due_on": "REVIEW",
}


class ReviewRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def review_model():
    """The reviews app's Review model, or None while the product holds no reviews."""
    try:
        return apps.get_model("reviews", "Review")
    except LookupError:
        return None


def review_rows(*, year, children) -> list[dict[str, str]]:
    """Reviews held in the collection year by the children in its Header, by child and date."""
    model = review_model()
    if model is None or not children:
        return []
    held = (
        model.objects.filter(
            child_id__in=list(children),
            cancelled=False,
            held_on__gte=year.start,
            held_on__lte=year.end,
        )
        .order_by("held_on", "pk")
        .values_list("child_id", "held_on", "participation")
    )
    rows = [
        {
            "CHILD": children[child_pk].child_id,
            "DOB": format_date(children[child_pk].date_of_birth),
            "REVIEW": format_date(held_on),
            "REVIEW_CODE": participation,
        }
        for child_pk, held_on, participation in held
    ]
    return sorted(rows, key=lambda r: r["CHILD"])  # stable: each child's stay in date order


def _period_start(child, on: dt.date) -> dt.date | None:
    """The start of the period of care a review on `on` belongs to: the last S episode by then."""
    return (
        child.episodes.filter(rne="S", decom__lte=on)
        .order_by("-decom")
        .values_list("decom", flat=True)
        .first()
    )


def _problems(exc: ValidationError, row, child_id: str) -> list[Problem]:
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    found = []
    for name, field_errors in errors.items():
        for error in field_errors:
            for message in error.messages:
                if name == NON_FIELD_ERRORS and "one_review_per_sequence" in message:
                    message = (
                        "This service already holds a different review in this place in the "
                        "child's sequence of reviews: correct it there first"
                    )
                found.append(
                    Problem(row.file, row.number, REVIEW_COLUMNS.get(name), message, child_id)
                )
    return found


def import_reviews(*, child, reviews, by, reason: str) -> list[str]:
    """Create or update the child's held reviews, matched on the date held; outcomes in order.

    A new review takes its place in its period of care's sequence, with the due date the
    reviews app's schedule gives it (004); a review already booked in that place becomes held,
    as recording the review in the product would do.
    """
    from reviews import review_due_dates  # the reviews app is only needed once it holds reviews

    model = review_model()
    outcomes = []
    for checked in sorted(reviews, key=lambda c: c.values["REVIEW"]):
        held_on, code = checked.values["REVIEW"], checked.values["REVIEW_CODE"]
        row = checked.row
        existing = model.objects.filter(child=child, held_on=held_on, cancelled=False).first()
        if existing is not None:
            if existing.participation == code:
                outcomes.append("unchanged")
                continue
            existing.participation = code
            review, outcome = existing, "updated"
        else:
            since = _period_start(child, held_on)
            if since is None:
                raise ReviewRejected(
                    [
                        Problem(
                            row.file,
                            row.number,
                            "REVIEW",
                            f"The review on {held_on:%d/%m/%Y} is not in a period of care: "
                            f"no episode with reason S (started to be looked after) began by then",
                            child.child_id,
                        )
                    ]
                )
            earlier = list(
                model.objects.filter(
                    child=child,
                    period_started_on=since,
                    cancelled=False,
                    held_on__isnull=False,
                    held_on__lt=held_on,
                )
                .order_by("held_on")
                .values_list("held_on", flat=True)
            )
            sequence = len(earlier) + 1
            review = model.objects.filter(
                child=child,
                period_started_on=since,
                sequence=sequence,
                cancelled=False,
                held_on__isnull=True,
            ).first() or model(
                child=child,
                period_started_on=since,
                sequence=sequence,
                due_on=review_due_dates.review_due(
                    sequence=sequence, looked_after_since=since, held=earlier
                ),
                iro=child.iro,
                created_by=by,
            )
            outcome = "updated" if review.pk else "created"
            review.held_on, review.participation = held_on, code
        review.child = child
        try:
            save_with_history(review, by=by, reason=reason)
        except ValidationError as exc:
            raise ReviewRejected(_problems(exc, row, child.child_id)) from exc
        outcomes.append(outcome)
    return outcomes
