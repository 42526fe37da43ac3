"""bench/pdfs: PDF documents rendered per second, in one process.

Creates a throw-away SQLite database with one processed birth-registration
dossier, then for a fixed time renders (a) its result, the birth certificate
extract with its QR code, template chosen and filled from the database, and
(b) form 01. The ceiling, measured in the same run, is the bare renderer:
a one-line page with the same embedded font and no template or database work.

    .venv/bin/python bench/pdfs/run.py [--seconds 10]

Results go to bench/results/pdfs-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rate(fn, seconds: float) -> tuple[float, int]:
    fn()  # warm up: font parsing, template compilation
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - start), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())

    call_command("migrate", verbosity=0)
    dossier = seed()

    from digigov.pdfs import layout
    from digigov.pdfs.documents import render_form, render_result

    verify = uuid.uuid4()
    bare = layout.Page(agency="A", parent_agency="", number_line="", date_line="", title="T",
                       body_html="<p>Cộng hòa xã hội chủ nghĩa Việt Nam</p>")
    rows = {
        "result (birth extract + QR)": rate(
            lambda: render_result(dossier, verification_uuid=verify), args.seconds),
        "form 01": rate(lambda: render_form(dossier, "01"), args.seconds),
        "ceiling: bare one-line page": rate(lambda: layout.render(bare), args.seconds),
    }
    ceiling = rows["ceiling: bare one-line page"][0]
    print(f"{'document':32} {'per second':>10} {'count':>7} {'of ceiling':>10}")
    for name, (per_second, count) in rows.items():
        print(f"{name:32} {per_second:10.1f} {count:7d} {per_second / ceiling:10.0%}")
    out = ROOT / "bench" / "results" / f"pdfs-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count()},
        "command": "bench/pdfs/run.py " + " ".join(sys.argv[1:]),
        "seconds": args.seconds,
        "results": {k: {"per_second": round(v[0], 1), "count": v[1]} for k, v in rows.items()},
    }, indent=2, ensure_ascii=False))
    print(f"written {out.relative_to(ROOT)}")


def seed():
    """One dossier, submitted, received, handed over and completed through the services."""
    from decimal import Decimal

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
    agency = Agency.objects.create(code="000.01.37.H37", name="UBND xã Bench", parent=province,
                                   level="commune", valid_from=dt.date(2025, 7, 1))
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
    officer = User.objects.create_user(email="motcua@example.vn", password="x" * 12,
                                       full_name="Cán Bộ Một Cửa", kind=User.Kind.OFFICIAL)
    RoleAssignment.objects.create(user=officer, agency=agency, role=Role.COUNTER_OFFICER)
    citizen = User.objects.create_user(email="dan@example.vn", password="x" * 12,
                                       full_name="Nguyễn Văn A", personal_id="020190001234")
    pdf = SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    dossier = services.submit_online(applicant=citizen, procedure=proc,
                                     form_data={"child_name": "Nguyễn Văn Bé"},
                                     files={str(component.pk): pdf}, agency=agency)
    dossier = services.receive(officer=officer, dossier=dossier)
    return services.complete(official=officer, dossier=dossier, result_summary="Đã cấp")


if __name__ == "__main__":
    main()
