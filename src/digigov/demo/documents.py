"""Demo official documents: a clerk at UBND xã Cao Lộc, an issued công văn, a draft
awaiting approval, and an incoming paper document assigned with a deadline."""

from __future__ import annotations

import datetime as dt

from digigov.accounts.models import Role, RoleAssignment, User
from digigov.documents import services
from digigov.pdfs.context import date_line
from digigov.pdfs.layout import Page, render

from .organisation import DemoOrganisation

CLERK = ("vanthu.caoloc@digigov.local", "Lý Thị Nga", "VanThu#2026")


def _scan(title: str, line: str) -> bytes:
    return render(Page(agency="Sở Tư pháp tỉnh Lạng Sơn", parent_agency="UBND tỉnh Lạng Sơn",
                       number_line="Số: 120/STP-HCTP",
                       date_line=date_line("Lạng Sơn", dt.date.today()),
                       title="", body_html=f"<p>{title}</p><p>{line}</p>")).pdf


def create_documents(org: DemoOrganisation) -> int:
    commune = org.agencies["cao_loc"]
    login, name, password = CLERK
    clerk = User.objects.filter(email=login).first() or User.objects.create_user(
        email=login, password=password, full_name=name, kind=User.Kind.OFFICIAL)
    RoleAssignment.objects.get_or_create(user=clerk, agency=commune, role=Role.CLERK)
    org.officials[("cao_loc", Role.CLERK)] = clerk
    org.accounts.append((login, str(Role.CLERK.label), commune.name, password))
    admin = org.official("cao_loc", Role.AGENCY_ADMIN)
    specialist = org.official("cao_loc", Role.SPECIALIST)
    leader = org.official("cao_loc", Role.LEADER)
    services.set_issuer_profile(actor=admin, agency=commune, abbreviation="UBND",
                                place="Lạng Sơn")

    letter = services.create_draft(
        actor=specialist, agency=commune, type_code="cong_van", drafting_unit="VP",
        subject="Đôn đốc cập nhật dữ liệu hộ tịch lên hệ thống",
        body="Ủy ban nhân dân xã Cao Lộc đề nghị công chức tư pháp - hộ tịch hoàn thành việc "
             "cập nhật dữ liệu hộ tịch trước ngày 30 của tháng.\n\nĐề nghị thực hiện nghiêm.",
        recipients=[{"kind": "person", "person": specialist}],
        recipients_text="- Như trên;\n- Lưu: VT, VP.")
    services.submit(letter, actor=specialist, approver=leader)
    services.review(letter, actor=leader, accept=True)
    services.sign(letter, actor=leader, signer_title="Chủ tịch", authority="TM.",
                  authority_of="Ủy ban nhân dân")
    services.issue(letter, actor=clerk)

    plan = services.create_draft(
        actor=specialist, agency=commune, type_code="ke_hoach", drafting_unit="VP",
        subject="Kế hoạch chuyển đổi số năm 2026 của xã Cao Lộc",
        body="I. MỤC ĐÍCH, YÊU CẦU\n\nHoàn thành 100% hồ sơ trực tuyến toàn trình.")
    services.submit(plan, actor=specialist, approver=leader)

    incoming = services.register_incoming_paper(
        actor=clerk, recipient=commune, sender_name="Sở Tư pháp tỉnh Lạng Sơn",
        number="120", notation="STP-HCTP", issued_on=dt.date.today() - dt.timedelta(days=2),
        type_code="cong_van", subject="Hướng dẫn đăng ký hộ tịch trực tuyến",
        scan=("scan-120-STP-HCTP.pdf", "application/pdf",
              _scan("Hướng dẫn đăng ký hộ tịch trực tuyến",
                    "Đề nghị UBND các xã triển khai thực hiện.")), ocr=False)
    services.assign(incoming, actor=leader, targets=[{"person": specialist, "role": "main"}],
                    working_days=5, directions="Nghiên cứu, triển khai và báo cáo kết quả.")
    return 3
