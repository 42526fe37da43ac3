"""Dossiers as the API shows them: plain dicts matching the schemas in schemas/dossiers.py."""

from __future__ import annotations

from django.utils import timezone

from digigov.audit.models import AuditEvent
from digigov.dossiers.models import Dossier, DossierFile, Status, StepRecord
from digigov.dossiers.results import issued_result
from digigov.dossiers.timeliness import judge_step
from digigov.pdfs.documents import verification_url

DOSSIER_RELATED = ("procedure", "agency", "current_agency", "current_step")


def agency_ref(agency) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency else None


def user_ref(user) -> dict | None:
    return {"uuid": str(user.uuid), "name": str(user)} if user else None


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def dossier_summary(d: Dossier, *, now=None) -> dict:
    now = now or timezone.now()
    due = d.effective_due_at
    return {
        "code": d.code, "status": d.status, "status_label": d.get_status_display(),
        "channel": d.channel, "channel_label": d.get_channel_display(),
        "procedure": {"national_code": d.procedure.national_code, "name": d.procedure.name},
        "agency": agency_ref(d.agency), "current_agency": agency_ref(d.current_agency),
        "current_step": d.current_step.name if d.current_step else None,
        "applicant_name": d.applicant_name, "submitted_at": d.submitted_at,
        "received_at": d.received_at, "due_at": d.due_at, "apology_due_at": d.apology_due_at,
        "overdue": bool(d.is_open and due and due < now), "timeliness": d.timeliness,
    }


def dossier_detail(d: Dossier, *, files: list[DossierFile] | None = None) -> dict:
    """``files``: the dossier's files when the caller holds them (a new submission)."""
    # Related rows that the dossier's own state says cannot exist are not queried
    # (a new submission has none of them): it keeps submission cheap.
    processed = d.status in (Status.PROCESSED, Status.RETURNED)
    rating = d.rating if processed and hasattr(d, "rating") else None
    supplements = d.supplements.all() if d.supplement_count else []
    obligations = d.obligations.order_by("requested_at") if d.received_at else []
    apologies = d.apologies.order_by("created_at") if d.apology_due_at else []
    result = issued_result(d) if processed else None
    return {
        **dossier_summary(d),
        "applicant": {"name": d.applicant_name, "id_number": d.applicant_id_number,
                      "phone": d.applicant_phone, "email": d.applicant_email,
                      "address": d.applicant_address},
        "form_data": {k: str(v) for k, v in d.form_data.items()},
        "fee_amount": d.fee_amount, "supplement_count": d.supplement_count,
        "processed_at": d.processed_at, "returned_at": d.returned_at, "closed_at": d.closed_at,
        "result_summary": d.result_summary, "closing_reason": d.closing_reason,
        "files": [
            {"uuid": str(f.uuid), "component_id": f.component_id,
             "component_name": f.component.name if f.component else None,
             "original_name": f.original_name, "content_type": f.content_type, "size": f.size,
             "sha256": f.sha256, "is_supplement": f.is_supplement, "is_reused": f.is_reused,
             "reused_from": str(f.reused_from.uuid) if f.reused_from else None,
             "uploaded_at": f.uploaded_at}
            for f in (files if files is not None
                      else d.files.select_related("component", "reused_from"))
        ],
        "supplements": [
            {"requested_at": s.requested_at, "reason": s.reason, "items": s.items,
             "supplied_at": s.supplied_at}
            for s in supplements
        ],
        "financial_obligations": [
            {"amount": o.amount, "reason": o.reason, "requested_at": o.requested_at,
             "fulfilled_at": o.fulfilled_at, "fulfilled_reference": o.fulfilled_reference}
            for o in obligations
        ],
        "apologies": [
            {"created_at": a.created_at, "reason": a.reason,
             "previous_due_at": a.previous_due_at, "new_due_at": a.new_due_at}
            for a in apologies
        ],
        "electronic_result": {
            "uuid": str(result.uuid), "title": result.title, "number": result.number,
            "sha256": result.sha256, "issued_at": result.issued_at,
            "verification_url": verification_url(result.uuid),
        } if result else None,
        "rating": {"scores": rating.scores, "total": rating.total, "comment": rating.comment,
                   "created_at": rating.created_at} if rating else None,
    }


def dossier_events(d: Dossier) -> list[dict]:
    events = AuditEvent.objects.filter(
        object_type=Dossier._meta.label_lower, object_id=d.code
    ).select_related("actor")
    return [
        {"at": e.at, "action": e.action, "actor": user_ref(e.actor),
         "from_status": _int_or_none(e.from_state), "to_status": _int_or_none(e.to_state),
         "data": e.data}
        for e in events
    ]


def control_sheet(d: Dossier) -> dict:
    now = timezone.now()
    records = StepRecord.objects.filter(dossier=d).select_related(
        "agency", "giver", "receiver", "handed_to")
    rows = []
    for index, r in enumerate(records, start=1):
        # An unfinished step is judged as of now, and marked as provisional.
        rows.append({
            "order": index, "step": r.name, "agency": agency_ref(r.agency),
            "handed_over_at": r.started_at, "giver": user_ref(r.giver),
            "receiver": user_ref(r.receiver), "due_at": r.due_at, "finished_at": r.finished_at,
            "handed_to": user_ref(r.handed_to),
            "timeliness": r.timeliness or judge_step(r, at=now),
            "provisional": r.finished_at is None, "note": r.note,
        })
    return {
        "dossier_code": d.code,
        "procedure": {"national_code": d.procedure.national_code, "name": d.procedure.name},
        "applicant_name": d.applicant_name, "received_at": d.received_at, "due_at": d.due_at,
        "rows": rows,
    }
