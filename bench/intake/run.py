"""bench/intake: dossier submissions per second through the production server.

Starts gunicorn on a fresh PostgreSQL database, then for a fixed time keeps
C concurrent API clients submitting online dossiers (form data and two small
PDF attachments) with POST /api/v1/dossiers, and measures throughput and
latency. Then it measures, on the same server and database, a bare Django
endpoint that writes one row (the ceiling), and prints both and their ratio,
with the CPU each request cost the web workers, the database backends and
this load generator (all on the same machine).

    .venv/bin/python bench/intake/run.py [--seconds 20] [--concurrency 32] [--workers 3]

Results go to bench/results/intake-<timestamp>.json and are quoted in
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]


def small_pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
        b"3 0 obj<</Title(" + title.encode() + b")>>endobj\n"
        b"trailer<</Root 1 0 R/Info 3 0 R>>\n%%EOF\n"
    )


# Two different small PDFs: the declaration and the birth notice.
PDFS = (small_pdf("To khai"), small_pdf("Giay chung sinh"))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digigov_bench"))
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--concurrency", type=int, default=32)
    # CPU-bound on two cores: more processes than this only add switching and contention.
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--worker-class", default="sync", choices=("sync", "gthread"),
                   help="gunicorn worker class")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--citizens", type=int, default=50)
    p.add_argument("--notifications", choices=("queue", "immediate"), default="queue",
                   help="NOTIFICATION_DELIVERY of the server (queue: the production setting)")
    return p.parse_args()


def reset_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict, citizens: int) -> dict:
    """Migrate and seed the bench database in a child process; return what clients need."""
    script = f"""
import json, datetime as dt
from decimal import Decimal
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from digigov.accounts.models import ApiToken, User
from digigov.catalog.models import *
from digigov.orgs.models import Agency
agency = Agency.objects.create(code="000.01.37.H37", name="UBND xã Bench", level="commune",
                               valid_from=dt.date(2025, 7, 1))
sector = Sector.objects.create(code="HT", name="Hộ tịch")
proc = Procedure.objects.create(national_code="1.001193.000.00.00.H37", name="Đăng ký khai sinh",
                                sector=sector, level="commune")
proc.competent_agencies.set([agency])
v = ProcedureVersion.objects.create(procedure=proc, effective_from=dt.date(2025, 7, 1),
    applicant_types=["citizen"], service_level="full", time_limit_amount=Decimal(3),
    time_limit_unit="working_days", legal_basis="Luật Hộ tịch 2014", result_type="Giấy khai sinh")
c1 = ComponentSpec.objects.create(version=v, order=1, name="Tờ khai")
c2 = ComponentSpec.objects.create(version=v, order=2, name="Giấy chứng sinh")
FormField.objects.create(version=v, order=1, key="child_name", label="Họ tên trẻ")
ProcessStep.objects.create(version=v, order=1, name="Tiếp nhận", role="counter_officer",
                           allotted_hours=Decimal(4))
keys = []
for i in range({citizens}):
    u = User.objects.create_user(email=f"bench{{i}}@example.vn", password="x" * 12,
                                 full_name=f"Công dân {{i}}", personal_id=f"{{i:012d}}")
    keys.append(ApiToken.issue(u, "bench")[1])
print(json.dumps({{"procedure": proc.national_code, "agency": agency.code,
                  "components": [c1.pk, c2.pk], "keys": keys}}))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def encode_multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]],
                     boundary: str) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type, encoded once and sent many times."""
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                     f"\r\n\r\n".encode() + value.encode() + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                     + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server_pid: int, database: str) -> dict[str, list[int]]:
    """The web workers (children of the gunicorn master) and this database's backends."""
    web, db = [], []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == server_pid:
            web.append(int(entry.name))
        elif cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            db.append(int(entry.name))
    return {"web": web, "db": db}


class CpuMeter:
    """CPU used by the web workers, the database backends and this load generator."""

    def __init__(self, server_pid: int, database: str):
        self.server_pid, self.database = server_pid, database

    def start(self) -> None:
        self.pids = _server_pids(self.server_pid, self.database)
        self.before = {pid: _cpu_seconds(pid) for pids in self.pids.values() for pid in pids}
        self.client_before = time.process_time()

    def stop(self, requests: int) -> dict:
        """Milliseconds of CPU per answered request, by where it was spent."""
        # Backends opened during the run are counted from zero.
        self.pids["db"] = sorted(set(self.pids["db"])
                                 | set(_server_pids(self.server_pid, self.database)["db"]))
        spent = {name: sum(_cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in pids)
                 for name, pids in self.pids.items()}
        spent["client"] = time.process_time() - self.client_before
        per = max(requests, 1)
        return {f"{name}_ms": round(seconds * 1000 / per, 2) for name, seconds in spent.items()}


def count_dossiers(env: dict) -> int:
    """Every 201 must be a stored dossier: count them in the database after the run."""
    script = ("import django; django.setup(); from digigov.dossiers.models import Dossier; "
              "print(Dossier.objects.count())")
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1])


