from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, RoleAssignment, User, normalize_phone


class _LoginFieldsMixin:
    """An account signs in by email or phone: at least one, both stored normalised."""

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else None

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        return normalize_phone(phone) if phone else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(_("Cần có thư điện tử hoặc số điện thoại để đăng nhập."))
        return cleaned


class UserCreationAdminForm(_LoginFieldsMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "phone", "full_name", "kind"]


class UserChangeAdminForm(_LoginFieldsMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ["agency", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["agency"]
    extra = 0


class ApiTokenInline(admin.TabularInline):
    """Tokens are issued with ``digigov apitoken``; the key itself is never stored."""

    model = ApiToken
    fields = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["login", "full_name", "kind", "is_staff", "is_active", "date_joined"]
    list_filter = ["kind", "is_staff", "is_superuser", "is_active", "role_assignments__role"]
    search_fields = ["email", "phone", "full_name", "personal_id", "tax_code"]
    ordering = ["full_name"]
    readonly_fields = ["uuid", "last_login", "date_joined"]
    filter_horizontal = ["groups", "user_permissions"]
    inlines = [RoleAssignmentInline, ApiTokenInline]
    fieldsets = [
        (None, {"fields": ["email", "phone", "password", "uuid"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "kind", "personal_id", "tax_code",
                                             "address", "language"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                 "user_permissions"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "phone", "full_name", "kind", "password1", "password2"]}),
    ]

    def get_inline_instances(self, request, obj=None):
        # Roles and tokens are added once the account exists.
        return super().get_inline_instances(request, obj) if obj is not None else []

    @admin.display(description=_("tên đăng nhập"), ordering="email")
    def login(self, obj):
        return obj.login


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email", "user__full_name"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
