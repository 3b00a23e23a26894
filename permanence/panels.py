"""Sections of the child's page that other apps contribute (the plan, reviews, forums).

`permanence` renders them without importing those apps: each registers a partial template and a
function giving its context, from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildAction:
    """Something the reader may do about the child, shown at the top of the child's page
    (issue 16: not 2,700 pixels down, under the panel it belongs to)."""

    text: str
    url: str
    button: bool = True  # a secondary button; otherwise a link
    hidden: str = ""  # said to screen readers after the text, e.g. " for Ava Singh"


@dataclass(frozen=True)
class ChildPanel:
    template: str
    context: Callable[..., dict]  # context(child=..., user=...) -> dict
    order: int = 100
    # actions(context) -> [ChildAction]: what the reader may do, from the context's own checks.
    actions: Callable[[dict], list[ChildAction]] | None = None
    # The child's one-to-many relations the context reads whole (`child.NAME.all()`): the
    # child's page reads them with its own short lists, in one query (issue 19).
    lists: tuple[str, ...] = ()


_panels: list[ChildPanel] = []


def register_child_panel(panel: ChildPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def child_panel_lists() -> list[str]:
    """The child's relations the registered sections read whole, for the page to read first."""
    return [name for panel in _panels for name in panel.lists]


def child_panels(*, child, user) -> list[dict]:
    """Each registered section with its context and the actions it offers the reader, in
    order."""
    panels = []
    for panel in _panels:
        context = panel.context(child=child, user=user)
        actions = panel.actions(context) if panel.actions is not None else []
        panels.append({"template": panel.template, "context": context, "actions": actions})
    return panels


def child_actions(panels: list[dict]) -> list[ChildAction]:
    """Every panel's actions, buttons first, in the panels' order."""
    actions = [action for panel in panels for action in panel.get("actions", ())]
    return [a for a in actions if a.button] + [a for a in actions if not a.button]


# -- notes about the plan that another app holds -------------------------------------------------
#
# The IRO's review and ratification pages (reviews) show what the permanency forum (forums) said
# that differs from the plan, without either app importing the other.


@dataclass(frozen=True)
class PlanNote:
    text: str
    link: str = ""
    link_text: str = ""


_plan_note_sources: list[Callable[..., list[PlanNote]]] = []


def register_plan_notes(source: Callable[..., list[PlanNote]]) -> None:
    if source not in _plan_note_sources:
        _plan_note_sources.append(source)


def plan_notes(*, child, user) -> list[PlanNote]:
    """Every registered app's notes about CHILD's plan that USER may read."""
    return [note for source in _plan_note_sources for note in source(child=child, user=user)]


# -- dates another app works out about a child -----------------------------------------------------
#
# The forum flags a booking that falls after the child's second review (seed 000); the reviews
# app knows when that review is due. It registers the function here; forums asks by name.

_child_dates: dict[str, Callable] = {}


def register_child_date(name: str, source: Callable) -> None:
    _child_dates[name] = source


def child_date(name: str, *, child):
    """The date NAME for CHILD, from the app that registered it, or None."""
    source = _child_dates.get(name)
    return source(child=child) if source is not None else None


# -- children with a deadline outstanding ---------------------------------------------------------
#
# The Permanence Panel's agenda is the children whose red plan is due back at panel (seed 004);
# the tracker holds those deadlines. It registers the query here, so forums never imports tracker.

_open_deadline_source: list[Callable] = []


def register_open_deadlines(source: Callable) -> None:
    """Let the tracker answer `children_with_open_deadline` (called from AppConfig.ready)."""
    _open_deadline_source[:] = [source]


def children_with_open_deadline(rule_code: str, *, due_by):
    """Ids of children whose current RULE_CODE deadline is unmet and due by DUE_BY, as a
    subquery; None when no app keeps deadlines."""
    if not _open_deadline_source:
        return None
    return _open_deadline_source[0](rule_code, due_by=due_by)


# -- the next step for each child of a list -----------------------------------------------
#
# The caseload says, per child, the next thing the procedures require and why the child is red
# (issue 16); the tracker works it out from its stored rows. It registers the source here, so
# permanence never imports tracker.


@dataclass(frozen=True)
class ChildNextStep:
    text: str
    why_red: str = ""


_next_step_source: list[Callable] = []


def register_next_steps(source: Callable) -> None:
    """Let the tracker answer `next_steps` (called from AppConfig.ready)."""
    _next_step_source[:] = [source]


def next_steps(*, child_ids) -> dict[int, ChildNextStep]:
    """The next step of each of these children, by primary key, in one read; {} when no app
    works it out (a child the tracker has no row for yet is left out)."""
    if not _next_step_source or not child_ids:
        return {}
    return _next_step_source[0](child_ids=list(child_ids))
