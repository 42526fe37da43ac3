"""Admin views of the exchange registers. Peers are added on the office page
(/lien-thong/he-thong/) or with ``digigov exchange_peer add``, so that every change goes
through the services (checks and audit); here they can be looked at and removed, and
packages sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from digigov.core.errors import DomainError

from . import services
from .models import InboxMessage, OutboxMessage, Peer, PeerOrgan, RejectedPackage, StatusRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PeerOrganInline(admin.TabularInline):
    model = PeerOrgan
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Peer)
class PeerAdmin(ReadOnlyAdmin):
    list_display = ("name", "endpoint_url", "is_active", "fingerprint", "created_at")
    list_filter = ("is_active",)
    fields = ("name", "endpoint_url", "is_active", "fingerprint", "certificate_pem",
              "created_at")
    inlines = [PeerOrganInline]
    actions = ["remove_peers"]

    @admin.action(description=_("Gỡ các hệ thống liên thông đã chọn"))
    def remove_peers(self, request, queryset):
        for peer in queryset.filter(is_active=True):
            try:
                services.remove_peer(peer, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{peer}: {exc.message}", messages.ERROR)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "document_id", "recipient_code", "channel", "seq",
                    "state", "attempts", "next_attempt_at")
    list_filter = ("state", "kind")
    search_fields = ("document_id", "recipient_code", "sender_code")
    exclude = ("payload",)
    actions = ["send_again"]

    @admin.action(description=_("Gửi lại ngay"))
    def send_again(self, request, queryset):
        for message in queryset.exclude(state="delivered"):
            try:
                services.retry_now(message, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{message}: {exc.message}", messages.ERROR)


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "kind", "document_id", "sender_code", "recipient_code",
                    "state")
    list_filter = ("state", "kind")
    search_fields = ("document_id", "sender_code", "recipient_code")


@admin.register(RejectedPackage)
class RejectedPackageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "claimed_sender", "claimed_document_id", "reason",
                    "remote_addr")
    search_fields = ("claimed_sender", "claimed_document_id")


@admin.register(StatusRecord)
class StatusRecordAdmin(ReadOnlyAdmin):
    list_display = ("document_id", "recipient_code", "status_code", "at", "received_at")
    search_fields = ("document_id", "recipient_code")
