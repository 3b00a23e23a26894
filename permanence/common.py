"""What the services of every app share: the permission check and running one transition.

A transition's rules live on the transition itself, as django-fsm `conditions=[...]`, so that
`can_proceed()` and `get_available_user_<field>_transitions()` tell the truth and pages draw
their buttons from them (CONVENTIONS, django-fsm-2 `tests/testapp/test_conditions.py`). Each
condition is a `Condition`: django-fsm calls it with the instance, and `explain(instance)` gives
the reason a person reads when it is not met, so the page, the service's refusal and the state
machine share one rule and one wording.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm


class Condition:
    """A rule a transition needs, with the reason in plain English and the field it is about."""

    def __init__(
        self,
        test: Callable[[Any], bool],
        message: str | Callable[[Any], str],
        *,
        field: str | None = None,
    ) -> None:
        self.test = test
        self.message = message
        self.field = field
        # django-fsm and its graph name a condition by its function's name.
        self.__name__ = test.__name__
        self.__doc__ = test.__doc__

    def __call__(self, instance) -> bool:
        return bool(self.test(instance))

    def __repr__(self) -> str:
        return f"<Condition {self.__name__}>"

    def explain(self, instance) -> str:
        """Why the transition cannot happen, as the person trying it reads it."""
        return self.message(instance) if callable(self.message) else self.message


def condition(message: str | Callable[[Any], str], *, field: str | None = None):
    """Decorate a test `f(instance) -> bool` to make it a `Condition` with its reason."""

    def wrap(test: Callable[[Any], bool]) -> Condition:
        return Condition(test, message, field=field)

    return wrap


def require(by, perm: str, obj=None) -> None:
    """The user holds `perm` (for `obj`, through the `rules` predicates), or a 403."""
    if not by.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")


def _meta(obj, name: str):
    method = getattr(obj, name)
    if not hasattr(method, "_django_fsm"):
        raise TypeError(f"{type(obj).__name__}.{name} is not a transition")
    return method, method._django_fsm


def unmet_conditions(obj, name: str) -> list:
    """The conditions of transition `name` from `obj`'s current state that are not met."""
    _, meta = _meta(obj, name)
    found = meta.get_transition(meta.field.get_state(obj))
    if found is None:
        return []
    return [rule for rule in found.conditions if not rule(obj)]


def explain(rule, obj) -> str:
    if isinstance(rule, Condition):
        return rule.explain(obj)
    return "This cannot be done yet"


def reasons_not(obj, name: str) -> list[str]:
    """Why transition `name` cannot happen now although the state allows it: for the pages."""
    method, _ = _meta(obj, name)
    if not can_proceed(method, check_conditions=False):
        return []
    return [explain(rule, obj) for rule in unmet_conditions(obj, name)]


def available(obj, user, field: str = "status") -> set[str]:
    """The names of the transitions of `field` this user may take now (state, conditions, perm)."""
    return {t.name for t in getattr(obj, f"get_available_user_{field}_transitions")(user)}


def _not_now(obj, field_name: str) -> str:
    state = getattr(obj, f"get_{field_name}_display")().lower()
    return f"This {obj._meta.verbose_name} is {state}: that cannot be done now"


def _refusal(obj, rules: list) -> ValidationError:
    if not any(getattr(rule, "field", None) for rule in rules):
        return ValidationError([explain(rule, obj) for rule in rules])
    errors: dict[str, list[str]] = {}
    for rule in rules:
        key = getattr(rule, "field", None) or NON_FIELD_ERRORS
        errors.setdefault(key, []).append(explain(rule, obj))
    return ValidationError(errors)


def transition(obj, name: str, user, /, *, refused: Any = None, **kwargs) -> None:
    """Run transition `name` on the locked `obj` for `user`: the state must allow it (else
    `refused`, or a plain sentence), each condition be met (else its own reason), and the
    transition's permission be held (else a 403). Sets fields in memory only; the caller saves.
    """
    method, meta = _meta(obj, name)
    if not can_proceed(method, check_conditions=False):
        raise ValidationError(refused or _not_now(obj, meta.field.name))
    unmet = unmet_conditions(obj, name)
    if unmet:
        raise _refusal(obj, unmet)
    # has_transition_perm also checks the conditions: they are met, so this is the permission.
    if not has_transition_perm(method, user):
        raise PermissionDenied("You do not have permission to do this.")
    try:
        method(**kwargs)
    except TransitionNotAllowed as exc:  # changed under us: refuse rather than half-apply
        raise ValidationError(refused or _not_now(obj, meta.field.name)) from exc
