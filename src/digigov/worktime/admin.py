from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "verified"]
    list_filter = ["kind", "verified"]
    date_hierarchy = "date"
    search_fields = ["name", "name_en"]
