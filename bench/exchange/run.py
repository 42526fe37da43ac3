"""bench/exchange: signed edXML documents per second between two digigov instances.

Starts two instances on this machine (A and B: gunicorn each, PostgreSQL databases
``digigov_exa`` and ``digigov_exb``, or SQLite files with ``--sqlite``), seeds each with its
own agency, local CA and keys, and registers each as the other's peer. Then, on A, for N
documents: sign an edXML package (the agency's key), queue it, deliver it to B in order
(``exchange_send``'s loop, HTTP), where B checks the schema and the signature, registers
an incoming document (digigov.documents), queues statuses 01 and 03, which B's worker
sends back, signed, to A, which verifies and records them. Delivery posts several queued
packages per request (``EXCHANGE_REQUEST_PACKAGES``). B reads the attachments' text for
search in its background worker (``documents_extract_text``). The clock stops when A holds
status 03 for every document: documents/s end to end. A signs and queues all N, then
delivers; with ``--overlap`` A's own worker (``exchange_send --loop``) runs too, so
delivery starts while A is still signing and queuing, as in production (on two busy
cores it gains nothing: the whole chain is CPU-bound).

The ceiling is the same HTTP round trip, one package after the other as delivery goes,
to an endpoint on B that reads the package and answers without parsing, verifying or
storing it (``/lien-thong/bench-echo/``, mounted only with DIGIGOV_BENCH_ENDPOINTS=1).

    .venv/bin/python bench/exchange/run.py [--documents 300] [--workers 2] [--sqlite]

Results go to bench/results/exchange-<timestamp>.json and are quoted in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOOL = ROOT / "tests" / "exchange" / "instance_tool.py"
A_CODE, A_NAME = "000.00.00.H37", "UBND tỉnh Lạng Sơn"
B_CODE, B_NAME = "000.00.00.H29", "UBND Thành phố Hồ Chí Minh"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--documents", type=int, default=300)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    p.add_argument("--attachment-kb", type=int, default=20,
                   help="size of the PDF attached to each document (0: none)")
    p.add_argument("--unsigned-pdf", action="store_true",
                   help="attach an unsigned PDF (B then skips the PAdES check)")
    p.add_argument("--request-packages", type=int, default=50,
                   help="packages per delivery request (EXCHANGE_REQUEST_PACKAGES; 1: one "
                        "package per request, as before batching)")
    p.add_argument("--overlap", action="store_true",
                   help="A's worker delivers while A is still signing and queuing")
    p.add_argument("--sqlite", action="store_true", help="SQLite files instead of PostgreSQL")
    p.add_argument("--database-a", default=os.environ.get(
        "BENCH_DATABASE_A", "postgres://postgres@127.0.0.1:5432/digigov_exa"))
    p.add_argument("--database-b", default=os.environ.get(
        "BENCH_DATABASE_B", "postgres://postgres@127.0.0.1:5432/digigov_exb"))
    p.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--peer-url", default="", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reset_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Instance:
    def __init__(self, name, code, agency_name, database_url, home: Path, workers: int,
                 request_packages: int = 50):
        self.name, self.code, self.agency_name = name, code, agency_name
        self.dir = home / name
        self.dir.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.processes: list[subprocess.Popen] = []
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("DATABASE_URL", "EXCHANGE_"))}
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "digigov.settings", "DATABASE_URL": database_url,
            "DIGIGOV_VAR_DIR": str(self.dir), "SECRET_KEY": f"bench-exchange-{name}-" + "k" * 40,
            "DEBUG": "0", "DIGIGOV_TESTING": "1", "LOG_LEVEL": "ERROR",
            "DIGIGOV_BENCH_ENDPOINTS": "1", "SIGNING_TSA_URL": "",
            "NOTIFICATION_DELIVERY": "queue", "DOCUMENTS_TEXT_EXTRACTION": "queue",
            "EXCHANGE_RETRY_BASE_SECONDS": "0.2",
            "EXCHANGE_RETRY_MAX_SECONDS": "2", "EXCHANGE_BATCH": "100000",
            "EXCHANGE_REQUEST_PACKAGES": str(request_packages),
        })

    def run(self, *args, **kwargs) -> str:
        done = subprocess.run(args, env=self.env, cwd=ROOT, capture_output=True, text=True,
                              **kwargs)
        if done.returncode != 0:
            raise SystemExit(f"{self.name}: {' '.join(map(str, args))} failed:\n"
                             f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        return done.stdout

    def start_server(self) -> None:
        log = open(self.dir / "server.log", "a")  # noqa: SIM115
        self.processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "digigov.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", "2",
             "--log-level", "warning"], env=self.env, cwd=ROOT, stdout=log, stderr=log))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not start: see {self.dir / 'server.log'}")

    def start_worker(self) -> None:
        log = open(self.dir / "worker.log", "a")  # noqa: SIM115
        self.processes.append(subprocess.Popen(
            [str(BIN / "digigov"), "exchange_send", "--loop", "--interval", "0.2"],
            env=self.env, cwd=ROOT, stdout=log, stderr=log))

    def start_text_worker(self) -> None:
        log = open(self.dir / "text-worker.log", "a")  # noqa: SIM115
        self.processes.append(subprocess.Popen(
            [str(BIN / "digigov"), "documents_extract_text", "--loop", "--interval", "0.2"],
            env=self.env, cwd=ROOT, stdout=log, stderr=log))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


def drive(args) -> dict:
    """Runs inside instance A (its database, its keys)."""
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from digigov.exchange import edxml, services, transport
    from digigov.exchange.models import OutboxMessage, StatusRecord
    from digigov.orgs.models import Agency

    sender = Agency.objects.get(code=A_CODE)
    sys.path.insert(0, str(ROOT))
    from tests.signing.sample_pdf import one_page_pdf

    # A one-page PDF, padded with text lines to the asked size; sealed by A like an
    # issued document's attachment (B checks the PAdES signature on arrival).
    line = "Noi dung van ban thu tai lien thong giua hai he thong. "
    pdf = one_page_pdf(" ".join([line] * max(1, args.attachment_kb * 1024 // len(line)))
                       [: args.attachment_kb * 1024])
    if args.attachment_kb and not args.unsigned_pdf:
        from digigov.signing.services import sign_pdf

        pdf = sign_pdf(pdf, agency=sender, number="01/UBND-VP")
    counter = {"n": 0}

    def package():
        counter["n"] += 1
        n = counter["n"]
        return edxml.DocumentPackage(
            package_id="", sender=edxml.Organ(A_CODE, A_NAME), recipients=[
                edxml.Organ(B_CODE, B_NAME)], number=str(n), notation="UBND-VP",
            place="Lạng Sơn", issued_on=timezone.localdate(), type_code="CV",
            type_name="Công văn", subject=f"V/v liên thông văn bản thử tải số {n}",
            content="Nội dung văn bản thử tải liên thông giữa hai hệ thống.",
            signer_competence="TM. ỦY BAN NHÂN DÂN", signer_position="Chủ tịch",
            signer_name="Nguyễn Văn Ánh", priority=0,
            attachments=[edxml.Attachment(name=f"van-ban-{n}.pdf",
                                          media_type="application/pdf", data=pdf)]
            if args.attachment_kb else [])

    def wait_for_03(total: int, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while StatusRecord.objects.filter(status_code="03").count() < total:
            refused = StatusRecord.objects.filter(status_code="02").first()
            if refused is not None:
                raise SystemExit(f"B refused a document: {refused.description}")
            if time.monotonic() > deadline:
                raise SystemExit("timed out waiting for the statuses from B")
            time.sleep(0.02)

    def run_batch(count: int, done_before: int) -> dict:
        started = time.perf_counter()
        for _ in range(count):
            services.send_package(package())
        signed = time.perf_counter()
        services.drain(timeout=600)
        delivered = time.perf_counter()
        wait_for_03(done_before + count)
        finished = time.perf_counter()
        return {"documents": count, "seconds": round(finished - started, 3),
                "sign_and_queue_s": round(signed - started, 3),
                "deliver_s": round(delivered - signed, 3),
                "statuses_after_s": round(finished - delivered, 3),
                "per_second": round(count / (finished - started), 1)}

    run_batch(args.warmup, 0)
    end_to_end = run_batch(args.documents, args.warmup)

    # Ceiling: the same packages, the same HTTP round trip one after the other, to an
    # endpoint that does nothing with them.
    payloads = [bytes(p) for p in OutboxMessage.objects.filter(kind="document")
                .order_by("-seq").values_list("payload", flat=True)[:args.documents]]
    url = args.peer_url.replace("/edxml/", "/bench-echo/")
    started = time.perf_counter()
    for i, payload in enumerate(payloads):
        outcome = transport.post_package(url, payload, package_id=str(i))
        if not outcome.ok:
            raise SystemExit(f"ceiling request failed: {outcome.detail}")
    ceiling_s = time.perf_counter() - started
    sizes = [len(p) for p in payloads]
    return {
        "end_to_end": end_to_end,
        "ceiling": {"documents": len(payloads), "seconds": round(ceiling_s, 3),
                    "per_second": round(len(payloads) / ceiling_s, 1)},
        "package_bytes": round(sum(sizes) / len(sizes)),
        "statuses": dict(StatusRecord.objects.values_list("status_code").annotate(
            n=Count("pk"))),
    }


def pending_texts(database_url: str) -> int:
    """Attachments of B whose text for search is still to be read (straight from its
    database: no Django start-up inside the measurement)."""
    sql = "SELECT count(*) FROM documents_incomingattachment WHERE text_pending"
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(urlsplit(database_url).path) as db:
            return db.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def wait_for_texts(database_url: str, timeout: float = 600) -> float:
    started = time.perf_counter()
    while pending_texts(database_url):
        if time.perf_counter() - started > timeout:
            raise SystemExit("timed out waiting for B's attachment texts")
        time.sleep(0.05)
    return round(time.perf_counter() - started, 3)


def count_incoming(instance: Instance) -> int:
    out = instance.run(sys.executable, "-c", (
        "import django; django.setup(); from digigov.documents.models import IncomingDocument;"
        " print(IncomingDocument.objects.count())"))
    return int(out.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    if args.drive:
        result = drive(args)
        sys.stdout.write("RESULT " + json.dumps(result) + "\n")
        return
    load_before = list(os.getloadavg())  # the machine may be shared: say how busy it was
    home = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    if args.sqlite:
        urls = (f"sqlite:///{home}/a.sqlite3", f"sqlite:///{home}/b.sqlite3")
    else:
        urls = (args.database_a, args.database_b)
        for url in urls:
            reset_postgres(url)
    a = Instance("a", A_CODE, A_NAME, urls[0], home, args.workers, args.request_packages)
    b = Instance("b", B_CODE, B_NAME, urls[1], home, args.workers, args.request_packages)
    try:
        for inst in (a, b):
            inst.run(str(BIN / "digigov"), "migrate", "--noinput")
            inst.run(sys.executable, str(TOOL), "seed", "--code", inst.code, "--name",
                     inst.agency_name, "--ca-out", str(inst.dir / "ca.pem"))
        for inst, other in ((a, b), (b, a)):
            inst.run(str(BIN / "digigov"), "exchange_peer", "add", f"peer-{other.name}",
                     "--url", f"{other.url}/lien-thong/edxml/", "--organ", other.code,
                     "--certificate", str(other.dir / "ca.pem"))
        a.start_server()
        b.start_server()
        if args.overlap:
            a.start_worker()  # delivers while the driver is still signing and queuing
        b.start_worker()
        b.start_text_worker()
        out = a.run(sys.executable, __file__, "--drive", "--documents", str(args.documents),
                    "--warmup", str(args.warmup), "--attachment-kb", str(args.attachment_kb),
                    *(["--unsigned-pdf"] if args.unsigned_pdf else []),
                    "--peer-url", f"{b.url}/lien-thong/edxml/")
        result = json.loads([x for x in out.splitlines() if x.startswith("RESULT ")][-1][7:])
        # B reads the attachments' text for search in the background: how long after the
        # last status 03 (and after the ceiling run) until it has read them all.
        result["texts_read_after_s"] = wait_for_texts(urls[1])
    finally:
        a.stop()
        b.stop()
    stored = count_incoming(b)
    expected = args.documents + args.warmup
    if stored != expected:
        raise SystemExit(f"B holds {stored} incoming documents, expected {expected}")
    shutil.rmtree(home, ignore_errors=True)

    e2e, ceiling = result["end_to_end"], result["ceiling"]
    ratio = e2e["per_second"] / ceiling["per_second"]
    print(f"\nbench/exchange: {args.documents} documents A -> B, "
          f"{'SQLite' if args.sqlite else 'PostgreSQL'}, {args.workers} gunicorn workers "
          f"per instance, up to {args.request_packages} packages per request, package "
          f"{result['package_bytes']} bytes\n")
    print("| | documents/s | seconds |")
    print("|---|---:|---:|")
    print(f"| end to end (sign, send, verify, register, 01+03 back) | {e2e['per_second']} "
          f"| {e2e['seconds']} |")
    print(f"| raw HTTP round trip, same packages (ceiling) | {ceiling['per_second']} "
          f"| {ceiling['seconds']} |")
    print(f"| ratio | **{ratio:.2f}** | |")
    print(f"\nphases: sign and queue {e2e['sign_and_queue_s']} s"
          f"{' (A delivering meanwhile)' if args.overlap else ''}, deliver "
          f"{'the rest ' if args.overlap else ''}{e2e['deliver_s']} s, last statuses "
          f"{e2e['statuses_after_s']} s; "
          f"B stored {stored} documents; A statuses {result['statuses']}; B's attachment "
          f"texts all read {result['texts_read_after_s']} s after the run; load average "
          f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after"
          f"{'; --overlap' if args.overlap else ''}")

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out_file = ROOT / "bench" / "results" / f"exchange-{stamp}.json"
    out_file.write_text(json.dumps({
        "bench": "exchange", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/exchange/run.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "database": "sqlite" if args.sqlite else "postgresql",
        "workers": args.workers, "attachment_kb": args.attachment_kb,
        "request_packages": args.request_packages, "overlap": args.overlap,
        "loadavg_before": load_before, "loadavg_after": list(os.getloadavg()),
        "result": result, "ratio": round(ratio, 3), "stored_on_b": stored,
    }, indent=2, ensure_ascii=False))
    print(f"\nwritten to {out_file.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
