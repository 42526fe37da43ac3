import hashlib
import re
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^0\d{9,10}$")
PERSONAL_ID_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def normalize_phone(value: str) -> str:
    """Vietnamese phone numbers in their national form: +84 912... -> 0912..."""
    digits = re.sub(r"[^\d+]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(normalize_phone(value)):
        raise ValidationError(_("Số điện thoại không hợp lệ."), code="invalid_phone")


def validate_personal_id(value: str) -> None:
    if not PERSONAL_ID_RE.match(value or ""):
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="invalid_personal_id"
        )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        email = self.normalize_email(email).lower() if email else None
        if fields.get("phone"):
            fields["phone"] = normalize_phone(fields["phone"])
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **fields):
        if not email and not fields.get("phone"):
            raise ValueError("A user needs an email address or a phone number.")
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, kind=User.Kind.OFFICIAL)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, login):
        login = (login or "").strip()
        if "@" in login:
            return self.get(email__iexact=login)
        return self.get(phone=normalize_phone(login))


class User(AbstractBaseUser, PermissionsMixin):
    """A citizen, a business or an official: one account, signed in by email or phone."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Tổ chức, doanh nghiệp")
        OFFICIAL = "official", _("Cán bộ, công chức")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("thư điện tử"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("số điện thoại"), max_length=15, unique=True, null=True, blank=True,
        validators=[validate_phone],
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=Kind.choices,
                            default=Kind.CITIZEN)
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, validators=[validate_personal_id]
    )
    tax_code = models.CharField(_("mã số doanh nghiệp"), max_length=14, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=settings.LANGUAGES,
                                default="vi")
    is_staff = models.BooleanField(_("truy cập trang quản trị"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.uuid)

    def natural_key(self):
        return (self.email or self.phone,)

    @property
    def login(self) -> str:
        return self.email or self.phone or ""

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL

    def role_agency_ids(self, *roles: str) -> set[int]:
        qs = self.role_assignments.all()
        if roles:
            qs = qs.filter(role__in=roles)
        return set(qs.values_list("agency_id", flat=True))


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Cán bộ tiếp nhận (một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    CLERK = "clerk", _("Văn thư")


class RoleAssignment(models.Model):
    """An official's role at one unit: officials act only where they hold a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT,
                               related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_role_at_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency.code}"


class ApiToken(models.Model):
    """A bearer token for an API client. Only the SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear key is returned once and never stored."""
        key = "dg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[3:11],
                                   key_hash=cls.hash_key(key))
        return token, key
