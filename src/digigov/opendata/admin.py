"""Admin: themes are edited here; datasets and resources are shown read-only.

Datasets change only through ``opendata.services`` (the office pages), which
check permissions and record audit events.
"""

from django.contrib import admin

from .models import Dataset, Group, Resource, Tag


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "title")
    search_fields = ("name", "title")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ("name", "kind", "format", "size", "last_modified")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnly):
    list_display = ("name", "title", "publisher", "state", "automatic", "data_modified")
    list_filter = ("state", "automatic", "licence_id")
    list_select_related = ("publisher",)
    search_fields = ("name", "title", "publisher__code", "publisher__name")
    inlines = [ResourceInline]
