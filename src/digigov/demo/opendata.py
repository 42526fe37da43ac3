"""Demo open data: the two automatic datasets, and datasets the agencies publish themselves.

Everything goes through the opendata services, as an agency administrator
would do it on the office pages; the files are made from the demo's own data.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.functions import TruncMonth

from digigov.accounts.models import Role
from digigov.dossiers.models import Dossier
from digigov.opendata import auto, services
from digigov.opendata.models import Group
from digigov.orgs.models import Agency

from .organisation import DemoOrganisation

GROUPS = [
    ("to-chuc-bo-may", "Tổ chức bộ máy", "Cơ quan, đơn vị và đầu mối liên hệ."),
    ("thong-ke", "Thống kê", "Số liệu thống kê tổng hợp."),
]


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def create_open_data(org: DemoOrganisation, *, quality_months: int = 3) -> None:
    from django.test.utils import override_settings

    for name, title, description in GROUPS:
        Group.objects.get_or_create(name=name, defaults={"title": title,
                                                         "description": description})
    with override_settings(OPENDATA_QUALITY_MONTHS=quality_months):
        auto.refresh_all(publisher=org.agencies["province"])

    centre_admin = org.official("centre", Role.AGENCY_ADMIN)
    centre = org.agencies["centre"]
    # The centre publishes only its own record; the agency list is the province's.
    agencies = Agency.objects.active().order_by("code")
    directory = services.create_dataset(
        actor=centre_admin, publisher=centre, name="co-quan-don-vi-lang-son",
        title="Danh sách cơ quan, đơn vị tiếp nhận hồ sơ",
        notes="Mã định danh điện tử, tên, cấp, cơ quan cấp trên, địa chỉ và điện thoại của các "
              "cơ quan, đơn vị tiếp nhận hồ sơ thủ tục hành chính.",
        tags=["cơ quan", "một cửa", "mã định danh"], groups=["to-chuc-bo-may"],
        frequency="irregular", spatial="Tỉnh Lạng Sơn", contact_name=centre.name,
        contact_email="hcc@langson.example.vn", licence_id="CC-BY-4.0")
    services.add_resource(
        actor=centre_admin, dataset=directory, name="Danh sách cơ quan (CSV)",
        upload=ContentFile(_csv(["ma_dinh_danh", "ten", "cap", "co_quan_cap_tren", "dia_chi",
                                 "dien_thoai"],
                                [[a.code, a.name, a.level, a.parent.code if a.parent_id else "",
                                  a.address, a.phone] for a in agencies.select_related("parent")]),
                           name="co-quan.csv"))
    services.add_resource(
        actor=centre_admin, dataset=directory, name="API danh sách cơ quan",
        description="API trực tuyến, định dạng JSON, phân trang.",
        url=f"{settings.PUBLIC_BASE_URL.rstrip('/')}/api/v1/agencies")
    services.publish_dataset(actor=centre_admin, dataset=directory)

    commune_admin = org.official("cao_loc", Role.AGENCY_ADMIN)
    cao_loc = org.agencies["cao_loc"]
    months = Counter()
    for month, code, name in (Dossier.objects.filter(agency=cao_loc, received_at__isnull=False)
                              .annotate(month=TruncMonth("received_at"))
                              .values_list("month", "procedure__national_code",
                                           "procedure__name")):
        months[(month.strftime("%Y-%m"), code, name)] += 1
    counts = services.create_dataset(
        actor=commune_admin, publisher=cao_loc, name="ho-so-tiep-nhan-xa-cao-loc",
        title="Số hồ sơ tiếp nhận theo thủ tục – xã Cao Lộc",
        notes="Số hồ sơ thủ tục hành chính UBND xã Cao Lộc tiếp nhận mỗi tháng, theo thủ tục. "
              "Số liệu tổng hợp, không có thông tin cá nhân.",
        tags=["thống kê", "hồ sơ", "một cửa"], groups=["thong-ke"], frequency="monthly",
        spatial="Xã Cao Lộc, tỉnh Lạng Sơn", contact_name="Văn phòng HĐND và UBND xã Cao Lộc",
        contact_email="vanphong@caoloc.example.vn", licence_id="ODC-BY-1.0")
    services.add_resource(
        actor=commune_admin, dataset=counts, name="Số hồ sơ theo tháng (CSV)",
        upload=ContentFile(_csv(["thang", "ma_thu_tuc", "ten_thu_tuc", "so_ho_so"],
                                [[m, c, n, k] for (m, c, n), k in sorted(months.items())]),
                           name="ho-so-theo-thang.csv"))
    services.publish_dataset(actor=commune_admin, dataset=counts)
    services.create_dataset(
        actor=commune_admin, publisher=cao_loc, name="ke-hoach-so-hoa-xa-cao-loc",
        title="Kế hoạch số hóa hồ sơ, kết quả giải quyết năm 2026",
        notes="Bản nháp: chưa công bố.", tags=["số hóa"], frequency="annual")
