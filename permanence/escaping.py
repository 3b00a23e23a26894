"""Text written into HTML by Python rather than by a template (issue 19): the rows of the
tracker, the measures, the chronology, the caseloads and the filter lists, thousands of values
on a page.

These write what Django's `conditional_escape` and `escape` write, without the wrapper that lets
those take lazy text, which costs as much again as the escaping itself.
"""

from __future__ import annotations

import html

from django.utils.functional import Promise


def text(value: object) -> str:
    """VALUE as a template's {{ }} writes it (`conditional_escape`): markup already marked safe as
    it is, anything else as escaped text."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def escape(value: object) -> str:
    """VALUE as escaped text, even when it is marked safe (`escape`)."""
    return html.escape(str(value))