def start_server(env: dict, args) -> subprocess.Popen:
    log = open(ROOT / "bench" / "results" / "intake-server.log.tmp", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "digigov.wsgi:application",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--worker-class", args.worker_class,
         "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{args.port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start: see bench/results/intake-server.log.tmp")


def raw_request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """One HTTP/1.1 POST, encoded once: the load generator only writes and reads bytes.

    A general-purpose client (httpx) spent about 2 ms of CPU per request here, taken from
    the two cores the server is measured on; this costs a tenth of that.
    """
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
            "Connection: close", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def send(port: int, request: bytes) -> int:
    """Send one request on a new connection (gunicorn's sync workers close it after each
    answer) and return the response's status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        response = await asyncio.wait_for(reader.read(), timeout=30)
    finally:
        writer.close()
    status_line = response.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ConnectionError(f"not an HTTP response: {response[:80]!r}")
    return int(status_line[1])


async def load(requests: list[bytes], port: int, seconds: float, concurrency: int) -> dict:
    """C clients, each sending its request again and again until the time is up."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds

    async def client(n: int):
        request = requests[n % len(requests)]
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status = await send(port, request)
                ok, key = status in (200, 201), str(status)
            except OSError as exc:  # refused, reset, timed out, or not HTTP
                ok, key = False, type(exc).__name__
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors[key] = errors.get(key, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(concurrency)))
    elapsed = time.perf_counter() - began

    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(pct(0.50), 1) if latencies else None,
            "p99_ms": round(pct(0.99), 1) if latencies else None,
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None}


def main() -> None:
    args = parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DIGIGOV_BENCH_ENDPOINTS": "1",
           "DJANGO_SETTINGS_MODULE": "digigov.settings", "DEBUG": "0", "LOG_LEVEL": "WARNING",
           "DIGIGOV_TESTING": "1", "NOTIFICATION_DELIVERY": args.notifications}
    reset_database(args.database_url)
    seed = prepare(env, args.citizens)
    server = start_server(env, args)
    form = json.dumps({"child_name": "Nguyễn Văn Bé"})

    # Each client encodes its submission once (its own token; the same two PDFs) and sends
    # it again and again: the server still parses and checks every part of every request.
    fields = {"procedure": seed["procedure"], "agency": seed["agency"], "form_data": form}
    files = {f"component_{cid}": (f"c{cid}.pdf", pdf, "application/pdf")
             for cid, pdf in zip(seed["components"], PDFS, strict=True)}
    submissions = []
    for n in range(args.concurrency):
        body, content_type = encode_multipart(fields, files, boundary=f"bench-intake-{n:04d}")
        key = seed["keys"][n % len(seed["keys"])]
        submissions.append(raw_request("/api/v1/dossiers", body, {
            "Authorization": f"Bearer {key}", "Content-Type": content_type}))
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    one_row_writes = [raw_request("/bench/write-one-row", f"payload={n}".encode(), form_type)
                      for n in range(args.concurrency)]

    cpu = CpuMeter(server.pid, urlsplit(args.database_url).path.lstrip("/"))
    try:
        warm_up = asyncio.run(load(submissions, args.port, 3, args.concurrency))
        cpu.start()
        intake = asyncio.run(load(submissions, args.port, args.seconds, args.concurrency))
        intake["cpu"] = cpu.stop(intake["requests"])
        cpu.start()
        ceiling = asyncio.run(load(one_row_writes, args.port, args.seconds, args.concurrency))
        ceiling["cpu"] = cpu.stop(ceiling["requests"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    stored = count_dossiers(env)
    expected = warm_up["requests"] + intake["requests"]
    if stored != expected:
        raise SystemExit(f"{expected} submissions answered 201 but {stored} dossiers are stored")

    ratio = (round(intake["per_second"] / ceiling["per_second"], 3)
             if ceiling["per_second"] else None)
    result = {
        "benchmark": "intake",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "database": "postgresql",
        "settings": {"seconds": args.seconds, "concurrency": args.concurrency,
                     "workers": args.workers, "threads": args.threads,
                     "worker_class": args.worker_class,
                     "notifications": args.notifications},
        "dossiers_stored": stored,
        "intake": intake, "ceiling": ceiling, "ratio": ratio,
    }
    print(f"{'':24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>10}")
    for name, r in (("dossier submission", intake), ("bare one-row write", ceiling)):
        print(f"{name:24}{r['per_second']:>10}{r['p50_ms']!s:>10}{r['p99_ms']!s:>10}"
              f"{sum(r['errors'].values()):>10}")
    print(f"ratio submission / ceiling: {ratio}")
    for name, r in (("dossier submission", intake), ("bare one-row write", ceiling)):
        print(f"CPU ms per request, {name}: "
              + ", ".join(f"{k.removesuffix('_ms')} {v}" for k, v in r["cpu"].items()))
    out = ROOT / "bench" / "results" / f"intake-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
