"""bench/kpi: the Decision 766 service-quality index at national scale.

Generates a synthetic national data set by bulk insert (COPY on PostgreSQL,
executemany in large transactions on SQLite): the 34 provinces and their
communes as agencies (from the national unit list), a catalog of commune and
province procedures, and N dossiers with a realistic mix of channels,
statuses, delays, supplements, digitised components, reused papers,
electronic results and online payments. Then it rebuilds the rollup
(``digigov reports_rebuild``) and times the yearly index for the whole
instance, the largest province and one commune (``method="fast"``), beside
a plain ``SELECT count(*)`` over the dossier table (the ceiling), and checks
the figures:

* the commune and the province: the whole index compared with
  ``method="direct"`` (the per-dossier computation), field by field;
* the whole instance: every dossier count of the index compared with one
  straightforward SQL aggregation over the dossier table (with EXISTS on
  files, paper uses, issued documents and payments; lateness by end >
  appointment, which is exact for this data set: it has no dossier without
  an appointment date and no closed dossier with a running supplement pause;
  open dossiers waiting for a supplement are judged with ``judge_at``).

    .venv/bin/python bench/kpi/run.py --db sqlite [--dossiers 10000000]
    .venv/bin/python bench/kpi/run.py --db postgres [--dossiers 10000000]
    .venv/bin/python bench/kpi/run.py --db sqlite --reuse     # time an existing data set

SQLite file: var/bench/kpi.sqlite3; PostgreSQL database: digigov_kpi.
Results go to bench/results/kpi-<db>-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQLITE_PATH = ROOT / "var" / "bench" / "kpi.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/digigov_kpi"
UTC = dt.UTC
VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=VN)   # the data set's "today"
START = dt.datetime(2025, 11, 15, 0, 0, tzinfo=VN)  # a month before the 2026 reporting year


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    p.add_argument("--dossiers", type=int, default=10_000_000)
    p.add_argument("--reuse", action="store_true", help="keep the existing data set and rollup")
    p.add_argument("--rebuild", action="store_true",
                   help="with --reuse: rebuild the rollup first (e.g. after an interrupted "
                        "generation: every 50,000-dossier batch is committed)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per case (median)")
    p.add_argument("--seed", type=int, default=766)
    p.add_argument("--skip-direct", action="store_true",
                   help="do not run the direct computation for the province")
    return p.parse_args()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def setup(args) -> None:
    if args.db == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        os.environ["DATABASE_URL"] = PG_URL
        if not args.reuse:
            import psycopg

            with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres",
                                 autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS digigov_kpi")
                conn.execute("CREATE DATABASE digigov_kpi")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        call_command("migrate", verbosity=0)


# -- generation -----------------------------------------------------------------------------
class Writer:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite, in large transactions."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        if not self.pg:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                for pragma in ("cache_size = -2000000", "synchronous = OFF",
                               "temp_store = MEMORY", "wal_autocheckpoint = 100000"):
                    cursor.execute(f"PRAGMA {pragma}")

    def ts(self, moment: dt.datetime | None):
        if moment is None or self.pg:
            return moment
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    def uuid(self, rng: random.Random):
        value = uuid.UUID(int=rng.getrandbits(128), version=4)
        return value if self.pg else value.hex

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        cols = ", ".join(f'"{c}"' for c in columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


def add_working_days(moment: dt.datetime, days: float) -> dt.datetime:
    """Approximate: weekends skipped (the data only needs plausible appointment dates)."""
    whole = int(days)
    weeks, rest = divmod(whole, 5)
    calendar_days = weeks * 7 + rest
    if moment.weekday() + rest >= 5:
        calendar_days += 2
    return moment + dt.timedelta(days=calendar_days, hours=8 * (days - whole))


def build_reference(rng: random.Random):
    from digigov.accounts.models import User
    from digigov.catalog.models import (
        ComponentSpec,
        ImplementingLevel,
        Procedure,
        ProcedureVersion,
        Sector,
        ServiceLevel,
        TimeLimitUnit,
    )
    from digigov.orgs.models import AdministrativeUnit, Agency
    from digigov.orgs.services import load_units
    from digigov.store.models import PaperKind, StoredPaper

    load_units()
    provinces = list(AdministrativeUnit.objects.filter(kind="province").order_by("code"))
    on = dt.date(2025, 7, 1)
    province_agencies = Agency.objects.bulk_create([
        Agency(code=f"000.00.00.H{int(p.code):02d}", name=f"UBND {p.name}",
               level=Agency.Level.PROVINCE, area=p, valid_from=on) for p in provinces])
    by_province = {a.area_id: a for a in province_agencies}
    communes = []
    counters: dict[int, int] = {}
    for unit in AdministrativeUnit.objects.filter(kind="commune").order_by("code"):
        parent = by_province[unit.parent_id]
        n = counters[parent.pk] = counters.get(parent.pk, 0) + 1
        communes.append(Agency(code=f"{n:03d}.00.00.H{parent.code[-2:]}", name=f"UBND {unit.name}",
                               level=Agency.Level.COMMUNE, area=unit, parent=parent, valid_from=on))
    communes = Agency.objects.bulk_create(communes, batch_size=2000)
    sectors = Sector.objects.bulk_create([Sector(code=f"LV{i:02d}", name=f"Lĩnh vực {i}")
                                          for i in range(1, 13)])
    procedures = []
    for i in range(60):
        commune_level = i < 40
        procedure = Procedure.objects.create(
            national_code=f"1.{i:06d}.000.00.00.H00", name=f"Thủ tục {i + 1}",
            sector=sectors[i % len(sectors)],
            level=ImplementingLevel.COMMUNE if commune_level else ImplementingLevel.PROVINCE)
        roll = rng.random()
        level = (ServiceLevel.FULL if roll < 0.5 else ServiceLevel.PARTIAL if roll < 0.85
                 else ServiceLevel.NONE)
        fee = rng.choice([0, 0, 0, 0, 0, 0, 20_000, 50_000, 100_000, 300_000])
        version = ProcedureVersion.objects.create(
            procedure=procedure, effective_from=on, applicant_types=["citizen"],
            service_level=level, time_limit_amount=rng.choice([1, 2, 3, 5, 7, 10, 15]),
            time_limit_unit=TimeLimitUnit.WORKING_DAYS, fee_counter=fee,
            fee_online=int(fee * 0.9), legal_basis="Nghị định 118/2025/NĐ-CP",
            result_type="Giấy chứng nhận", steps_description="Tiếp nhận, xử lý, trả kết quả",
            method="Trực tiếp, trực tuyến, bưu chính")
        ComponentSpec.objects.create(version=version, order=1, name="Tờ khai")
        procedure.competent_agencies.through.objects.bulk_create([
            procedure.competent_agencies.through(procedure_id=procedure.pk, agency_id=a.pk)
            for a in (communes if commune_level else province_agencies)], batch_size=5000)
        procedures.append((procedure, version, commune_level))
    owner = User.objects.create_user(email="kho@example.vn", password="x-" + uuid.uuid4().hex,
                                     full_name="Người nộp mẫu")
    kind = PaperKind.objects.create(code="cccd", name="Căn cước")
    papers = StoredPaper.objects.bulk_create([
        StoredPaper(owner=owner, kind=kind, title="Căn cước", file="store/x.pdf",
                    original_name="x.pdf", content_type="application/pdf", size=1,
                    sha256="0" * 64, source="uploaded") for _ in range(200)])
    return province_agencies, communes, procedures, papers


def generate(n: int, rng: random.Random) -> dict:
    from django.db import connection, transaction

    from digigov.dossiers.models import Dossier, DossierFile
    from digigov.payments.models import Payment
    from digigov.signing.models import IssuedDocument
    from digigov.store.models import PaperUse

    started = time.monotonic()
    with transaction.atomic():
        provinces, communes, procedures, papers = build_reference(rng)
    log(f"reference data: {len(provinces)} provinces, {len(communes)} communes, "
        f"{len(procedures)} procedures")
    commune_procs = [p for p in procedures if p[2]]
    province_procs = [p for p in procedures if not p[2]]
    # Big provinces get more dossiers: weight each commune by a per-province factor.
    weight = {a.pk: rng.uniform(0.3, 3.0) for a in provinces}
    cumulative, total = [], 0.0
    for c in communes:
        total += weight[c.parent_id]
        cumulative.append(total)
    writer = Writer()
    fields = [f for f in Dossier._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    position = {c: i for i, c in enumerate(columns)}
    defaults = {"applicant_name": "Nguyễn Văn A", "applicant_id_number": "001090000000",
                "applicant_phone": "", "applicant_email": "", "applicant_address": "",
                "language": "vi", "form_data": "{}", "result_summary": "",
                "closing_reason": "", "timeliness": ""}
    template = [defaults.get(c) for c in columns]
    span = (NOW - START).total_seconds()
    sequence: dict[tuple, int] = {}
    stats = {"dossiers": 0, "files": 0, "uses": 0, "results": 0, "payments": 0}
    batch = 50_000
    file_cols = ["uuid", "dossier_id", "component_id", "file", "original_name", "content_type",
                 "size", "sha256", "is_supplement", "reused_from_id", "is_reused",
                 "is_digitised", "uploaded_by_id", "uploaded_at"]
    use_cols = ["paper_id", "dossier_id", "agency_id", "used_at", "how"]
    doc_cols = ["uuid", "dossier_id", "kind", "title", "number", "file", "sha256", "issued_at",
                "issued_by_id", "signers"]
    pay_cols = ["uuid", "dossier_id", "obligation_id", "channel", "amount", "status", "gateway",
                "gateway_reference", "redirect_url", "failure_reason", "created_by_id",
                "created_at", "expires_at", "paid_at", "closed_at", "receipt_agency_id",
                "receipt_year", "receipt_sequence"]
    next_id = 1
    done = 0
    while done < n:
        size = min(batch, n - done)
        rows, files, uses, docs, pays = [], [], [], [], []
        for _ in range(size):
            dossier_id = next_id
            next_id += 1
            if rng.random() < 0.8:
                agency = rng.choices(communes, cum_weights=cumulative)[0]
                procedure, version, _c = rng.choice(commune_procs)
            else:
                agency = rng.choice(provinces)
                procedure, version, _c = rng.choice(province_procs)
            submitted = START + dt.timedelta(seconds=rng.random() * span)
            submitted = submitted.replace(hour=rng.randint(7, 16), minute=rng.randint(0, 59))
            if submitted > NOW:
                submitted = NOW - dt.timedelta(hours=rng.randint(1, 48))
            online_ok = version.service_level != "none"
            channel = 2 if online_ok and rng.random() < 0.6 else (3 if rng.random() < 0.05 else 1)
            limit = float(version.time_limit_amount)
            fee = version.fee_online if channel == 2 else version.fee_counter
            status = 10
            received = due = processed = returned = closed = paused_at = None
            supplements, paused = 0, 0.0
            roll = rng.random()
            if roll < 0.02:
                status, closed = 3, submitted + dt.timedelta(hours=2)
            else:
                received = submitted + dt.timedelta(minutes=rng.randint(0, 180))
                due = add_working_days(received, limit)
                r = rng.random()
                factor = (rng.uniform(0.2, 1.0) if r < 0.86 else rng.uniform(1.05, 2.0)
                          if r < 0.985 else rng.uniform(3, 12))
                end = received + dt.timedelta(days=limit * 1.4 * factor)
                s = rng.random()
                if s < 0.08:
                    supplements, paused = 1, rng.uniform(1, 3) * 28_800
                    due += dt.timedelta(seconds=paused * 3)
                    end += dt.timedelta(seconds=paused * 3)
                elif s < 0.084:
                    supplements, paused = 2, rng.uniform(1, 3) * 28_800
                if end > NOW:
                    o = rng.random()
                    if o < 0.1 and supplements == 0:
                        status, supplements = 5, 1
                        paused_at = received + (NOW - received) * rng.random()
                    elif o < 0.15:
                        status = 6
                    elif o < 0.3:
                        status = 2
                    else:
                        status = 4
                else:
                    c = rng.random()
                    if c < 0.9:
                        status, processed = 10, end
                        returned = min(NOW, end + dt.timedelta(hours=rng.uniform(1, 48)))
                        closed = returned
                    elif c < 0.94:
                        status, processed = 9, end
                    elif c < 0.98:
                        status, closed = 8, end
                    else:
                        status, closed = 7, end
            day = submitted.astimezone(VN).date()
            key = (agency.pk, day)
            sequence[key] = sequence.get(key, 0) + 1
            stamp = writer.ts(submitted)
            row = template[:]
            for column, value in (
                ("uuid", writer.uuid(rng)),
                ("code", f"{agency.code}-{day:%y%m%d}-{sequence[key]:04d}"),
                ("procedure_id", procedure.pk), ("procedure_version_id", version.pk),
                ("agency_id", agency.pk), ("channel", channel), ("status", status),
                ("submitted_at", stamp), ("received_at", writer.ts(received)),
                ("due_at", writer.ts(due)), ("clock_paused_at", writer.ts(paused_at)),
                ("supplement_count", supplements), ("paused_seconds", paused),
                ("fee_amount", fee), ("processed_at", writer.ts(processed)),
                ("returned_at", writer.ts(returned)), ("closed_at", writer.ts(closed)),
                ("created_at", stamp), ("updated_at", stamp),
            ):
                row[position[column]] = value
            rows.append(row)
            if channel != 2 and received and rng.random() < 0.55:
                files.append((writer.uuid(rng), dossier_id,
                              None, "dossiers/x.pdf", "so-hoa.pdf", "application/pdf", 1,
                              "0" * 64, False, None, False, True, None, stamp))
            if rng.random() < 0.15:
                uses.append((rng.choice(papers).pk, dossier_id, agency.pk, stamp, "online"))
            if status in (9, 10) and rng.random() < 0.65:
                docs.append((writer.uuid(rng), dossier_id,
                             "result", "Kết quả", "", "signed/x.pdf", "0" * 64,
                             writer.ts(processed), None, "[]"))
            if fee > 0 and received and rng.random() < 0.45:
                pays.append((writer.uuid(rng), dossier_id,
                             None, "online", fee, "paid", "sandbox", "", "", "", None, stamp,
                             None, stamp, stamp, None, None, None))
        with transaction.atomic():
            writer.insert(Dossier._meta.db_table, columns, rows)
            writer.insert(DossierFile._meta.db_table, file_cols, files)
            writer.insert(PaperUse._meta.db_table, use_cols, uses)
            writer.insert(IssuedDocument._meta.db_table, doc_cols, docs)
            writer.insert(Payment._meta.db_table, pay_cols, pays)
        done += size
        stats["dossiers"] += size
        stats["files"] += len(files)
        stats["uses"] += len(uses)
        stats["results"] += len(docs)
        stats["payments"] += len(pays)
        if done % 1_000_000 == 0 or done == n:
            log(f"  {done:,} dossiers")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), %s)",
                           [next_id])
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stats["seconds"] = round(time.monotonic() - started, 1)
    return stats


# -- measurements ---------------------------------------------------------------------------
def timed(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def sql_counts(period) -> dict:
    """The instance's dossier counts by one straightforward SQL aggregation over dossiers."""
    from django.db import connection

    from digigov.dossiers.models import Dossier
    from digigov.dossiers.timeliness import judge_at
    from digigov.worktime.calendar import WorkCalendar

    start, end = period.start_at(), period.end_at()
    received = "received_at >= %(s)s AND received_at < %(e)s"
    ending = "COALESCE(processed_at, returned_at, closed_at)"
    resolved = (f"received_at IS NOT NULL AND {ending} >= %(s)s AND {ending} < %(e)s "
                "AND status <> 7")
    e_result = ("EXISTS (SELECT 1 FROM signing_issueddocument i WHERE i.dossier_id = d.id "
                "AND i.kind = 'result')")
    reuse = "EXISTS (SELECT 1 FROM store_paperuse u WHERE u.dossier_id = d.id)"
    digitised_file = ("EXISTS (SELECT 1 FROM dossiers_dossierfile f WHERE f.dossier_id = d.id "
                      "AND f.is_digitised)")
    stored = "EXISTS (SELECT 1 FROM store_storedpaper p WHERE p.dossier_id = d.id)"
    paid = ("EXISTS (SELECT 1 FROM payments_payment y WHERE y.dossier_id = d.id "
            "AND y.status = 'paid' AND y.channel = 'online')")
    full = ("(SELECT v.service_level FROM catalog_procedureversion v "
            "WHERE v.id = d.procedure_version_id) = 'full'")
    result = "status IN (9, 10)"
    open_end = (f"received_at < %(e)s AND ({ending} IS NULL OR {ending} >= %(e)s)")
    sql = f"""
        SELECT
          SUM(CASE WHEN {received} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND channel = 2 THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND channel = 2 AND NOT ({full} AND {result}
              AND NOT {e_result}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND fee_amount > 0 THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND fee_amount > 0 AND {paid} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND (channel = 2 OR {digitised_file} OR {reuse})
              AND (NOT {result} OR {e_result}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND {reuse} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {received} AND ({reuse} OR {stored}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {resolved} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {resolved} AND (supplement_count > 1 OR {ending} > due_at)
              THEN 1 ELSE 0 END),
          SUM(CASE WHEN {resolved} AND {result} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {resolved} AND {result} AND {e_result} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {open_end} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {open_end} AND (supplement_count > 1 OR (due_at < %(e)s
              AND (clock_paused_at IS NULL OR clock_paused_at >= %(e)s))) THEN 1 ELSE 0 END)
        FROM dossiers_dossier d"""
    params = {"s": start, "e": end}
    if connection.vendor == "sqlite":
        params = {k: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for k, v in params.items()}
        sql = sql.replace("AND f.is_digitised", "AND f.is_digitised = 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = [int(v or 0) for v in cursor.fetchone()]
    names = ["received", "online", "online_counted", "fee_bearing", "paid_online", "digitised",
             "reused", "store_linked", "resolved", "resolved_late", "with_result", "e_result",
             "open_at_end", "open_late"]
    counts = dict(zip(names, row, strict=True))
    # Open and waiting for a supplement at the period end: the calendar decides.
    ended = Dossier.objects.filter(received_at__lt=end, supplement_count__lte=1,
                                   clock_paused_at__lt=end)
    calendar = WorkCalendar.load()
    for dossier in ended.select_related("procedure_version"):
        finished = dossier.processed_at or dossier.returned_at or dossier.closed_at
        if finished is not None and finished < end:
            continue
        if judge_at(dossier, end, calendar=calendar) == "late":
            counts["open_late"] += 1
    return counts


def main() -> None:
    args = parse_args()
    setup(args)
    from django.db import connection

    from digigov.orgs.models import Agency
    from digigov.reports import periods, scopes
    from digigov.reports.index import Filters, compute_index, resolve_filters
    from digigov.reports.rollup import counts_fast, rebuild

    rng = random.Random(args.seed)
    result = {"db": args.db, "date": dt.datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
              "python": platform.python_version(), "command": " ".join(sys.argv)}
    if not args.reuse:
        log(f"generating {args.dossiers:,} dossiers on {args.db}")
        result["generation"] = generate(args.dossiers, rng)
        log(f"generated in {result['generation']['seconds']} s")
    if not args.reuse or args.rebuild:
        if args.reuse:
            Writer()  # the SQLite cache settings
        t = time.monotonic()
        total = rebuild(progress=lambda d: d % 1_000_000 == 0 and log(f"  rollup {d:,}"))
        with connection.cursor() as cursor:
            for table in ("reports_dossierfact", "reports_rootmonthcell", "reports_rootdaycell"):
                cursor.execute(f"ANALYZE {table}")
        result["rebuild_seconds"] = round(time.monotonic() - t, 1)
        log(f"rollup rebuilt for {total:,} dossiers in {result['rebuild_seconds']} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        result["dossiers"] = cursor.fetchone()[0]
    period = periods.year(2026)
    from django.db.models import Count

    province = (Agency.objects.filter(parent__isnull=True)
                .annotate(n=Count("children__dossiers")).order_by("-n").first())
    commune = (Agency.objects.filter(parent=province).annotate(n=Count("dossiers"))
               .order_by("-n").first())
    cases = [("instance", scopes.instance()), ("province", scopes.Scope(province)),
             ("commune", scopes.Scope(commune))]

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM dossiers_dossier")
            return cursor.fetchone()[0]

    ceiling, _ = timed(count_all, args.repeat)
    rows = [("SELECT count(*) FROM dossiers_dossier (ceiling)", ceiling, None)]
    indexes = {}
    for name, scope in cases:
        seconds, index = timed(lambda s=scope: compute_index(s, period), args.repeat)
        indexes[name] = index
        rows.append((f"index {period.label}, {name}: {scope.label}", seconds, index.total))
    checks = {}
    t = time.monotonic()
    direct = compute_index(cases[2][1], period, method="direct")
    checks["commune_direct_equal"] = direct.as_dict() == indexes["commune"].as_dict()
    checks["commune_direct_seconds"] = round(time.monotonic() - t, 2)
    if not args.skip_direct:
        t = time.monotonic()
        direct = compute_index(cases[1][1], period, method="direct")
        checks["province_direct_equal"] = direct.as_dict() == indexes["province"].as_dict()
        checks["province_direct_seconds"] = round(time.monotonic() - t, 2)
    t = time.monotonic()
    expected = sql_counts(period)
    fast = counts_fast(scopes.instance(), period, resolve_filters(Filters()))
    got = {k: getattr(fast, k) for k in expected}
    checks["instance_sql_equal"] = got == expected
    checks["instance_sql_seconds"] = round(time.monotonic() - t, 2)
    if got != expected:
        checks["instance_sql_diff"] = {k: (got[k], expected[k]) for k in expected
                                       if got[k] != expected[k]}
    result["checks"] = checks
    result["rows"] = [{"case": c, "seconds": round(s, 4), "total": str(tot) if tot else None,
                       "ratio_to_count": round(s / ceiling, 2) if ceiling else None}
                      for c, s, tot in rows]
    result["scopes"] = {n: {"code": s.code, "received": indexes[n].headline.received}
                        for n, s in cases}
    print()
    print(f"{'case':<70} {'median s':>10} {'x count(*)':>10}")
    for c, s, _tot in rows:
        print(f"{c:<70} {s:>10.4f} {s / ceiling if ceiling else 0:>10.2f}")
    print()
    print(json.dumps(checks, indent=2, default=str))
    out = ROOT / "bench" / "results" / f"kpi-{args.db}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
