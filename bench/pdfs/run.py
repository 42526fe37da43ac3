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
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())

    call_command("migrate", verbosity=0)
    from common import processed_birth_registration

    dossier, _agency, _official = processed_birth_registration()

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




if __name__ == "__main__":
    main()
