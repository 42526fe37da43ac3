"""bench/documents: official documents issued per second, beside the ceiling.

Creates a throw-away database (SQLite by default, or PostgreSQL with
--database-url), one commune with a specialist, a leader and a clerk, a local CA
and their certificates. Then, for a fixed time each, in one process:

* full workflow: create_draft -> submit -> review (approve) -> sign (number taken,
  Decree 30 layout, personal PAdES signature) -> issue (agency PAdES signature,
  register), all through digigov.documents.services with their audit events;
* ceiling: the same layout rendered and signed twice (personal + agency) with
  digigov.signing.sign_pdf, no workflow, no database writes;
* numbering alone: DocumentCounter increments (UPDATE ... RETURNING), one
  transaction each.

    .venv/bin/python bench/documents/run.py [--seconds 10] [--database-url postgres://...]

Results go to bench/results/documents-<timestamp>.json.
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--database-url", default="",
                   help="PostgreSQL URL of a database that may be dropped and recreated "
                        "(default: a temporary SQLite file)")
    return p.parse_args()


def reset_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(database_url: str) -> dict:
    if database_url:
        reset_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    os.environ.pop("SIGNING_TSA_URL", None)
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
    os.environ["EXCHANGE_DELIVERY"] = "queue"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import logging

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from digigov.accounts.models import Role, RoleAssignment, User
    from digigov.orgs.models import Agency
    from digigov.signing import services as signing

    province = Agency.objects.create(code="000.00.00.H37", name="UBND tỉnh Lạng Sơn",
                                     level="province", valid_from=dt.date(2025, 7, 1))
    agency = Agency.objects.create(code="000.01.37.H37", name="UBND xã Tân Thanh",
                                   parent=province, level="commune",
                                   valid_from=dt.date(2025, 7, 1))
    people = {}
    for role in (Role.SPECIALIST, Role.LEADER, Role.CLERK):
        user = User.objects.create_user(email=f"{role}@example.vn", password="x" * 12,
                                        full_name=f"Cán bộ {role}", kind=User.Kind.OFFICIAL)
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
        people[role] = user
    signing.create_local_ca("CA đo hiệu năng")
    signing.issue_credential(agency=agency)
    signing.issue_credential(officer=people[Role.LEADER])
    return {"agency": agency, "specialist": people[Role.SPECIALIST],
            "leader": people[Role.LEADER], "clerk": people[Role.CLERK]}


def op_workflow(s):
    from digigov.documents import services

    document = services.create_draft(
        actor=s["specialist"], agency=s["agency"], type_code="cong_van", drafting_unit="VP",
        subject="Đôn đốc nộp báo cáo tháng",
        body="Ủy ban nhân dân xã đề nghị các đơn vị nộp báo cáo trước ngày 25.")
    services.submit(document, actor=s["specialist"], approver=s["leader"])
    services.review(document, actor=s["leader"], accept=True)
    services.sign(document, actor=s["leader"], signer_title="Chủ tịch", authority="TM.",
                  authority_of="Ủy ban nhân dân")
    services.issue(document, actor=s["clerk"])


def op_ceiling(s):
    from digigov.documents import services
    from digigov.documents.models import OutgoingDocument
    from digigov.signing.services import sign_pdf

    if "template" not in s:
        s["template"] = OutgoingDocument.objects.filter(status="issued").first()
    rendered = services.render_pdf(s["template"])
    sign_pdf(rendered.pdf, officer=s["leader"], agency=s["agency"], area=rendered.boxes,
             number="01/UBND-VP")


def op_number(s):
    from django.db import transaction

    from digigov.documents.services import next_number

    with transaction.atomic():
        next_number(s["agency"], 2099, "bench")


def measure(name, op, state, seconds) -> dict:
    op(state)  # warm up (fonts, keys)
    count, started = 0, time.perf_counter()
    latencies = []
    while time.perf_counter() - started < seconds:
        t = time.perf_counter()
        op(state)
        latencies.append(time.perf_counter() - t)
        count += 1
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"name": name, "count": count, "seconds": round(elapsed, 2),
            "per_second": round(count / elapsed, 2),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1)}


def main():
    args = parse_args()
    state = setup(args.database_url)
    from django.db import connection

    rows = [measure("workflow (draft→issue)", op_workflow, state, args.seconds),
            measure("ceiling (render + 2 signatures)", op_ceiling, state, args.seconds),
            measure("numbering only", op_number, state, args.seconds)]
    ratio = rows[0]["per_second"] / rows[1]["per_second"] if rows[1]["per_second"] else 0
    print(f"{'operation':34} {'n':>6} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for r in rows:
        print(f"{r['name']:34} {r['count']:>6} {r['per_second']:>8} {r['p50_ms']:>8} "
              f"{r['p95_ms']:>8}")
    print(f"workflow / ceiling: {ratio:.2f}")
    result = {"bench": "documents", "at": dt.datetime.now(dt.UTC).isoformat(),
              "database": connection.vendor, "machine": platform.platform(),
              "python": platform.python_version(), "cpus": os.cpu_count(),
              "seconds": args.seconds, "rows": rows, "workflow_over_ceiling": round(ratio, 3)}
    out = ROOT / "bench" / "results" / (
        f"documents-{connection.vendor}-{dt.datetime.now():%Y%m%d-%H%M%S}.json")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
