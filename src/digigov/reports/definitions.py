"""The indicators of Decision 766/QD-TTg that digigov computes, and their default weights.

Six groups, 100 points. The per-indicator points and thresholds below are
the values seeded by the data migration; the ``IndicatorWeight`` table is
the source of truth (editable in the admin, by effective date), and these
defaults apply only to an indicator that has no row in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

DECISION_766_FROM = dt.date(2022, 6, 23)

GROUPS = (
    ("1", _("Công khai, minh bạch")),
    ("2", _("Tiến độ giải quyết")),
    ("3", _("Dịch vụ công trực tuyến")),
    ("4", _("Thanh toán trực tuyến")),
    ("5", _("Mức độ hài lòng")),
    ("6", _("Số hóa hồ sơ")),
)
GROUP_POINTS = {"1": 18, "2": 20, "3": 12, "4": 10, "5": 18, "6": 22}


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: object  # lazy translation
    points: Decimal
    threshold: Decimal | None
    available: bool = True  # False: digigov holds no data for it
    unavailable_note: object = ""


NO_PORTAL_SYNC = _("digigov chưa đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia: "
                   "không có dữ liệu cho chỉ tiêu này.")
NO_POPULATION_DATA = _("digigov chưa kết nối Cơ sở dữ liệu quốc gia về dân cư: "
                       "không có dữ liệu cho chỉ tiêu này.")
NO_FEEDBACK = _("digigov chưa quản lý phản ánh, kiến nghị: không có dữ liệu cho chỉ tiêu này.")

INDICATORS = (
    Indicator("1.1", "1", _("Thủ tục hành chính được công bố đúng hạn"), Decimal(5), None),
    Indicator("1.2", "1", _("Thủ tục hành chính được cập nhật đúng hạn"), Decimal(5), None),
    Indicator("1.3", "1", _("Thủ tục hành chính được công khai đầy đủ các bộ phận"),
              Decimal(4), None),
    Indicator("1.4", "1", _("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
              Decimal(4), None, False, NO_PORTAL_SYNC),
    Indicator("2.1", "2", _("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"), Decimal(14), None),
    Indicator("2.2", "2", _("Thời gian giải quyết trung bình của thủ tục hành chính"),
              Decimal(6), None),
    Indicator("3.1", "3", _("Thủ tục hành chính được cung cấp dịch vụ công trực tuyến"),
              Decimal(4), Decimal(80)),
    Indicator("3.2", "3", _("Dịch vụ công trực tuyến có phát sinh hồ sơ"), Decimal(2), None),
    Indicator("3.3", "3", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến"), Decimal(6), Decimal(50)),
    Indicator("3.5", "4", _("Thủ tục có phí, lệ phí được thanh toán trực tuyến"),
              Decimal(4), Decimal(80)),
    Indicator("3.6", "4", _("Tỷ lệ hồ sơ thanh toán trực tuyến"), Decimal(6), None),
    Indicator("4.1", "6", _("Tỷ lệ hồ sơ được cấp kết quả điện tử"), Decimal(5), None),
    Indicator("4.2", "6", _("Tỷ lệ số hóa hồ sơ, kết quả giải quyết"), Decimal(5), Decimal(80)),
    Indicator("4.3", "6", _("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa"),
              Decimal(5), Decimal(80)),
    Indicator("4.4", "6", _("Tỷ lệ hồ sơ được kết nối với kho dữ liệu điện tử của người nộp"),
              Decimal(4), None),
    Indicator("4.5", "6", _("Khai thác dữ liệu dân cư, định danh điện tử"), Decimal(3), None,
              False, NO_POPULATION_DATA),
    Indicator("5.1", "5", _("Phản ánh, kiến nghị theo loại"), Decimal(3), None, False,
              NO_FEEDBACK),
    Indicator("5.2", "5", _("Phản ánh, kiến nghị được xử lý đúng hạn"), Decimal(3), None, False,
              NO_FEEDBACK),
    Indicator("5.3", "5", _("Mức độ hài lòng về xử lý phản ánh, kiến nghị"), Decimal(3), None,
              False, NO_FEEDBACK),
    Indicator("5.4", "5", _("Mức độ hài lòng trong giải quyết thủ tục hành chính"),
              Decimal(9), Decimal(90)),
)
BY_CODE = {i.code: i for i in INDICATORS}

# Indicators whose numerator and denominator are dossiers (listable by drilldown).
DOSSIER_INDICATORS = ("2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "5.4")
HEADLINE_KEYS = ("online_share", "online_payment", "digitisation", "electronic_result",
                 "reuse", "on_time", "received", "resolved", "open_late")


def check_defaults() -> None:
    """The default weights add up to each group's points and to 100."""
    for group, points in GROUP_POINTS.items():
        total = sum(i.points for i in INDICATORS if i.group == group)
        if total != points:
            raise AssertionError(f"group {group}: {total} != {points}")
