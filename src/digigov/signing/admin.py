"""Read-only views of the signing registers. Keys are never shown; certificates are
issued, imported and rotated with the ``digigov signing_*`` commands."""

from django.contrib import admin

from .models import IssuedDocument, SigningCredential, TrustRoot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrustRoot)
class TrustRootAdmin(ReadOnlyAdmin):
    list_display = ("label", "is_local_ca", "not_after", "fingerprint")
    fields = ("label", "subject", "is_local_ca", "not_before", "not_after", "fingerprint",
              "created_at")


@admin.register(SigningCredential)
class SigningCredentialAdmin(ReadOnlyAdmin):
    list_display = ("subject", "holder", "source", "is_active", "not_after")
    list_filter = ("holder", "source", "is_active")
    search_fields = ("subject", "fingerprint", "agency__code")
    fields = ("holder", "agency", "officer", "source", "subject", "issuer", "serial",
              "fingerprint", "not_before", "not_after", "pkcs11_key_label", "is_active",
              "created_at")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "kind", "issued_at")
    list_filter = ("kind",)
    search_fields = ("number", "title", "sha256", "uuid")
    fields = ("uuid", "dossier", "kind", "title", "number", "file", "sha256", "issued_at",
              "issued_by", "signers")
