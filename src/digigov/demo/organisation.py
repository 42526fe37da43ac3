"""The demo's agencies and accounts: Lạng Sơn province, three communes, a ministry unit.

Organ codes other than the province's (000.00.00.H37, seen on the province's
portal) are illustrative: they have the valid shape of Decision 20/2020 but
no official post-2025 table was found. docs/demo.md explains each choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from digigov.accounts.models import Role, RoleAssignment, User
from digigov.catalog.services import catalog_admin_group
from digigov.orgs.models import AdministrativeUnit, Agency

REFORM_DAY = dt.date(2025, 7, 1)  # two-tier local government (Resolution 202/2025/QH15)
PROVINCE_CODE = "20"  # Lạng Sơn, Decision 19/2025/QD-TTg

# (key, organ code, name, level, parent key, area code, valid_from)
AGENCIES = [
    ("province", "000.00.00.H37", "UBND tỉnh Lạng Sơn", Agency.Level.PROVINCE, None,
     PROVINCE_CODE, dt.date(2008, 1, 1)),
    ("centre", "000.00.30.H37", "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
     Agency.Level.PROVINCE_CENTRE, "province", PROVINCE_CODE, REFORM_DAY),
    ("justice", "000.00.07.H37", "Sở Tư pháp tỉnh Lạng Sơn", Agency.Level.DEPARTMENT,
     "province", PROVINCE_CODE, dt.date(2008, 1, 1)),
    ("construction", "000.00.09.H37", "Sở Xây dựng tỉnh Lạng Sơn", Agency.Level.DEPARTMENT,
     "province", PROVINCE_CODE, dt.date(2008, 1, 1)),
    ("cao_loc", "000.01.37.H37", "UBND xã Cao Lộc", Agency.Level.COMMUNE, "province",
     "06193", REFORM_DAY),
    ("dong_kinh", "000.02.37.H37", "UBND phường Đông Kinh", Agency.Level.COMMUNE, "province",
     "05977", REFORM_DAY),
    ("dong_dang", "000.03.37.H37", "UBND xã Đồng Đăng", Agency.Level.COMMUNE, "province",
     "06184", REFORM_DAY),
    # Closed on 30 June 2025 with the districts; its work went to the commune.
    ("cao_loc_district", "000.00.21.H37", "UBND huyện Cao Lộc", Agency.Level.DISTRICT,
     "province", PROVINCE_CODE, dt.date(2008, 1, 1)),
    ("mofa", "000.00.00.G08", "Bộ Ngoại giao", Agency.Level.MINISTRY, None, None,
     dt.date(2008, 1, 1)),
    ("consular", "000.00.01.G08", "Cục Lãnh sự - Bộ Ngoại giao", Agency.Level.MINISTRY_UNIT,
     "mofa", None, dt.date(2008, 1, 1)),
    ("mps", "000.00.00.G01", "Bộ Công an", Agency.Level.MINISTRY, None, None,
     dt.date(2008, 1, 1)),
    ("cao_loc_police", "000.01.37.G01", "Công an xã Cao Lộc", Agency.Level.MINISTRY_UNIT,
     "mps", "06193", REFORM_DAY),
]
CLOSED = {"cao_loc_district": ("cao_loc", dt.date(2025, 6, 30))}
COMMUNES = ("cao_loc", "dong_kinh", "dong_dang")
NAMES_EN = {
    "province": "Lang Son Provincial People's Committee",
    "centre": "Lang Son Provincial Public Administration Service Centre",
    "justice": "Lang Son Department of Justice",
    "construction": "Lang Son Department of Construction",
    "mofa": "Ministry of Foreign Affairs",
    "consular": "Consular Department, Ministry of Foreign Affairs",
    "mps": "Ministry of Public Security",
}

# (login, full name, role, agency key, password)
OFFICIALS = [
    ("motcua.tinh@digigov.local", "Hoàng Thị Mai", Role.COUNTER_OFFICER, "centre", "MotCua#2026"),
    ("chuyenvien.tinh@digigov.local", "Nông Văn Hải", Role.SPECIALIST, "centre", "ChuyenVien#2026"),
    ("lanhdao.tinh@digigov.local", "Vi Văn Thắng", Role.LEADER, "centre", "LanhDao#2026"),
    ("quantri.tinh@digigov.local", "Lộc Thị Hương", Role.AGENCY_ADMIN, "centre", "QuanTri#2026"),
    ("chuyenvien.tuphap@digigov.local", "Lương Văn Dũng", Role.SPECIALIST, "justice",
     "ChuyenVien#2026"),
    ("lanhdao.tuphap@digigov.local", "Hà Thị Thu", Role.LEADER, "justice", "LanhDao#2026"),
    ("motcua.caoloc@digigov.local", "Lăng Thị Hoa", Role.COUNTER_OFFICER, "cao_loc", "MotCua#2026"),
    ("chuyenvien.caoloc@digigov.local", "Hoàng Văn Bình", Role.SPECIALIST, "cao_loc",
     "ChuyenVien#2026"),
    ("lanhdao.caoloc@digigov.local", "Nông Thị Lan", Role.LEADER, "cao_loc", "LanhDao#2026"),
    ("quantri.caoloc@digigov.local", "Triệu Văn Long", Role.AGENCY_ADMIN, "cao_loc",
     "QuanTri#2026"),
    ("motcua.congan.caoloc@digigov.local", "Chu Văn Kiên", Role.COUNTER_OFFICER,
     "cao_loc_police", "MotCua#2026"),
    ("chuyenvien.congan.caoloc@digigov.local", "Mạc Thị Yến", Role.SPECIALIST, "cao_loc_police",
     "ChuyenVien#2026"),
    ("lanhdao.congan.caoloc@digigov.local", "Đinh Văn Phong", Role.LEADER, "cao_loc_police",
     "LanhDao#2026"),
    ("motcua.lanhsu@digigov.local", "Nguyễn Thu Trang", Role.COUNTER_OFFICER, "consular",
     "MotCua#2026"),
    ("chuyenvien.lanhsu@digigov.local", "Trần Minh Đức", Role.SPECIALIST, "consular",
     "ChuyenVien#2026"),
    ("lanhdao.lanhsu@digigov.local", "Phạm Quang Huy", Role.LEADER, "consular", "LanhDao#2026"),
]
ADMIN = ("admin@digigov.local", "Quản trị hệ thống", "Admin#2026")
CITIZEN_EMAIL = ("nguyenvanan@digigov.local", "Nguyễn Văn An", "020190012345", "CongDan#2026")
CITIZEN_PHONE = ("0912345678", "Hoàng Thị Bích", "020192054321", "CongDan#2026")
BUSINESS = ("doanhnghiep@digigov.local", "Công ty TNHH Thương mại Kỳ Lừa", "4900123456",
            "DoanhNghiep#2026")


@dataclass
class DemoOrganisation:
    agencies: dict[str, Agency] = field(default_factory=dict)
    officials: dict[tuple[str, str], User] = field(default_factory=dict)  # (agency key, role)
    citizens: list[User] = field(default_factory=list)
    business: User | None = None
    admin: User | None = None
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # login, role, unit, pw

    def official(self, agency_key: str, role: str) -> User:
        return self.officials[(agency_key, role)]

    def catalog_units(self) -> dict:
        """The unit keys of catalog/data/procedures.json, mapped to demo agencies."""
        a = self.agencies
        return {
            "province": a["province"], "ministry": a["mofa"], "centre": a["centre"],
            "province_centre": a["centre"], "justice": a["justice"],
            "communes": [a[k] for k in COMMUNES], "commune_police": a["cao_loc_police"],
            "consular": a["consular"],
        }


def create_agencies(org: DemoOrganisation) -> None:
    areas = {u.code: u for u in AdministrativeUnit.objects.filter(
        code__in=[row[5] for row in AGENCIES if row[5]])}
    for key, code, name, level, parent, area, valid_from in AGENCIES:
        agency, _created = Agency.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": NAMES_EN.get(key, ""), "level": level,
                      "parent": org.agencies.get(parent), "area": areas.get(area),
                      "valid_from": valid_from},
        )
        org.agencies[key] = agency
    for key, (successor, last_day) in CLOSED.items():
        closed = org.agencies[key]
        closed.valid_to, closed.successor = last_day, org.agencies[successor]
        closed.save(update_fields=["valid_to", "successor"])


def create_accounts(org: DemoOrganisation) -> None:
    group = catalog_admin_group()
    for login, name, role, agency_key, password in OFFICIALS:
        agency = org.agencies[agency_key]
        user = User.objects.filter(email=login).first() or User.objects.create_user(
            email=login, password=password, full_name=name, kind=User.Kind.OFFICIAL)
        RoleAssignment.objects.get_or_create(user=user, agency=agency, role=role)
        if role == Role.AGENCY_ADMIN:
            # Agency administrators manage their procedures in /admin/.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
        org.officials[(agency_key, role)] = user
        org.accounts.append((login, str(role.label), agency.name, password))

    login, name, password = ADMIN
    org.admin = User.objects.filter(email=login).first() or User.objects.create_superuser(
        email=login, password=password, full_name=name)
    org.accounts.insert(0, (login, "Quản trị hệ thống (superuser)", "—", password))

    email, name, pid, password = CITIZEN_EMAIL
    org.citizens.append(User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=password, full_name=name, personal_id=pid,
        address="Thôn Nà Cạn, xã Cao Lộc, tỉnh Lạng Sơn", kind=User.Kind.CITIZEN))
    org.accounts.append((email, "Công dân (đăng nhập bằng thư điện tử)", "—", password))

    phone, name, pid, password = CITIZEN_PHONE
    org.citizens.append(User.objects.filter(phone=phone).first() or User.objects.create_user(
        phone=phone, password=password, full_name=name, personal_id=pid,
        address="Khối 5, phường Đông Kinh, tỉnh Lạng Sơn", kind=User.Kind.CITIZEN))
    org.accounts.append((phone, "Công dân (đăng nhập bằng số điện thoại)", "—", password))

    email, name, tax_code, password = BUSINESS
    org.business = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=password, full_name=name, tax_code=tax_code,
        address="Số 12 đường Trần Đăng Ninh, phường Kỳ Lừa, tỉnh Lạng Sơn",
        kind=User.Kind.BUSINESS)
    org.accounts.append((email, "Doanh nghiệp", "—", password))
