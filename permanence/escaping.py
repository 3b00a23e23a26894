"""Text written into HTML by Python rather than by a template (issue 19): the rows of the
tracker, the measures, the chronology, the caseloads and the filter lists, thousands of values
and hundreds of dates on a page.

These write what Django's `conditional_escape` and `escape` and its `date` filter write, without
the wrapper that lets those take lazy text (which costs as much again as the escaping itself) or
the parsing of a format string for each date.
"""

from __future__ import annotations

import datetime as dt
import html

from django.utils.dates import MONTHS, MONTHS_3
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


def short_date(day: dt.date) -> str:
    """DAY as the tables show it, "4 Mar 2026": what the template filter `date:"j M Y"` writes,
    without working its format string out again for each of a page's hundreds of dates."""
    return f"{day.day} {str(MONTHS_3[day.month]).title()} {day.year}"


def long_date(day: dt.date) -> str:
    """DAY as a sentence says it, "4 March 2026" (`date:"j F Y"`)."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"
