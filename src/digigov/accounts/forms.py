"""Account forms. They parse and label input; the rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from digigov.core.errors import DomainError

from .models import User


def add_domain_errors(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: field messages beside their fields, the rest on top."""
    unplaced = not exc.fields
    for key, messages in exc.fields.items():
        if key not in form.fields:
            unplaced = True
            continue
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(key, str(message))
    if unplaced:
        # The overall message names the problem; a bare "required" would not.
        form.add_error(None, str(exc.message))


class PortalForm(forms.Form):
    """Labels of required fields get a class, so CSS marks them."""

    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(AuthenticationForm):
    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
    username = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Thư điện tử, số điện thoại hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class RegistrationForm(PortalForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    kind = forms.ChoiceField(
        label=_("Loại tài khoản"), widget=forms.RadioSelect,
        choices=[(User.Kind.CITIZEN, User.Kind.CITIZEN.label),
                 (User.Kind.BUSINESS, User.Kind.BUSINESS.label)],
        initial=User.Kind.CITIZEN,
    )
    email = forms.CharField(
        label=_("Thư điện tử"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Nhập thư điện tử hoặc số điện thoại (hoặc cả hai) để đăng nhập."),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), required=False, max_length=15,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Ví dụ: 0912345678"),
    )
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"), required=False, max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Bắt buộc với công dân: 12 chữ số trên thẻ căn cước."),
    )
    tax_code = forms.CharField(
        label=_("Mã số doanh nghiệp"), required=False, max_length=14,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Bắt buộc với tổ chức, doanh nghiệp."),
    )
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=settings.LANGUAGES, initial="vi")
    password1 = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số và không quá phổ biến."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class ProfileForm(PortalForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=settings.LANGUAGES)
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"), required=False, max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 chữ số trên thẻ căn cước."),
    )
    tax_code = forms.CharField(label=_("Mã số doanh nghiệp"), required=False, max_length=14)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of account shows only its own identity number.
        if user.kind != User.Kind.CITIZEN:
            del self.fields["personal_id"]
        if user.kind != User.Kind.BUSINESS:
            del self.fields["tax_code"]
