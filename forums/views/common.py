"""Helpers the forums views share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import render

from permanence.views import apply_validation_error

__all__ = ["apply_validation_error", "deny_unless", "render_form"]


def deny_unless(allowed: bool) -> None:
    """403 for an action the user may not take on something they may see (CONVENTIONS)."""
    if not allowed:
        raise PermissionDenied


def render_form(request: HttpRequest, template: str, context: dict, *, invalid: bool = False):
    return render(request, template, context, status=400 if invalid else 200)


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None
