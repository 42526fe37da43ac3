from django.contrib import admin

from .models import FeeRule, Payment


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = ("version", "order", "description", "channel", "applicant_type", "field_key",
                    "field_value", "quantity_field", "amount")
    list_filter = ("channel", "applicant_type")
    search_fields = ("version__procedure__national_code", "description")
    raw_id_fields = ("version",)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: payments change only through the payment services."""

    list_display = ("dossier", "channel", "amount", "status", "gateway_reference",
                    "created_at", "paid_at")
    list_filter = ("status", "channel", "gateway")
    search_fields = ("dossier__code", "gateway_reference")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
