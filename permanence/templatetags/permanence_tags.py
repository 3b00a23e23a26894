"""Small presentation helpers: no business rules here."""

from django import template
from django.utils.safestring import mark_safe

from permanence.escaping import text as html_text
from permanence.timescales import timescale

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look a key up in a dict (code meanings)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.simple_tag
def age_of(child, day):
    """The child's age in whole years on `day`."""
    return child.age_on(day)


@register.filter
def needs_pathway_plan(child, day):
    """Whether the child is 16 or over on `day` (the rule lives on the model)."""
    return child.needs_pathway_plan(day)


@register.simple_tag
def timescale_text(code: str, part: str = "offset") -> str:
    """A SPEC §5 timescale in words as the administrator has set it ("3 working days"), its
    extension ("2 weeks"), or its time of day ("17:00"), so no page writes a number twice."""
    rule = timescale(code)
    if part == "extension":
        return str(rule.extension)
    if part == "time":
        return f"{rule.due_time:%H:%M}" if rule.due_time else ""
    return str(rule.offset)


@register.inclusion_tag("permanence/partials/_sibling_group.html", takes_context=True)
def sibling_group_summary(context, child):
    """The child's brothers and sisters as the reader may see them, without links to change
    them: for Part 1 and the tracker."""
    from permanence.family.selectors import sibling_section

    return {"section": sibling_section(child=child, user=context["request"].user), "compact": True}


@register.inclusion_tag("permanence/partials/_ladder_setting.html")
def ladder_setting(child=None, route=""):
    """The authority's ladder setting: before each route, the options to be ruled out first;
    for a child and a proposed route, which of them are still to be ruled out."""
    from permanence.models.plans import (
        PERMANENCE_ROUTES,
        SHORT_ROUTE_NAMES,
        route_names,
        rungs_not_ruled_out,
    )
    from permanence.models.plans import (
        ladder_setting as setting,
    )

    rows = []
    for each, needed in setting().items():
        rows.append(
            {
                "route": SHORT_ROUTE_NAMES[each].capitalize(),
                "needs": route_names(needed) if needed else "Nothing: it comes first",
                "proposed": each == route,
            }
        )
    missing = rungs_not_ruled_out(child, route) if child is not None and route else []
    return {
        "rows": rows,
        "route": SHORT_ROUTE_NAMES.get(route, ""),
        "missing": route_names(missing) if missing else "",
        "has_route": bool(child is not None and route in PERMANENCE_ROUTES),
    }


@register.inclusion_tag("permanence/partials/_identity_needs.html")
def identity_and_needs(child, plan=None, heading="Identity and needs"):
    """The child's culture, religion, language, disability and health needs, where the plan is
    made and where matching happens (001 §2, §2.1)."""
    from permanence.models import Code

    meanings = dict(
        Code.objects.filter(list_name=Code.List.ETHNIC, code=child.ethnicity).values_list(
            "code", "description"
        )
    )
    return {
        "child": child,
        "plan": plan,
        "heading": heading,
        "ethnicity": meanings.get(child.ethnicity, ""),
    }


def _options(options) -> str:
    # As {{ }} writes them: text already marked safe is kept as it is.
    return mark_safe(  # noqa: S308 (every value and text is escaped here)
        "\n".join(
            f'<option value="{html_text(value)}"{" selected" if chosen else ""}>'
            f"{html_text(text)}</option>"
            for value, text, chosen in options
        )
    )


@register.filter
def option_tags(options):
    """A filter list's <option>s from (value, text, chosen) triples, each escaped. Written in one
    go rather than by a template loop: the tracker's filters offer hundreds of people, and a
    loop's per-option cost was a tenth of the page's time (issue 19)."""
    return _options(options)


@register.filter
def choice_option_tags(field):
    """A bound choice field's <option>s, the one matching its value selected (compared as text,
    as the form sent it)."""
    value = str(field.value())
    return _options((choice, label, str(choice) == value) for choice, label in field.field.choices)
