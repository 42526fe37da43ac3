"""Account use cases for citizens and businesses: registration and profile changes.

Each function validates everything first and raises ``InvalidInput`` with
field messages, so a refused request creates or changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from digigov.audit.services import record
from digigov.core.errors import InvalidInput

from .models import PERSONAL_ID_RE, PHONE_RE, TAX_CODE_RE, User, normalize_phone

SELF_SERVICE_KINDS = (User.Kind.CITIZEN, User.Kind.BUSINESS)
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_identity(errors: dict, *, kind: str, personal_id: str, tax_code: str,
                    exclude: User | None = None) -> None:
    """A citizen is identified by a 12-digit personal ID, a business by its tax code.

    Each identity holds one account.
    """
    others = User.objects.exclude(pk=exclude.pk) if exclude else User.objects.all()
    if kind == User.Kind.CITIZEN:
        if not personal_id:
            _add(errors, "personal_id", _("Hãy nhập số định danh cá nhân (12 chữ số)."))
        elif not PERSONAL_ID_RE.match(personal_id):
            _add(errors, "personal_id", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        elif others.filter(personal_id=personal_id).exists():
            _add(errors, "personal_id",
                 _("Số định danh cá nhân này đã được dùng cho một tài khoản khác."))
    else:
        if not tax_code:
            _add(errors, "tax_code", _("Hãy nhập mã số doanh nghiệp."))
        elif not TAX_CODE_RE.match(tax_code):
            _add(errors, "tax_code",
                 _("Mã số doanh nghiệp gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số."))
        elif others.filter(tax_code=tax_code).exists():
            _add(errors, "tax_code",
                 _("Mã số doanh nghiệp này đã được dùng cho một tài khoản khác."))


def _check_language(errors: dict, language: str) -> None:
    if language not in LANGUAGE_CODES:
        _add(errors, "language", _("Ngôn ngữ không được hỗ trợ."))


def register_citizen(*, full_name: str, password: str, kind: str = User.Kind.CITIZEN,
                     email: str | None = None, phone: str | None = None,
                     personal_id: str = "", tax_code: str = "", address: str = "",
                     language: str = "vi") -> User:
    """Create a citizen or business account signed in by email or phone (or both)."""
    errors: dict[str, list[str]] = {}
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip().lower() or None
    phone = normalize_phone(phone or "") or None
    personal_id = (personal_id or "").strip()
    tax_code = (tax_code or "").strip()

    if not full_name:
        _add(errors, "full_name", _("Hãy nhập họ và tên."))
    if kind not in SELF_SERVICE_KINDS:
        _add(errors, "kind", _("Loại tài khoản không hợp lệ."))
    if not email and not phone:
        message = _("Hãy nhập thư điện tử hoặc số điện thoại.")
        _add(errors, "email", message)
        _add(errors, "phone", message)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Địa chỉ thư điện tử không hợp lệ."))
        else:
            if User.objects.filter(email__iexact=email).exists():
                _add(errors, "email", _("Thư điện tử này đã được đăng ký. Hãy đăng nhập."))
    if phone:
        if not PHONE_RE.match(phone):
            _add(errors, "phone", _("Số điện thoại không hợp lệ."))
        elif User.objects.filter(phone=phone).exists():
            _add(errors, "phone", _("Số điện thoại này đã được đăng ký. Hãy đăng nhập."))
    if kind in SELF_SERVICE_KINDS:
        _check_identity(errors, kind=kind, personal_id=personal_id, tax_code=tax_code)
    _check_language(errors, language)

    user = User(email=email, phone=phone, full_name=full_name, kind=kind,
                personal_id=personal_id if kind == User.Kind.CITIZEN else "",
                tax_code=tax_code if kind == User.Kind.BUSINESS else "",
                address=(address or "").strip(), language=language)
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise InvalidInput(_("Thông tin đăng ký chưa hợp lệ."), fields=errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            record(actor=user, action="register", obj=user, kind=kind)
    except IntegrityError as exc:
        # Another registration with the same email or phone won the race.
        raise InvalidInput(
            _("Thư điện tử hoặc số điện thoại này đã được đăng ký. Hãy đăng nhập."),
            fields={"email" if email else "phone": [_("Đã được đăng ký.")]},
        ) from exc
    return user


@transaction.atomic
def update_profile(*, user: User, full_name: str, address: str = "", language: str = "vi",
                   personal_id: str = "", tax_code: str = "") -> User:
    """Change one's own name, address, language and identity number."""
    errors: dict[str, list[str]] = {}
    full_name = " ".join((full_name or "").split())
    if not full_name:
        _add(errors, "full_name", _("Hãy nhập họ và tên."))
    _check_language(errors, language)
    personal_id = (personal_id or "").strip()
    tax_code = (tax_code or "").strip()
    if user.kind in SELF_SERVICE_KINDS:
        _check_identity(errors, kind=user.kind, personal_id=personal_id, tax_code=tax_code,
                        exclude=user)
    if errors:
        raise InvalidInput(_("Thông tin tài khoản chưa hợp lệ."), fields=errors)
    user.full_name = full_name
    user.address = (address or "").strip()
    user.language = language
    if user.kind == User.Kind.CITIZEN:
        user.personal_id = personal_id
    elif user.kind == User.Kind.BUSINESS:
        user.tax_code = tax_code
    user.save(update_fields=["full_name", "address", "language", "personal_id", "tax_code"])
    return user
