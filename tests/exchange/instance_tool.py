"""Seed, drive and inspect one digigov instance from the outside (its own database, from
the environment): used by the two-instance test and bench/exchange.

    python tests/exchange/instance_tool.py seed --code 000.00.00.H37 --name "..." --ca-out ca.pem
    python tests/exchange/instance_tool.py send --to 000.00.00.H29 --to-name "..." --count 3
    python tests/exchange/instance_tool.py report
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

PASSWORD = "Mat-khau-2025!"


def seed(args) -> dict:
    from cryptography.hazmat.primitives.serialization import Encoding

    from digigov.accounts.models import Role, RoleAssignment, User
    from digigov.orgs.models import Agency
    from digigov.signing import pki
    from digigov.signing import services as signing

    agency = Agency.objects.create(code=args.code, name=args.name, level=Agency.Level.PROVINCE,
                                   valid_from=dt.date(2025, 7, 1))
    ca = signing.create_local_ca(f"CA {args.name}")
    signing.issue_credential(agency=agency)
    slug = args.code.replace(".", "").lower()
    people = {}
    for role in (Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.AGENCY_ADMIN):
        user = User.objects.create_user(email=f"{role}.{slug}@example.vn", password=PASSWORD,
                                        full_name=f"{role} {args.name}"[:150],
                                        kind=User.Kind.OFFICIAL)
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
        people[role] = user.email
    leader = User.objects.get(email=people[Role.LEADER])
    signing.issue_credential(officer=leader)
    cert = pki.load_certificate(bytes(ca.certificate))
    with open(args.ca_out, "wb") as out:
        out.write(cert.public_bytes(Encoding.PEM))
    return {"agency": agency.code, "people": people}


def _people(code: str):
    from digigov.accounts.models import Role, RoleAssignment

    found = {}
    for assignment in RoleAssignment.objects.select_related("user", "agency").filter(
            agency__code=code):
        found[assignment.role] = assignment.user
    return (found[Role.SPECIALIST], found[Role.LEADER], found[Role.CLERK],
            found[Role.SPECIALIST].role_assignments.first().agency)


def send(args) -> dict:
    """Draft, approve, sign and issue ``count`` documents to one external organ code."""
    from digigov.documents import services

    specialist, leader, clerk, agency = _people(args.code)
    ids = []
    for i in range(args.start, args.start + args.count):
        document = services.create_draft(
            actor=specialist, agency=agency, type_code="cong_van",
            subject=f"V/v phối hợp liên thông văn bản, đợt {i:03d}",
            body=f"Văn bản thử nghiệm liên thông số {i:03d}.", drafting_unit="VP",
            recipients=[{"kind": "external", "organ_code": args.to, "name": args.to_name}])
        services.submit(document, actor=specialist, approver=leader)
        services.review(document, actor=leader, accept=True)
        services.sign(document, actor=leader, signer_title="Chủ tịch", authority="TM.",
                      authority_of="Ủy ban nhân dân")
        document = services.issue(document, actor=clerk)
        ids.append(document.document_id)
    return {"document_ids": ids}


def report(args) -> dict:
    from django.db.models import Count

    from digigov.documents.models import IncomingDocument, OutgoingDocument
    from digigov.exchange.models import InboxMessage, OutboxMessage, StatusRecord

    incoming = list(IncomingDocument.objects.order_by("pk").values_list("document_id",
                                                                         flat=True))
    outgoing = []
    for document in OutgoingDocument.objects.order_by("pk").prefetch_related("recipients"):
        outgoing.append({"document_id": document.document_id, "subject": document.subject,
                         "statuses": [r.status for r in document.recipients.all()]})
    outbox = []
    for m in OutboxMessage.objects.order_by("channel", "seq"):
        outbox.append({"kind": m.kind, "seq": m.seq, "state": m.state, "attempts": m.attempts,
                       "document_id": m.document_id, "status_code": m.status_code,
                       "error": m.last_error[:200]})
    return {
        "incoming": incoming,
        "inbox_documents": list(InboxMessage.objects.filter(kind="document").order_by("pk")
                                .values_list("document_id", flat=True)),
        "outgoing": outgoing,
        "outbox": outbox,
        "statuses": list(StatusRecord.objects.values("status_code").annotate(n=Count("pk"))
                         .values_list("status_code", "n")),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--ca-out", required=True)
    p = sub.add_parser("send")
    p.add_argument("--code", required=True, help="The sending agency (seeded here).")
    p.add_argument("--to", required=True)
    p.add_argument("--to-name", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--start", type=int, default=1)
    sub.add_parser("report")
    args = parser.parse_args(argv)

    import django

    django.setup()
    result = {"seed": seed, "send": send, "report": report}[args.command](args)
    sys.stdout.write("RESULT " + json.dumps(result, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
