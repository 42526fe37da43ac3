"""Document types, urgency, secrecy and signing authority (Decree 30/2020/ND-CP).

The 29 administrative document types of Annex III with their abbreviations
(công văn and thư công have none), and the normative types an agency also
numbers (each in its own series). Kept as data: the notation of a document is
computed from this table, never typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CONG_VAN = "cong_van"


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str
    abbreviation: str  # "" for công văn and thư công: the notation is agency-unit
    normative: bool = False  # numbered in a series of its own

    @property
    def series(self) -> str:
        return f"qppl_{self.code}" if self.normative else "chung"


# Annex III of Decree 30/2020/ND-CP: name and abbreviation, in the Decree's order.
ADMINISTRATIVE_TYPES: tuple[DocumentType, ...] = (
    DocumentType("nghi_quyet", "Nghị quyết (cá biệt)", "NQ"),
    DocumentType("quyet_dinh", "Quyết định (cá biệt)", "QĐ"),
    DocumentType("chi_thi", "Chỉ thị", "CT"),
    DocumentType("quy_che", "Quy chế", "QC"),
    DocumentType("quy_dinh", "Quy định", "QYĐ"),
    DocumentType("thong_cao", "Thông cáo", "TC"),
    DocumentType("thong_bao", "Thông báo", "TB"),
    DocumentType("huong_dan", "Hướng dẫn", "HD"),
    DocumentType("chuong_trinh", "Chương trình", "CTr"),
    DocumentType("ke_hoach", "Kế hoạch", "KH"),
    DocumentType("phuong_an", "Phương án", "PA"),
    DocumentType("de_an", "Đề án", "ĐA"),
    DocumentType("du_an", "Dự án", "DA"),
    DocumentType("bao_cao", "Báo cáo", "BC"),
    DocumentType("bien_ban", "Biên bản", "BB"),
    DocumentType("to_trinh", "Tờ trình", "TTr"),
    DocumentType("hop_dong", "Hợp đồng", "HĐ"),
    DocumentType(CONG_VAN, "Công văn", ""),
    DocumentType("cong_dien", "Công điện", "CĐ"),
    DocumentType("ban_ghi_nho", "Bản ghi nhớ", "GN"),
    DocumentType("ban_thoa_thuan", "Bản thỏa thuận", "TTh"),
    DocumentType("giay_uy_quyen", "Giấy ủy quyền", "GUQ"),
    DocumentType("giay_moi", "Giấy mời", "GM"),
    DocumentType("giay_gioi_thieu", "Giấy giới thiệu", "GGT"),
    DocumentType("giay_nghi_phep", "Giấy nghỉ phép", "GNP"),
    DocumentType("phieu_gui", "Phiếu gửi", "PG"),
    DocumentType("phieu_chuyen", "Phiếu chuyển", "PC"),
    DocumentType("phieu_bao", "Phiếu báo", "PB"),
    DocumentType("thu_cong", "Thư công", ""),
)
# Normative documents a People's Committee or Council issues (Law on Promulgation of
# Legal Documents): each type runs its own series of numbers.
NORMATIVE_TYPES: tuple[DocumentType, ...] = (
    DocumentType("nghi_quyet_qppl", "Nghị quyết (quy phạm pháp luật)", "NQ", normative=True),
    DocumentType("quyet_dinh_qppl", "Quyết định (quy phạm pháp luật)", "QĐ", normative=True),
)
# The names as the pages show them, in the reader's language (the PDF keeps the legal name).
LABELS = {
    "nghi_quyet": _("Nghị quyết (cá biệt)"),
    "quyet_dinh": _("Quyết định (cá biệt)"),
    "chi_thi": _("Chỉ thị"),
    "quy_che": _("Quy chế"),
    "quy_dinh": _("Quy định"),
    "thong_cao": _("Thông cáo"),
    "thong_bao": _("Thông báo"),
    "huong_dan": _("Hướng dẫn"),
    "chuong_trinh": _("Chương trình"),
    "ke_hoach": _("Kế hoạch"),
    "phuong_an": _("Phương án"),
    "de_an": _("Đề án"),
    "du_an": _("Dự án"),
    "bao_cao": _("Báo cáo"),
    "bien_ban": _("Biên bản"),
    "to_trinh": _("Tờ trình"),
    "hop_dong": _("Hợp đồng"),
    "cong_van": _("Công văn"),
    "cong_dien": _("Công điện"),
    "ban_ghi_nho": _("Bản ghi nhớ"),
    "ban_thoa_thuan": _("Bản thỏa thuận"),
    "giay_uy_quyen": _("Giấy ủy quyền"),
    "giay_moi": _("Giấy mời"),
    "giay_gioi_thieu": _("Giấy giới thiệu"),
    "giay_nghi_phep": _("Giấy nghỉ phép"),
    "phieu_gui": _("Phiếu gửi"),
    "phieu_chuyen": _("Phiếu chuyển"),
    "phieu_bao": _("Phiếu báo"),
    "thu_cong": _("Thư công"),
    "nghi_quyet_qppl": _("Nghị quyết (quy phạm pháp luật)"),
    "quyet_dinh_qppl": _("Quyết định (quy phạm pháp luật)"),
}
TYPES: dict[str, DocumentType] = {t.code: t for t in ADMINISTRATIVE_TYPES + NORMATIVE_TYPES}
# edXML and other systems name types by their abbreviation; công văn by "CV".
BY_ABBREVIATION: dict[str, DocumentType] = {
    t.abbreviation: t for t in ADMINISTRATIVE_TYPES if t.abbreviation}
BY_ABBREVIATION["CV"] = TYPES[CONG_VAN]


def type_choices() -> list[tuple[str, str]]:
    return [(t.code, LABELS.get(t.code, t.name)) for t in TYPES.values()]


def get_type(code: str) -> DocumentType | None:
    """A type by its code, or by its abbreviation (edXML "QĐ", "CV")."""
    return TYPES.get(code) or BY_ABBREVIATION.get(code)


def type_name(code: str) -> str:
    """The legal (Vietnamese) name: on documents, registers and in search keys."""
    found = get_type(code)
    return found.name if found else code


def type_label(code: str) -> str:
    """The name in the reader's language, for pages."""
    found = get_type(code)
    return str(LABELS.get(found.code, found.name)) if found else code


class Urgency(models.TextChoices):
    NORMAL = "", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


# edXML priority: 0 normal, 1 urgent, 2 very urgent, 3 flash, 4 flash with hour.
URGENCY_PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2,
                    Urgency.FLASH: 3}
PRIORITY_URGENCY = {0: Urgency.NORMAL, 1: Urgency.URGENT, 2: Urgency.VERY_URGENT,
                    3: Urgency.FLASH, 4: Urgency.FLASH}


class Secrecy(models.TextChoices):
    NONE = "", _("Không mật")
    SECRET = "mat", _("Mật")
    TOP_SECRET = "toi_mat", _("Tối mật")
    MOST_SECRET = "tuyet_mat", _("Tuyệt mật")


SECRECY_LEVEL = {Secrecy.NONE: 0, Secrecy.SECRET: 1, Secrecy.TOP_SECRET: 2,
                 Secrecy.MOST_SECRET: 3}


class Authority(models.TextChoices):
    """The signer's authority before the title (Decree 30, Article 13)."""

    NONE = "", _("Ký trực tiếp")
    TM = "TM.", _("TM. (thay mặt tập thể)")
    KT = "KT.", _("KT. (ký thay người đứng đầu)")
    TL = "TL.", _("TL. (thừa lệnh)")
    Q = "Q.", _("Q. (quyền)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")
