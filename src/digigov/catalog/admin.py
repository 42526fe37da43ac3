"""Catalog administration for agency administrators.

An official with the ``agency_admin`` role manages only the procedures that
an agency where they hold that role offers (is competent for); they may
add their own agencies to a procedure but never remove another agency's.
Superusers see everything.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from digigov.accounts.models import Role
from digigov.orgs.models import Agency

from .models import (
    ComponentSpec,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    Sector,
)


def administered_agency_ids(user) -> set[int] | None:
    """Agencies whose catalog ``user`` may manage; ``None`` means every agency."""
    if user.is_superuser:
        return None
    return user.role_agency_ids(Role.AGENCY_ADMIN)


def scoped_procedures(user, queryset=None):
    queryset = Procedure.objects.all() if queryset is None else queryset
    ids = administered_agency_ids(user)
    if ids is None:
        return queryset
    in_scope = Procedure.objects.filter(competent_agencies__in=ids).values("pk")
    return queryset.filter(pk__in=in_scope)


class ScopedPermissionMixin:
    """Object permissions follow the queryset scope."""

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def has_add_permission(self, request):
        ids = administered_agency_ids(request.user)
        return super().has_add_permission(request) and (ids is None or bool(ids))


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["effective_from", "effective_to", "service_level", "time_limit_amount",
              "time_limit_unit", "fee_counter", "fee_online"]
    extra = 0
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(ScopedPermissionMixin, admin.ModelAdmin):
    list_display = ["national_code", "name", "sector", "level", "is_published", "offered_by"]
    list_filter = ["level", "is_published", "sector"]
    search_fields = ["national_code", "name", "name_en", "search_text"]
    filter_horizontal = ["competent_agencies"]
    inlines = [ProcedureVersionInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("sector")
        return scoped_procedures(request.user, qs).prefetch_related("competent_agencies")

    @admin.display(description=_("cơ quan có thẩm quyền"))
    def offered_by(self, obj):
        return ", ".join(a.code for a in obj.competent_agencies.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "competent_agencies":
            ids = administered_agency_ids(request.user)
            qs = Agency.objects.active()
            kwargs["queryset"] = qs if ids is None else qs.filter(pk__in=ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        ids = administered_agency_ids(request.user)
        outside = []
        if change and ids is not None:
            # The form offers only the admin's own agencies: keep the others as they were.
            outside = list(form.instance.competent_agencies.exclude(pk__in=ids))
        super().save_related(request, form, formsets, change)
        if outside:
            form.instance.competent_agencies.add(*outside)


class ComponentSpecInline(admin.TabularInline):
    model = ComponentSpec
    fields = ["order", "name", "required", "copies", "template"]
    extra = 0


class FormFieldInline(admin.TabularInline):
    model = FormField
    fields = ["order", "key", "label", "type", "required", "choices", "help_text"]
    extra = 0


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    fields = ["order", "name", "role", "agency", "allotted_hours"]
    autocomplete_fields = ["agency"]
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ScopedPermissionMixin, admin.ModelAdmin):
    list_display = ["procedure", "effective_from", "effective_to", "service_level",
                    "time_limit_amount", "time_limit_unit", "fee_counter", "fee_online"]
    list_filter = ["service_level", "time_limit_unit", "procedure__sector"]
    search_fields = ["procedure__national_code", "procedure__name"]
    date_hierarchy = "effective_from"
    inlines = [ComponentSpecInline, FormFieldInline, ProcessStepInline]
    fieldsets = [
        (None, {"fields": ["procedure", "effective_from", "effective_to", "applicant_types",
                           "service_level"]}),
        (_("Thời hạn"), {"fields": ["time_limit_amount", "time_limit_unit", "time_limit_text",
                                    "cutoff_time"]}),
        (_("Phí, lệ phí"), {"fields": ["fee_counter", "fee_online", "fee_note"]}),
        (_("Nội dung"), {"fields": ["steps_description", "method", "requirements",
                                    "legal_basis", "result_type"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("procedure")
        return qs.filter(procedure__in=scoped_procedures(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "procedure":
            kwargs["queryset"] = scoped_procedures(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]
