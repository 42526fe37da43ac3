"""The paper kinds seeded into every installation: papers the Vietnamese state issues.

Administrators may add more in the admin; these codes are stable and other
code (the demo, data-sharing adapters) may name them.
"""

PAPER_KINDS = (
    ("can-cuoc", "Thẻ căn cước / căn cước công dân"),
    ("ho-chieu", "Hộ chiếu"),
    ("giay-khai-sinh", "Giấy khai sinh"),
    ("giay-chung-sinh", "Giấy chứng sinh"),
    ("giay-chung-nhan-ket-hon", "Giấy chứng nhận kết hôn"),
    ("xac-nhan-tinh-trang-hon-nhan", "Giấy xác nhận tình trạng hôn nhân"),
    ("trich-luc-khai-tu", "Trích lục khai tử"),
    ("ly-lich-tu-phap", "Phiếu lý lịch tư pháp"),
    ("dang-ky-ho-kinh-doanh", "Giấy chứng nhận đăng ký hộ kinh doanh"),
    ("dang-ky-doanh-nghiep", "Giấy chứng nhận đăng ký doanh nghiệp"),
    ("giay-phep-xay-dung", "Giấy phép xây dựng"),
    ("giay-chung-nhan-quyen-su-dung-dat",
     "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"),
    ("giay-phep-lai-xe", "Giấy phép lái xe"),
    ("bang-tot-nghiep", "Bằng tốt nghiệp"),
    ("giay-xac-nhan-cu-tru", "Giấy xác nhận thông tin về cư trú"),
    ("the-bao-hiem-y-te", "Thẻ bảo hiểm y tế"),
)
