from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Agency


class ActiveFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Đang hoạt động")), ("no", _("Đã giải thể, sáp nhập"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        closed = Q(valid_to__lt=today) | Q(valid_from__gt=today)
        if self.value() == "yes":
            return queryset.exclude(closed)
        if self.value() == "no":
            return queryset.filter(closed)
        return queryset


class PredecessorInline(admin.TabularInline):
    """Closed agencies whose work this agency took over (read-only: merges go through
    ``orgs.services.merge_agencies``, which also moves their open work)."""

    model = Agency
    fk_name = "successor"
    fields = ["code", "name", "level", "valid_from", "valid_to"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("cơ quan được kế thừa")
    verbose_name_plural = _("cơ quan được kế thừa")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "area", "valid_from", "valid_to",
                    "successor", "current_holder"]
    list_filter = [ActiveFilter, "level"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent", "successor", "area"]
    readonly_fields = ["uuid", "current_holder"]
    inlines = [PredecessorInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "level", "parent", "area", "uuid"]}),
        (_("Hiệu lực và kế thừa"), {"fields": ["valid_from", "valid_to", "successor",
                                              "current_holder"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent", "area", "successor")

    @admin.display(description=_("cơ quan đang giữ công việc"))
    def current_holder(self, obj):
        if obj.pk is None or not obj.successor_id:
            return "—"
        return obj.current_successor().code


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """The national list (Decision 19/2025/QD-TTg) comes from ``digigov load_units``."""

    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
