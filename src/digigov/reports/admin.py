from django.contrib import admin

from .models import IndicatorWeight


@admin.register(IndicatorWeight)
class IndicatorWeightAdmin(admin.ModelAdmin):
    """The weights are data: add a row with a later effective date when the rules change."""

    list_display = ("code", "group", "points", "threshold", "effective_from", "note")
    list_filter = ("group", "effective_from")
    search_fields = ("code", "note")
    ordering = ("-effective_from", "group", "code")
