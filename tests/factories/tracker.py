"""Builders for the deadline engine's tests: rule settings from the shipped defaults, and a
child's facts, without touching the database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tracker.deadlines.calculators import RuleConfig
from tracker.deadlines.facts import (
    AllocationFact,
    BookingFact,
    ChildFacts,
    ConnectedApprovalFact,
    DisruptionFact,
    EpisodeFact,
    MatchingFact,
    MeetingFact,
    ReviewFact,
)
from tracker.reference import default_timescales

_DEFAULTS = {row["code"]: row for row in default_timescales()}
_FIELDS = {f.name for f in dataclasses.fields(RuleConfig)}


def rule(code: str, **overrides) -> RuleConfig:
    """The rule as fixtures/timescales.json ships it, with any setting changed."""
    row = {k: v for k, v in _DEFAULTS[code].items() if k in _FIELDS}
    row.update(overrides)
    return RuleConfig(pk=list(_DEFAULTS).index(code) + 1, **row)


def episode(decom, *, dec=None, rne="S", ls="C1", place="U6", rec="") -> EpisodeFact:
    if dec is not None and not rec:
        rec = "E4A"
    return EpisodeFact(decom, dec, rne, ls, place, rec)


def facts(*episodes: EpisodeFact, **fields) -> ChildFacts:
    """One child's facts; looked after from the first episode given."""
    base = ChildFacts(
        pk=fields.pop("pk", 1),
        team_id=fields.pop("team_id", 1),
        service_id=fields.pop("service_id", 1),
        social_worker_id=fields.pop("social_worker_id", 10),
        iro_id=fields.pop("iro_id", 20),
        court_stage=fields.pop("court_stage", "none"),
        proceedings_issued_on=fields.pop("proceedings_issued_on", None),
        proceedings_concluded_on=fields.pop("proceedings_concluded_on", None),
    )
    base.episodes.extend(episodes)
    for name, value in fields.items():
        getattr(base, name).extend(value)
    return base


def looked_after(since: dt.date, **fields) -> ChildFacts:
    return facts(episode(since), **fields)


__all__ = [
    "AllocationFact",
    "BookingFact",
    "ConnectedApprovalFact",
    "DisruptionFact",
    "MatchingFact",
    "MeetingFact",
    "ReviewFact",
    "episode",
    "facts",
    "looked_after",
    "rule",
]
