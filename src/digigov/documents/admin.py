from django.contrib import admin

from .models import Clearance, IncomingDocument, IssuerProfile, OutgoingDocument


class ReadOnly(admin.ModelAdmin):
    """Documents change only through the document services (audit, numbering, signing)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuerProfile)
class IssuerProfileAdmin(ReadOnly):
    """The notation abbreviation ("UBND") and place name of an agency's documents: set on
    the agency's document settings page (``/van-ban/cai-dat/``), which audits the change."""

    list_display = ("agency", "abbreviation", "place")
    search_fields = ("agency__code", "agency__name", "abbreviation")


@admin.register(Clearance)
class ClearanceAdmin(ReadOnly):
    """Who may read secret documents of an agency, and up to which level: granted on the
    agency's document settings page (``/van-ban/cai-dat/``), which audits every change."""

    list_display = ("user", "agency", "level", "granted_at")
    list_filter = ("level",)
    search_fields = ("user__email", "user__full_name", "agency__code")


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnly):
    list_display = ("agency", "number", "notation", "type_code", "subject", "status",
                    "issued_on")
    list_filter = ("status", "type_code", "secrecy")
    search_fields = ("subject", "notation", "document_id", "agency__code")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(secrecy="")


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(ReadOnly):
    list_display = ("recipient", "year", "incoming_number", "sender_name", "number",
                    "notation", "subject", "status")
    list_filter = ("status", "source")
    search_fields = ("subject", "notation", "document_id", "sender_name", "recipient__code")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(secrecy="")
