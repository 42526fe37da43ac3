"""Deterministic made-up applicants and declaration data for demo dossiers."""

from __future__ import annotations

import datetime as dt
import random

SURNAMES = ["Hoàng", "Nông", "Lương", "Vi", "Lăng", "Triệu", "Chu", "Mạc", "Hà", "Lộc",
            "Nguyễn", "Trần", "Lê", "Phạm", "Đinh", "Hứa", "Lý", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hồng", "Xuân"]
GIVEN = ["An", "Bình", "Chiến", "Dung", "Giang", "Hạnh", "Hiếu", "Khánh", "Linh", "Mai",
         "Nam", "Ngân", "Phúc", "Quyên", "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Yến"]
PLACES = ["Thôn Nà Cạn, xã Cao Lộc", "Thôn Khòn Khuyên, xã Cao Lộc", "Khối 3, phường Đông Kinh",
          "Khối 7, phường Đông Kinh", "Thôn Pò Nhùng, xã Đồng Đăng", "Khu Ga, xã Đồng Đăng",
          "Số 25 đường Bà Triệu, phường Đông Kinh", "Thôn Bản Làn, xã Cao Lộc"]
DOCUMENTS = ["Bằng tốt nghiệp đại học", "Giấy khai sinh", "Học bạ trung học phổ thông",
             "Hợp đồng mua bán", "Giấy chứng nhận quyền sử dụng đất", "Giấy ủy quyền"]
COUNTRIES = ["Nhật Bản", "Hàn Quốc", "Trung Quốc", "Cộng hòa Liên bang Đức", "Ô-xtrây-li-a"]
BUSINESS_LINES = ["Bán lẻ tạp hóa", "Dịch vụ ăn uống", "Sửa chữa xe máy", "Kinh doanh nông sản"]
REASONS = ["Chưa khởi công được do thời tiết kéo dài", "Bổ sung thông tin theo giấy tờ gốc",
           "Phục vụ hồ sơ xin việc", "Theo yêu cầu của cơ quan tiếp nhận"]
PERSON_KEYS = {"child_name", "husband_name", "wife_name", "deceased_name"}
PLACE_KEYS = {"birth_place", "death_place", "visit_address", "new_address", "stay_address",
              "site_address", "business_address", "previous_place"}
FUTURE_DATE_KEYS = {"stay_until", "wedding_date"}
NUMBER_RANGES = {"copies": (1, 3), "pages": (1, 12), "signers": (1, 2), "documents": (1, 6),
                 "capital": (50, 500), "floor_area": (80, 320), "floors": (1, 4)}


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def applicant(rng: random.Random) -> dict:
    """A counter applicant: a Lạng Sơn citizen (identity numbers of Lạng Sơn start with 020)."""
    return {
        "name": person_name(rng),
        "id_number": "020" + "".join(str(rng.randrange(10)) for _ in range(9)),
        "phone": "09" + "".join(str(rng.randrange(10)) for _ in range(8)),
        "address": rng.choice(PLACES) + ", tỉnh Lạng Sơn",
    }


def _text(key: str, rng: random.Random, applicant_name: str) -> str:
    if key == "full_name":
        return applicant_name
    if key in PERSON_KEYS:
        return person_name(rng)
    if key in PLACE_KEYS:
        return rng.choice(PLACES) + ", tỉnh Lạng Sơn"
    if key == "business_name":
        return f"Hộ kinh doanh {person_name(rng)}"
    if key == "business_line":
        return rng.choice(BUSINESS_LINES)
    if key == "permit_number":
        return f"{rng.randint(10, 240)}/GPXD"
    if key == "document_title":
        return rng.choice(DOCUMENTS)
    if key in ("destination_country", "issuing_country"):
        return rng.choice(COUNTRIES)
    return rng.choice(REASONS)


def form_data(version, rng: random.Random, applicant_name: str, day: dt.date) -> dict:
    """Values for every field of the version's e-form, valid for its field types."""
    data = {}
    for f in version.form_fields.all():
        if f.type == "date":
            if f.key in FUTURE_DATE_KEYS:
                value = day + dt.timedelta(days=rng.randint(30, 365))
            elif f.key == "birth_date" and version.procedure.national_code.startswith("1.001193"):
                value = day - dt.timedelta(days=rng.randint(3, 55))
            else:
                value = day - dt.timedelta(days=rng.randint(400, 20000))
            data[f.key] = value.isoformat()
        elif f.type == "number":
            low, high = NUMBER_RANGES.get(f.key, (1, 3))
            number = rng.randint(low, high)
            data[f.key] = str(number * 1_000_000 if f.key == "capital" else number)
        elif f.type == "choice":
            choices = list(f.choices or [])
            data[f.key] = choices[0] if f.key == "fee_exempt" else rng.choice(choices)
        else:
            data[f.key] = _text(f.key, rng, applicant_name)
    return data
