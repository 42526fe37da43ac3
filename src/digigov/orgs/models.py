import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import validate_organ_code


class AdministrativeUnit(models.Model):
    """A province or commune of the national division list (Decision 19/2025)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/thành phố")
        COMMUNE = "commune", _("Xã/phường/đặc khu")

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("cấp"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Agency(models.Model):
    """A state agency or unit with its electronic identifier (organ code).

    Agencies merge and split: a closed agency keeps its record, gets a
    ``valid_to`` date and points to its successor, so nothing that belonged to
    it is lost.
    """

    class Level(models.TextChoices):
        MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
        MINISTRY_UNIT = "ministry_unit", _("Đơn vị thuộc bộ")
        PROVINCE = "province", _("UBND cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
        PROVINCE_CENTRE = "province_centre", _("Trung tâm Phục vụ hành chính công cấp tỉnh")
        COMMUNE = "commune", _("UBND cấp xã")
        DISTRICT = "district", _("UBND cấp huyện (đến 30/6/2025)")
        COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công cấp xã")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("mã định danh"), max_length=35, unique=True, validators=[validate_organ_code]
    )
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    area = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("địa bàn"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=timezone.localdate)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("cơ quan kế thừa"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)

    def current_successor(self) -> "Agency":
        """Follow successor links to the agency that holds this one's work today."""
        agency, seen = self, set()
        while agency.successor_id and agency.pk not in seen:
            seen.add(agency.pk)
            agency = agency.successor
        return agency

    def descendant_ids(self) -> set[int]:
        """This agency and every unit under it (for roll-ups and scoping)."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            children = Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            frontier = [pk for pk in children if pk not in ids]
            ids.update(frontier)
        return ids
