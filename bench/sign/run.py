"""bench/sign: signed results per second (render + PAdES sign), beside the ceiling.

Creates a throw-away SQLite database with one completed birth-registration
dossier, a local CA and certificates for the commune and its leader, then for a
fixed time, in each of N worker processes:

* render + sign: digigov.pdfs renders the result (birth certificate extract with
  its QR code) and digigov.signing adds the leader's personal signature and the
  commune's seal signature (two incremental PAdES B-B signatures, visible marks);
* sign only: the same two signatures on the already rendered result;
* render only: the rendering alone, for reference;
* ceiling: raw signatures per second of the same private key (RSA PKCS#1 v1.5
  or ECDSA over SHA-256), halved, since a result carries two signatures.

Without digigov.pdfs, a fixed one-page PDF is signed instead, and the output says so.

    .venv/bin/python bench/sign/run.py [--seconds 10] [--processes 2] [--key-type rsa|ec]

Results go to bench/results/sign-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE: dict = {}


def one_page_pdf() -> bytes:
    """A fixed one-page PDF, built byte by byte (used when digigov.pdfs is absent)."""
    content = b"BT /F1 14 Tf 72 760 Td (TRICH LUC KHAI SINH) Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Count 1/Kids[3 0 R]>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def setup(key_type: str) -> None:
    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digigov.settings")
    os.environ.pop("SIGNING_TSA_URL", None)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import logging

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from common import processed_birth_registration

    from digigov.accounts.models import Role
    from digigov.signing import services

    dossier, agency, leader = processed_birth_registration(Role.LEADER)
    services.create_local_ca("CA đo hiệu năng", key_type=key_type)
    services.issue_credential(agency=agency, key_type=key_type)
    services.issue_credential(officer=leader, key_type=key_type)
    STATE.update(dossier=dossier, agency=agency, leader=leader)
    try:
        from digigov.pdfs.documents import render_result_document
    except ImportError:
        STATE["render"] = None
    else:
        STATE["render"] = render_result_document
    from django.db import connections

    connections.close_all()  # each forked worker opens its own connection




# --- the measured operations (run in each worker) -------------------------------------------

def _rendered():
    render = STATE["render"]
    if render is None:
        return one_page_pdf(), None
    doc = render(STATE["dossier"], verification_uuid=uuid.uuid4(), number="15/GKS",
                 signer=STATE["leader"])
    return doc.pdf, doc.boxes


def op_render_and_sign():
    from digigov.signing.services import sign_pdf
    from digigov.signing.stamps import SignatureArea

    pdf, boxes = _rendered()
    area = boxes or SignatureArea(page=0, x1=330, y1=150, x2=520, y2=210)
    return sign_pdf(pdf, officer=STATE["leader"], agency=STATE["agency"], area=area,
                    number="15/GKS")


def op_sign_only():
    from digigov.signing.services import sign_pdf
    from digigov.signing.stamps import SignatureArea

    if "fixed" not in STATE:
        STATE["fixed"] = _rendered()
    pdf, boxes = STATE["fixed"]
    area = boxes or SignatureArea(page=0, x1=330, y1=150, x2=520, y2=210)
    return sign_pdf(pdf, officer=STATE["leader"], agency=STATE["agency"], area=area,
                    number="15/GKS")


def op_render_only():
    return _rendered()


def op_raw_signature():
    if "key" not in STATE:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

        from digigov.signing import keystore
        from digigov.signing.models import SigningCredential

        blob = SigningCredential.objects.get(agency=STATE["agency"]).encrypted_key
        key = keystore.decrypt_private_key(blob)
        if isinstance(key, rsa.RSAPrivateKey):
            STATE["key"] = lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            STATE["key"] = lambda data: key.sign(data, ec.ECDSA(hashes.SHA256()))
    return STATE["key"](os.urandom(64))


OPERATIONS = {"render + sign": op_render_and_sign, "sign only": op_sign_only,
              "render only": op_render_only, "raw signature": op_raw_signature}


def worker(args) -> tuple[int, float]:
    """(operations done, seconds taken) in one process, all processes over the same span."""
    name, seconds, start_at = args
    op = OPERATIONS[name]
    op()  # warm up: fonts, templates, keys
    while time.time() < start_at:  # all workers start together
        time.sleep(0.001)
    count, begin, end = 0, time.time(), start_at + seconds
    while time.time() < end:
        op()
        count += 1
    return count, time.time() - begin


def measure(pool, processes: int, name: str, seconds: float) -> tuple[float, int]:
    start_at = time.time() + 5  # room for every worker's warm-up
    done = pool.map(worker, [(name, seconds, start_at)] * processes, chunksize=1)
    return sum(count / took for count, took in done), sum(count for count, _ in done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--key-type", choices=["rsa", "ec"], default="rsa")
    args = parser.parse_args()

    setup(args.key_type)
    source = ("the birth certificate extract rendered by digigov.pdfs" if STATE["render"]
              else "a fixed one-page PDF (digigov.pdfs is not installed: no rendering)")
    print(f"document: {source}; key: {args.key_type}; {args.processes} process(es), "
          f"{args.seconds:g} s per row")
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        rows = {name: measure(pool, args.processes, name, args.seconds) for name in OPERATIONS}
    raw = rows.pop("raw signature")
    rows["ceiling: raw signatures / 2"] = (raw[0] / 2, raw[1])
    ceiling = rows["ceiling: raw signatures / 2"][0]

    print(f"{'operation':30} {'results/s':>10} {'count':>8} {'of ceiling':>10}")
    for name, (per_second, count) in rows.items():
        print(f"{name:30} {per_second:10.1f} {count:8d} {per_second / ceiling:10.1%}")
    print(f"raw {args.key_type} signatures per second: {raw[0]:.0f}")
    out = ROOT / "bench" / "results" / f"sign-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count()},
        "command": "bench/sign/run.py " + " ".join(sys.argv[1:]),
        "document": source, "key_type": args.key_type, "processes": args.processes,
        "seconds": args.seconds,
        "results": {k: {"per_second": round(v[0], 1), "count": v[1]} for k, v in rows.items()},
        "raw_signatures_per_second": round(raw[0], 1),
    }, indent=2, ensure_ascii=False))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
