"""bench/opendata: CKAN API reads per second, in-process, beside a bare endpoint.

Builds a fresh database (SQLite file under /tmp, or --database-url) with one
province, N communes and D published datasets (tags, themes, a CSV and an API
resource each), then for a fixed number of requests calls through Django's
test client, in one process:

* the ceiling: ``/api/3`` (a constant JSON answer through the same middleware);
* ``package_show``; ``package_search`` with words, with ``fq`` terms, with
  facets; ``/du-lieu-mo/catalog.ttl`` (DCAT-AP of every dataset), built from
  scratch (cache cleared) and served from the cache keyed by the catalog's state.

It prints requests per second and the ratio to the ceiling, and writes
bench/results/opendata-<timestamp>.json.

    DIGIGOV_TESTING=1 .venv/bin/python bench/opendata/run.py [--datasets 300] [--requests 200]
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

ROOT = Path(__file__).resolve().parents[2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default="")
    p.add_argument("--datasets", type=int, default=300)
    p.add_argument("--communes", type=int, default=20)
    p.add_argument("--requests", type=int, default=200)
    return p.parse_args()


def setup(args) -> str:
    workdir = tempfile.mkdtemp(prefix="bench-opendata-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    os.environ.setdefault("DIGIGOV_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    if url.startswith("postgres"):
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    return url


def populate(args) -> None:
    from django.core.files.base import ContentFile

    from digigov.accounts.models import Role, RoleAssignment, User
    from digigov.opendata import services
    from digigov.opendata.models import Group
    from digigov.orgs.models import Agency

    province = Agency.objects.create(code="000.00.00.H37", name="UBND tỉnh Lạng Sơn",
                                     level=Agency.Level.PROVINCE)
    themes = [Group.objects.create(name=f"chu-de-{i}", title=f"Chủ đề {i}") for i in range(5)]
    communes = []
    for i in range(args.communes):
        agency = Agency.objects.create(code=f"000.{i + 1:02d}.37.H37", name=f"UBND xã Số {i + 1}",
                                       level=Agency.Level.COMMUNE, parent=province)
        admin = User.objects.create_user(email=f"qt{i}@bench.vn", password="x",
                                         full_name=f"Quản trị {i}", kind=User.Kind.OFFICIAL)
        RoleAssignment.objects.create(user=admin, agency=agency, role=Role.AGENCY_ADMIN)
        communes.append((agency, admin))
    words = ["hồ sơ", "đất đai", "giáo dục", "y tế", "giao thông", "môi trường", "dân số"]
    for n in range(args.datasets):
        agency, admin = communes[n % len(communes)]
        dataset = services.create_dataset(
            actor=admin, publisher=agency, name=f"bo-du-lieu-{n}",
            title=f"Số liệu {words[n % len(words)]} năm {2020 + n % 6} số {n}",
            notes=f"Dữ liệu về {words[n % len(words)]} của {agency.name}.",
            tags=[words[n % len(words)], words[(n + 3) % len(words)]],
            groups=[themes[n % len(themes)]], frequency="annual")
        services.add_resource(actor=admin, dataset=dataset, upload=ContentFile(
            f"ma,so\n{n},{n * 3}\n".encode(), name="data.csv"))
        services.add_resource(actor=admin, dataset=dataset, url=f"https://api.example.vn/{n}")
        services.publish_dataset(actor=admin, dataset=dataset)


def measure(client, path: str, params: dict | None, count: int, expect: int = 200) -> float:
    response = client.get(path, params or {})
    assert response.status_code == expect, (path, response.status_code, response.content[:300])
    started = time.perf_counter()
    for _ in range(count):
        client.get(path, params or {})
    return count / (time.perf_counter() - started)


def main() -> None:
    args = parse_args()
    url = setup(args)
    started = time.perf_counter()
    populate(args)
    build_seconds = time.perf_counter() - started
    from django.test import Client

    client = Client()
    cases = [
        ("ceiling: GET /api/3", "/api/3", None),
        ("package_show", "/api/3/action/package_show", {"id": "bo-du-lieu-7"}),
        ("package_search q", "/api/3/action/package_search", {"q": "dat dai", "rows": 10}),
        ("package_search fq", "/api/3/action/package_search",
         {"fq": 'tags:"y tế" AND res_format:CSV organization:000-03-37-h37', "rows": 10}),
        ("package_search facets", "/api/3/action/package_search",
         {"q": "so lieu", "rows": 10,
          "facet.field": '["organization","tags","res_format","groups"]'}),
        ("package_list", "/api/3/action/package_list", None),
    ]
    rows = []
    for label, path, params in cases:
        rate = measure(client, path, params, args.requests)
        rows.append({"case": label, "requests_per_second": round(rate, 1)})
    from django.core.cache import cache

    cold, runs = 0.0, 3
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        assert client.get("/du-lieu-mo/catalog.ttl").status_code == 200
        cold += time.perf_counter() - started
    rows.append({"case": "DCAT catalog.ttl, cold", "requests_per_second": round(runs / cold, 2)})
    rate = measure(client, "/du-lieu-mo/catalog.ttl", None, args.requests)
    rows.append({"case": "DCAT catalog.ttl, cached", "requests_per_second": round(rate, 1)})
    ceiling = rows[0]["requests_per_second"]
    for row in rows:
        row["ratio_to_ceiling"] = round(row["requests_per_second"] / ceiling, 3)
    print(f"\n{args.datasets} published datasets, {args.communes} publishers, "
          f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}, in-process "
          f"(built in {build_seconds:.1f} s)\n")
    print(f"{'case':<26}{'req/s':>10}{'ratio':>9}")
    for row in rows:
        print(f"{row['case']:<26}{row['requests_per_second']:>10}{row['ratio_to_ceiling']:>9}")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / f"opendata-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "date": dt.datetime.now(dt.UTC).isoformat(), "machine": platform.platform(),
        "python": platform.python_version(), "cpu_count": os.cpu_count(),
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "datasets": args.datasets, "publishers": args.communes, "requests": args.requests,
        "command": "DIGIGOV_TESTING=1 .venv/bin/python bench/opendata/run.py " + " ".join(
            sys.argv[1:]),
        "results": rows,
    }, indent=1))
    print(f"\n-> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
