"""bench/reports_ui: how long the index pages, exports and API take to answer.

Generates a synthetic data set with the generator of bench/kpi (the 34
provinces and their communes, a catalog, N dossiers with a realistic mix)
in its own SQLite file or PostgreSQL database, rebuilds the rollup, then
times full requests through Django's test client, in one process:

* the public scoreboard for a year (the instance and the 34 provinces ranked),
* the public page of the largest province (its index, six years of trend;
  its communes, more than 40, are ranked on their own page),
* the leaders' dashboard of that province (the same, plus the late dossiers),
* the ranking page of its communes (the index of each),
* a drill-down page (indicator 2.1, denominator, first page of 50),
* the Excel, CSV and PDF exports of the province, and the JSON API index,

beside the ceiling measured in the same run: ``GET /healthz``, a bare Django
endpoint through the same client, middleware and database.

    .venv/bin/python bench/reports_ui/run.py --db sqlite [--dossiers 200000]
    .venv/bin/python bench/reports_ui/run.py --db postgres [--dossiers 200000]
    .venv/bin/python bench/reports_ui/run.py --db sqlite --reuse   # time the last data set

SQLite file: var/bench/reports_ui.sqlite3; PostgreSQL database: digigov_reports_ui.
Results go to bench/results/reports_ui-<db>-<timestamp>.json.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQLITE_PATH = ROOT / "var" / "bench" / "reports_ui.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/digigov_reports_ui"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    p.add_argument("--dossiers", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=3, help="timed requests per case (median)")
    p.add_argument("--seed", type=int, default=766)
    p.add_argument("--reuse", action="store_true", help="time the data set of the last run")
    return p.parse_args()


def setup(args) -> None:
    if args.db == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if not args.reuse:
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    elif args.reuse:
        os.environ["DATABASE_URL"] = PG_URL
    else:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres",
                             autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS digigov_reports_ui")
            conn.execute("CREATE DATABASE digigov_reports_ui")
        os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages link their stylesheets; no collectstatic manifest is needed to time them.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.ALLOWED_HOSTS = ["*"]
    if not args.reuse:
        call_command("migrate", verbosity=0)


def timed(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm up: templates, fonts, first queries
    runs, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), value


def main() -> None:
    args = parse_args()
    setup(args)
    from bench.kpi import run as kpi
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from digigov.accounts.models import User
    from digigov.orgs.models import Agency
    from digigov.reports.rollup import rebuild

    generation = None
    if not args.reuse:
        kpi.log(f"generating {args.dossiers:,} dossiers on {args.db}")
        generation = kpi.generate(args.dossiers, random.Random(args.seed))
        rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        kpi.log("rollup rebuilt")

    province = (Agency.objects.filter(parent__isnull=True)
                .annotate(n=Count("children__dossiers")).order_by("-n").first())
    communes = Agency.objects.filter(parent=province).count()
    admin = User.objects.filter(email="bench@example.vn").first() or \
        User.objects.create_superuser(email="bench@example.vn", password="x" * 12,
                                      full_name="Bench")
    public, leader = Client(), Client()
    leader.force_login(admin)
    year = "period=year-2026"
    unit = f"unit={province.code}&{year}"
    api = f"unit={province.code}&kind=year&year=2026"

    def get(client, url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)
        return fetch

    cases = [
        ("ceiling: GET /healthz", get(public, "/healthz")),
        ("public scoreboard, year, 34 provinces ranked", get(public, f"/bao-cao/?{year}")),
        ("public page of a province (index, 6-year trend)",
         get(public, f"/bao-cao/don-vi/{province.code}/?{year}")),
        ("leaders' dashboard of the province (+ late dossiers)",
         get(leader, f"/bao-cao/bang-dieu-khien/?{unit}")),
        (f"ranking page of the province ({communes} communes)",
         get(leader, f"/bao-cao/bang-dieu-khien/xep-hang/?{unit}")),
        ("drill-down 2.1 denominator, first 50 dossiers",
         get(leader, f"/bao-cao/bang-dieu-khien/chi-tiet/?{unit}&code=2.1&part=denominator")),
        ("export Excel (province + ranking)", get(public, f"/bao-cao/xuat.xlsx?{unit}")),
        ("export CSV", get(public, f"/bao-cao/xuat.csv?{unit}")),
        ("export PDF report", get(public, f"/bao-cao/xuat.pdf?{unit}")),
        ("API /api/v1/reports/index (province)", get(public, f"/api/v1/reports/index?{api}")),
    ]
    rows = []
    for name, fetch in cases:
        seconds, size = timed(fetch, args.repeat)
        rows.append((name, seconds, size))
        kpi.log(f"{name}: {seconds:.3f} s")
    ceiling = rows[0][1]
    print()
    print(f"{'request':<70} {'median s':>9} {'bytes':>9} {'x ceiling':>10}")
    for name, seconds, size in rows:
        print(f"{name:<70} {seconds:>9.3f} {size:>9} {seconds / ceiling:>10.0f}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        dossiers = cursor.fetchone()[0]
    result = {
        "db": args.db, "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "python": platform.python_version(), "command": " ".join(sys.argv),
        "dossiers": dossiers, "generation": generation, "province": province.code,
        "communes": communes,
        "rows": [{"request": n, "seconds": round(s, 4), "bytes": b,
                  "ratio_to_ceiling": round(s / ceiling, 1)} for n, s, b in rows],
    }
    out = ROOT / "bench" / "results" / f"reports_ui-{args.db}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
