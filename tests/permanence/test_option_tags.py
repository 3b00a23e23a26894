"""The filter lists' options, written by a filter rather than a template loop: the chosen one
selected, every name escaped (a worker called O'Brien & Co must not break the page)."""

from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

TEMPLATE = engines["django"].from_string


def test_options_mark_the_chosen_one_and_escape_every_value_and_name():
    html = TEMPLATE("{% load permanence_tags %}{{ options|option_tags }}").render(
        {
            "options": [
                ("", "All workers", False),
                ("7", "Ann O'Brien & Co", True),
                ("<x>", "B", False),
            ]
        }
    )
    assert html.split("\n") == [
        '<option value="">All workers</option>',
        '<option value="7" selected>Ann O&#x27;Brien &amp; Co</option>',
        '<option value="&lt;x&gt;">B</option>',
    ]


def test_text_already_marked_safe_is_kept_as_it_is():
    html = TEMPLATE("{% load permanence_tags %}{{ options|option_tags }}").render(
        {"options": [("1", mark_safe("A &amp; B"), False)]}
    )
    assert html == '<option value="1">A &amp; B</option>'


class _Filter(forms.Form):
    team = forms.ChoiceField(choices=[("", "All teams"), ("3", "North"), ("12", "South & East")])


def test_a_choice_field_selects_the_value_sent_compared_as_text():
    html = TEMPLATE("{% load permanence_tags %}{{ form.team|choice_option_tags }}").render(
        {"form": _Filter({"team": "12"})}
    )
    assert '<option value="12" selected>South &amp; East</option>' in html
    assert html.count("selected") == 1
    nothing_sent = TEMPLATE("{% load permanence_tags %}{{ form.team|choice_option_tags }}").render(
        {"form": _Filter({})}
    )
    assert "selected" not in nothing_sent
