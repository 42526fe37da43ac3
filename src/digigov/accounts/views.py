"""Sign-in, self-registration and the profile page for citizens and businesses."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from digigov.core.errors import InvalidInput

from . import services
from .forms import LoginForm, ProfileForm, RegistrationForm, add_domain_errors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link cannot sign a user out behind their back."""


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


@sensitive_post_parameters("password1", "password2", "personal_id", "tax_code")
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_citizen(
                full_name=data["full_name"], password=data["password1"], kind=data["kind"],
                email=data["email"], phone=data["phone"], personal_id=data["personal_id"],
                tax_code=data["tax_code"], language=data["language"],
            )
        except InvalidInput as exc:
            if "password" in exc.fields:
                exc.fields["password1"] = exc.fields.pop("password")
            add_domain_errors(form, exc)
        else:
            login(request, user, backend="digigov.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Đăng ký tài khoản thành công. Chào mừng %(name)s!")
                             % {"name": user.full_name})
            response = redirect(_safe_next(request) or "portal:home")
            # The language chosen at registration is the one the site speaks from now on.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(request, "accounts/register.html",
                  {"form": form, "next": _safe_next(request) or ""},
                  status=400 if form.errors else 200)


@login_required
def profile(request):
    user = request.user
    initial = {"full_name": user.full_name, "address": user.address, "language": user.language,
               "personal_id": user.personal_id, "tax_code": user.tax_code}
    form = ProfileForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_profile(
                user=user, full_name=data["full_name"], address=data["address"],
                language=data["language"], personal_id=data.get("personal_id", ""),
                tax_code=data.get("tax_code", ""),
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            response = redirect("accounts:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(request, "accounts/profile.html", {"form": form},
                  status=400 if form.errors else 200)
