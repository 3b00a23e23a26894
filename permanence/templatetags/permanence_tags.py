"""Small presentation helpers: no business rules here."""

from django import template

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
