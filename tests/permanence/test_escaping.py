"""Text written into HTML by Python (permanence/escaping.py) reads exactly as Django's own
escaping and date filter write it: a name with markup in it shows as text, never as markup."""

import datetime as dt

import pytest
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.html import escape as django_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from permanence.escaping import escape, long_date, short_date, text


class _Markup:
    def __html__(self):
        return "<b>written by its own code</b>"


VALUES = {
    "markup characters": 'O\'Brien & <Sons> "quoted"',
    "plain": "plain",
    "empty": "",
    "marked safe": mark_safe("<em>already safe</em>"),
    "lazy": gettext_lazy("Permanence achieved & <ratified>"),
    "number": 42,
    "none": None,
    "own markup": _Markup(),
}


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_text_writes_what_a_template_writes(value):
    assert text(value) == conditional_escape(value)


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_escape_writes_what_django_escape_writes(value):
    assert escape(value) == django_escape(value)


def test_escape_escapes_even_what_is_marked_safe():
    assert escape(mark_safe("<em>x</em>")) == "&lt;em&gt;x&lt;/em&gt;"
    assert text(mark_safe("<em>x</em>")) == "<em>x</em>"
    assert text("<script>") == "&lt;script&gt;"


DAYS = [dt.date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_dates_read_as_the_date_filter_writes_them(day):
    assert short_date(day) == date_format(day, "j M Y")
    assert long_date(day) == date_format(day, "j F Y")
