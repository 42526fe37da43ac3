"""Admin: paper kinds and which kind each component and procedure result is.

Stored papers and their use log are personal records: read-only here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ComponentKind, PaperKind, PaperUse, ResultKind, StoredPaper


@admin.register(PaperKind)
class PaperKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(ComponentKind)
class ComponentKindAdmin(admin.ModelAdmin):
    list_display = ("component", "procedure", "kind")
    list_select_related = ("component__version__procedure", "kind")
    list_filter = ("kind",)
    search_fields = ("component__name", "component__version__procedure__national_code",
                     "component__version__procedure__name")
    autocomplete_fields = ("kind",)
    raw_id_fields = ("component",)

    @admin.display(description=_("thủ tục"))
    def procedure(self, obj):
        return obj.component.version.procedure


@admin.register(ResultKind)
class ResultKindAdmin(admin.ModelAdmin):
    list_display = ("procedure", "kind")
    list_select_related = ("procedure", "kind")
    list_filter = ("kind",)
    search_fields = ("procedure__national_code", "procedure__name")
    autocomplete_fields = ("kind",)
    raw_id_fields = ("procedure",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoredPaper)
class StoredPaperAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "owner", "issuer_name", "issued_on", "valid_until", "source")
    list_filter = ("kind", "source")
    list_select_related = ("kind", "owner")


@admin.register(PaperUse)
class PaperUseAdmin(ReadOnlyAdmin):
    list_display = ("used_at", "paper", "dossier", "agency", "how")
    list_select_related = ("paper", "dossier", "agency")
