"""Small presentation helpers: no business rules here."""

from django import template

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
