"""Numbers of the index pages in the reader's language, with an em dash for no value."""

from django import template

from digigov.reports.charts import fmt

register = template.Library()


@register.filter
def num(value, places: int = 2) -> str:
    """85.714 -> "85,71" in Vietnamese, "85.71" in English; None -> "—"."""
    return fmt(value, int(places))


@register.filter
def count(value) -> str:
    return fmt(value, 0)
