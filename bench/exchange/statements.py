"""bench/exchange/statements.py: SQL statements per document exchanged, on each side.

Counted in-process on a fresh SQLite database (Django's ``CaptureQueriesContext``), for
50 documents: B receiving them (one batch), A sending them, A receiving their statuses
01 and 03 (batches of 50), and the sender's bookkeeping when the worker delivers (the
HTTP request itself replaced by an answer "accepted"). A deterministic companion to
bench/exchange/run.py, whose wall-clock figures depend on the machine's load.

    .venv/bin/python bench/exchange/statements.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = 50


def setup(home: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="digigov.settings", DATABASE_URL=f"sqlite:///{home}/db.sqlite3",
        DIGIGOV_VAR_DIR=str(home), DIGIGOV_TESTING="1", SECRET_KEY="bench-statements-" + "s" * 40,
        LOG_LEVEL="ERROR", SIGNING_TSA_URL="", NOTIFICATION_DELIVERY="queue",
        EXCHANGE_DELIVERY="queue", DOCUMENTS_TEXT_EXTRACTION="queue")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-statements-"))
    setup(home)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from tests.exchange.conftest import Remote, status_package

    from digigov.exchange import edxml, services, transport
    from digigov.exchange.models import OutboxMessage
    from digigov.orgs.models import Agency
    from digigov.signing import services as signing

    here = Agency.objects.create(code="000.00.00.H29", name="UBND Thành phố Hồ Chí Minh",
                                 level=Agency.Level.PROVINCE, valid_from=dt.date(2025, 7, 1))
    signing.create_local_ca("CA")
    signing.issue_credential(agency=here)
    peer = Remote(code="000.00.00.H37", name="UBND tỉnh Lạng Sơn")
    services.add_peer(name="A", endpoint_url="http://127.0.0.1:9/lien-thong/edxml/",
                      certificate_pem=peer.ca_pem, organ_codes=[peer.code])
    me = edxml.Organ(here.code, here.name)

    def package(sender, recipient, n):
        return edxml.DocumentPackage(
            package_id=str(uuid.uuid4()), sender=sender, recipients=[recipient],
            number=str(n), notation="UBND-VP", place="", issued_on=timezone.localdate(),
            type_code="CV", type_name="Công văn", subject=f"V/v văn bản thử số {n}",
            content="Nội dung.", signer_competence="TM.", signer_position="Chủ tịch",
            signer_name="Nguyễn Văn Ánh", traces=[(sender.code, timezone.now())])

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    incoming = [peer.sign(edxml.build_document(package(peer.organ(), me, n)))
                for n in range(DOCUMENTS + 1)]
    services.receive_package(incoming[0])  # warm-up
    receive = count(lambda: services.receive_batch(incoming[1:]))
    sent: list = []
    send = count(lambda: sent.extend(services.send_package(package(me, peer.organ(), n))[0]
                                     for n in range(DOCUMENTS)))
    statuses = [peer.sign(edxml.build_status(status_package(peer.organ(), me, m.document_id,
                                                            code)))
                for m in sent for code in ("01", "03")]
    answers = count(lambda: [services.receive_batch(statuses[i:i + 50])
                             for i in range(0, len(statuses), 50)])
    transport.post_package = lambda url, payload, package_id: transport.Outcome(True)
    transport.post_batch = lambda url, payloads, package_ids: [transport.Outcome(True)] * len(
        payloads)
    waiting = OutboxMessage.objects.filter(state="pending").count()
    deliver = count(lambda: services.drain(timeout=60))
    print("| SQL statements | per document |\n|---|---:|")
    print(f"| B receives a document | {receive / DOCUMENTS:.1f} |")
    print(f"| A sends a document | {send / DOCUMENTS:.1f} |")
    print(f"| A receives its statuses 01 and 03 | {answers / DOCUMENTS:.1f} |")
    print(f"| sender's bookkeeping per package delivered ({waiting} packages) | "
          f"{deliver / waiting:.1f} |")


if __name__ == "__main__":
    main()
