"""What several benchmarks set up the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def processed_birth_registration(*roles: str):
    """A commune, its official holding ``roles``, and one birth-registration dossier
    submitted online, received and completed through the services.

    Returns (dossier, agency, official)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from digigov.accounts.models import Role, RoleAssignment, User
    from digigov.catalog.models import (
        ComponentSpec,
        FormField,
        ImplementingLevel,
        Procedure,
        ProcedureVersion,
        ProcessStep,
        Sector,
        ServiceLevel,
        TimeLimitUnit,
    )
    from digigov.dossiers import services
    from digigov.orgs.models import Agency

    province = Agency.objects.create(code="000.00.00.H37", name="UBND tỉnh Lạng Sơn",
                                     level="province", valid_from=dt.date(2025, 7, 1))
    agency = Agency.objects.create(code="000.01.37.H37", name="UBND xã Tân Thanh",
                                   parent=province, level="commune",
                                   valid_from=dt.date(2025, 7, 1))
    sector = Sector.objects.create(code="HT", name="Hộ tịch")
    proc = Procedure.objects.create(national_code="1.001193.000.00.00.H37",
                                    name="Đăng ký khai sinh", sector=sector,
                                    level=ImplementingLevel.COMMUNE)
    proc.competent_agencies.set([agency])
    version = ProcedureVersion.objects.create(
        procedure=proc, effective_from=dt.date(2025, 7, 1), applicant_types=["citizen"],
        service_level=ServiceLevel.FULL, time_limit_amount=Decimal(3),
        time_limit_unit=TimeLimitUnit.WORKING_DAYS, fee_counter=8000, fee_online=4000,
        legal_basis="Luật Hộ tịch 2014", result_type="Giấy khai sinh")
    component = ComponentSpec.objects.create(version=version, order=1, name="Tờ khai")
    FormField.objects.create(version=version, order=1, key="child_name", label="Họ tên trẻ")
    ProcessStep.objects.create(version=version, order=1, name="Tiếp nhận",
                               role=Role.COUNTER_OFFICER, allotted_hours=Decimal(8))
    official = User.objects.create_user(email="lanhdao@example.vn", password="x" * 12,
                                        full_name="Hoàng Văn Lãnh", kind=User.Kind.OFFICIAL)
    for role in (Role.COUNTER_OFFICER, *roles):
        RoleAssignment.objects.get_or_create(user=official, agency=agency, role=role)
    citizen = User.objects.create_user(email="dan@example.vn", password="x" * 12,
                                       full_name="Nguyễn Văn A", personal_id="020190001234")
    pdf = SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    dossier = services.submit_online(applicant=citizen, procedure=proc,
                                     form_data={"child_name": "Nguyễn Văn Bé"},
                                     files={str(component.pk): pdf}, agency=agency)
    dossier = services.receive(officer=official, dossier=dossier)
    dossier = services.complete(official=official, dossier=dossier, result_summary="Đã cấp")
    return dossier, agency, official
