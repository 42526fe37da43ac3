"""Official documents: every state change (Decree 30/2020/ND-CP, DOMAIN.md sections 6, 7).

Outgoing: ``create_draft`` -> ``submit`` -> ``review`` (each reviewer, then the
approver) -> ``sign`` (the competent person: the number is taken, the PDF is laid
out and signed personally) -> ``issue`` (the clerk: the agency's signature on the
document and its attachments, the register, sending inside and to the exchange).

Incoming: ``register_incoming_electronic`` (called by the exchange) or
``register_incoming_paper`` (the clerk) -> ``assign`` (a leader) ->
``start_processing`` / ``add_note`` -> ``complete``.

Numbers are taken from ``DocumentCounter`` rows with one UPDATE ... RETURNING,
which PostgreSQL serialises by row lock. An outgoing number is committed on the
document before the PDF is signed: if signing then fails, the document keeps its
number and signing again uses the same one, so a number is never given twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import importlib
import inspect
import logging
import re
import uuid
from io import BytesIO
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.accounts.models import Role, User
from digigov.audit.services import record
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from digigov.core.text import fold
from digigov.orgs.codes import validate_organ_code
from digigov.orgs.models import Agency

from . import extraction
from . import text as file_text
from .kinds import (
    CONG_VAN,
    PRIORITY_URGENCY,
    URGENCY_PRIORITY,
    Authority,
    Secrecy,
    Urgency,
    get_type,
)
from .models import (
    Assignment,
    DocumentCounter,
    ExchangeStatus,
    IncomingAttachment,
    IncomingDocument,
    IncomingStatus,
    IssuerProfile,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    ProcessingNote,
    ReviewStep,
    SenderNotice,
)
from .permissions import has_role, is_cleared, require_cleared, require_role

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_ATTACHMENTS = 20
EDITABLE = (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED)
STATUS_CODES = {f"{n:02d}" for n in range(1, 17)}


def _today() -> dt.date:
    return timezone.now().astimezone(VN).date()


# -- numbering --------------------------------------------------------------------------
def _increment(agency_id: int, year: int, series: str) -> int | None:
    table = DocumentCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "last" = "last" + 1 '  # noqa: S608 - table name is ours
            'WHERE "agency_id" = %s AND "year" = %s AND "series" = %s RETURNING "last"',
            [agency_id, year, series])
        row = cursor.fetchone()
    return row[0] if row else None


def next_number(agency: Agency, year: int, series: str) -> int:
    """The next number of a series: 1 on the first document of the year (Vietnam time).

    One UPDATE ... RETURNING inside the caller's transaction; the first document of a
    year creates the row, and a racing creator falls back to the update."""
    last = _increment(agency.pk, year, series)
    if last is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(agency=agency, year=year, series=series, last=1)
            last = 1
        except IntegrityError:
            last = _increment(agency.pk, year, series)
    return int(last)


def agency_abbreviation(agency: Agency) -> str:
    """"UBND" for a People's Committee, else the profile's, else the initials of the name."""
    profile = IssuerProfile.objects.filter(agency=agency).first()
    if profile is not None and profile.abbreviation:
        return profile.abbreviation
    name = agency.name.strip()
    for prefix in ("UBND", "HĐND"):
        if name.upper().startswith(prefix):
            return prefix
    if fold(name).startswith("uy ban nhan dan"):
        return "UBND"
    words = [w for w in re.split(r"\s+", name) if w and w[0].isalpha()]
    return "".join(w[0].upper() for w in words[:4]) or "CQ"


def series_for(type_code: str, secrecy: str) -> str:
    if secrecy:
        return "mat"
    return get_type(type_code).series


def notation_for(document: OutgoingDocument) -> str:
    """"QĐ-UBND" for a decision; "UBND-VP" for a công văn drafted by the office."""
    kind = get_type(document.type_code)
    agency = agency_abbreviation(document.agency)
    if kind.abbreviation:
        return f"{kind.abbreviation}-{agency}"
    unit = document.drafting_unit.strip()
    return f"{agency}-{unit}" if unit else agency


def document_id_for(agency_code: str, issued_on: dt.date, number_notation: str) -> str:
    """edXML DocumentId: ``<organ id>,<yyyy/MM/dd>,<number/notation>``."""
    return f"{agency_code},{issued_on:%Y/%m/%d},{number_notation}"


# -- shared helpers ---------------------------------------------------------------------
def _official(user) -> None:
    if not user or not user.is_authenticated or not (user.is_official or user.is_superuser):
        raise NotAllowed(_("Chỉ cán bộ, công chức được thực hiện thao tác này."))


def _search_text(*parts) -> str:
    return fold(" ".join(str(p) for p in parts if p))


def _refresh_outgoing_search(document: OutgoingDocument) -> None:
    texts = list(document.attachments.values_list("text", flat=True))
    recipients = list(document.recipients.values_list("name", flat=True))
    document.search_text = _search_text(
        document.number_notation, document.type_name, document.subject, document.body,
        document.agency.name, document.signer_name, *recipients, *texts)
    OutgoingDocument.objects.filter(pk=document.pk).update(search_text=document.search_text)


def _incoming_search_text(document: IncomingDocument, texts: list[str]) -> str:
    return _search_text(
        document.number_notation, document.type_name, document.subject, document.body,
        document.sender_name, document.sender_code, document.signer_name, *texts)


def refresh_incoming_search(document: IncomingDocument) -> None:
    """The document's search text from its fields and its attachments' text as it is."""
    texts = list(document.attachments.values_list("text", flat=True))
    document.search_text = _incoming_search_text(document, texts)
    IncomingDocument.objects.filter(pk=document.pk).update(search_text=document.search_text)


def _check_choice(value: str, choices, field: str, label: str) -> str:
    value = value or ""
    if value not in choices.values:
        raise InvalidInput(_("%(label)s không hợp lệ.") % {"label": label},
                           fields={field: [_("Không hợp lệ.")]})
    return value


def _read_pdf_attachments(attachments) -> list[tuple[str, str, bytes]]:
    out = []
    if len(attachments or []) > MAX_ATTACHMENTS:
        raise InvalidInput(_("Tối đa %(n)s tệp đính kèm.") % {"n": MAX_ATTACHMENTS},
                           fields={"attachments": [_("Quá nhiều tệp.")]})
    for filename, _media, content in attachments or []:
        content = bytes(content)
        if not content.startswith(b"%PDF-"):
            raise InvalidInput(
                _("Tệp đính kèm “%(name)s” phải là PDF: cơ quan ký số lên trang đầu của tệp.")
                % {"name": filename}, fields={"attachments": [_("Chỉ nhận tệp PDF.")]})
        out.append((filename[:255] or "dinh-kem.pdf", "application/pdf", content))
    return out


def _hook(name: str):
    """A function of the exchange app, when it is installed (looked up at call time)."""
    try:
        module = importlib.import_module("digigov.exchange.services")
    except ImportError:
        return None
    return getattr(module, name, None)


# -- outgoing: drafting -----------------------------------------------------------------
def _clean_recipients(agency: Agency, recipients, secrecy: str) -> list[dict]:
    cleaned, seen = [], set()
    units = agency.descendant_ids()
    for item in recipients or []:
        kind = item.get("kind")
        if kind == OutgoingRecipient.Kind.UNIT:
            unit = item.get("unit")
            if unit is None or unit.pk not in units:
                raise InvalidInput(_("Đơn vị nhận phải thuộc cơ quan ban hành."),
                                   fields={"recipients": [_("Đơn vị không thuộc cơ quan.")]})
            key = ("unit", unit.pk)
            entry = {"kind": kind, "unit": unit, "name": unit.name}
        elif kind == OutgoingRecipient.Kind.PERSON:
            person = item.get("person")
            if person is None or not (set(person.role_agency_ids()) & units):
                raise InvalidInput(_("Người nhận phải công tác tại cơ quan ban hành."),
                                   fields={"recipients": [_("Người nhận không thuộc cơ quan.")]})
            if secrecy and not is_cleared(person, agency.pk, secrecy):
                raise InvalidInput(
                    _("%(who)s chưa được cấp quyền đọc văn bản mật mức này.")
                    % {"who": person.full_name}, fields={"recipients": [_("Chưa được cấp.")]})
            key = ("person", person.pk)
            entry = {"kind": kind, "person": person, "name": person.full_name}
        elif kind == OutgoingRecipient.Kind.EXTERNAL:
            code = (item.get("organ_code") or "").strip().upper()
            try:
                validate_organ_code(code)
            except Exception as exc:
                raise InvalidInput(
                    _("Mã định danh “%(code)s” của nơi nhận không hợp lệ.") % {"code": code},
                    fields={"recipients": [_("Mã định danh không hợp lệ.")]}) from exc
            known = Agency.objects.filter(code=code).first()
            name = (item.get("name") or "").strip() or (known.name if known else code)
            key = ("external", code)
            entry = {"kind": kind, "organ_code": code, "name": name[:255]}
        else:
            raise InvalidInput(_("Loại nơi nhận không hợp lệ."),
                               fields={"recipients": [_("Không hợp lệ.")]})
        if key not in seen:
            seen.add(key)
            cleaned.append(entry)
    return cleaned


def _body_from_file(upload) -> str:
    data = upload.read()
    name = getattr(upload, "name", "") or ""
    media = getattr(upload, "content_type", "") or ""
    if data.startswith(b"%PDF-"):
        text = file_text.pdf_text(data)
    elif media.startswith("text/") or name.lower().endswith((".txt", ".md")):
        text = data.decode("utf-8", errors="replace")
    else:
        raise InvalidInput(_("Tệp nội dung phải là PDF hoặc văn bản thuần (.txt)."),
                           fields={"body_file": [_("Định dạng không hỗ trợ.")]})
    upload.seek(0)
    return text.strip()


def _draft_fields(*, type_code, subject, body, body_file, urgency, secrecy) -> dict:
    errors = {}
    if get_type(type_code or "") is None:
        errors["type_code"] = [_("Chọn loại văn bản trong danh mục.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Bắt buộc.")]
    if errors:
        raise InvalidInput(_("Hãy nhập đủ loại văn bản và trích yếu."), fields=errors)
    urgency = _check_choice(urgency, Urgency, "urgency", _("Độ khẩn"))
    secrecy = _check_choice(secrecy, Secrecy, "secrecy", _("Độ mật"))
    if body_file is not None and not (body or "").strip():
        body = _body_from_file(body_file)
    if not (body or "").strip():
        raise InvalidInput(_("Hãy nhập nội dung văn bản hoặc tải lên tệp nội dung."),
                           fields={"body": [_("Bắt buộc.")]})
    return {"type_code": get_type(type_code).code, "subject": subject.strip()[:500],
            "body": body.strip(), "urgency": urgency, "secrecy": secrecy}


def _save_recipients(document, recipients) -> None:
    document.recipients.all().delete()
    for entry in recipients:
        OutgoingRecipient.objects.create(document=document, **entry)


def _save_attachments(document, attachments) -> None:
    for filename, media_type, content in attachments:
        attachment = OutgoingAttachment(document=document, filename=filename,
                                        media_type=media_type,
                                        text=file_text.file_text(content, media_type, filename))
        attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        attachment.save()


@transaction.atomic
def create_draft(*, actor, agency: Agency, type_code: str, subject: str, body: str = "",
                 body_file=None, urgency: str = "", secrecy: str = "", drafting_unit: str = "",
                 recipients: list[dict] | None = None, recipients_text: str = "",
                 copies: int = 1, due_on: dt.date | None = None,
                 attachments: list[tuple[str, str, bytes]] | None = None) -> OutgoingDocument:
    """A specialist (or any official of the agency) drafts an outgoing document.

    ``recipients``: dicts ``{"kind": "unit", "unit": Agency}``, ``{"kind": "person",
    "person": User}`` or ``{"kind": "external", "organ_code": "...", "name": "..."}``."""
    _official(actor)
    require_role(actor, agency)
    fields = _draft_fields(type_code=type_code, subject=subject, body=body,
                           body_file=body_file, urgency=urgency, secrecy=secrecy)
    require_cleared(actor, agency, fields["secrecy"])
    if copies < 1 or copies > 1000:
        raise InvalidInput(_("Số lượng bản phải từ 1 đến 1000."),
                           fields={"copies": [_("Không hợp lệ.")]})
    cleaned = _clean_recipients(agency, recipients, fields["secrecy"])
    files = _read_pdf_attachments(attachments)
    document = OutgoingDocument(agency=agency, drafter=actor,
                                drafting_unit=drafting_unit.strip().upper()[:30],
                                recipients_text=recipients_text.strip(), copies=copies,
                                due_on=due_on, **fields)
    if body_file is not None:
        document.body_file.save(f"{uuid.uuid4().hex}-{body_file.name[-60:]}", body_file,
                                save=False)
    document.save()
    _save_recipients(document, cleaned)
    _save_attachments(document, files)
    _refresh_outgoing_search(document)
    record(actor=actor, action="documents.draft_created", obj=document,
           to_state=document.status, type=document.type_code)
    return document


def _lock_outgoing(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().select_related("agency").get(
        pk=document.pk)


def _require_status(document, *allowed) -> None:
    if document.status not in allowed:
        raise InvalidTransition(
            _("Văn bản đang ở trạng thái “%(status)s”: không thực hiện được thao tác này.")
            % {"status": document.get_status_display()})


@transaction.atomic
def update_draft(document: OutgoingDocument, *, actor, type_code: str, subject: str,
                 body: str = "", body_file=None, urgency: str = "", secrecy: str = "",
                 drafting_unit: str = "", recipients: list[dict] | None = None,
                 recipients_text: str = "", copies: int = 1, due_on: dt.date | None = None,
                 attachments: list[tuple[str, str, bytes]] | None = None,
                 remove_attachments: list[int] | None = None) -> OutgoingDocument:
    """The drafter revises a draft, or a draft returned for revision."""
    document = _lock_outgoing(document)
    if document.drafter_id != actor.pk:
        raise NotAllowed(_("Chỉ người soạn được sửa dự thảo."))
    _require_status(document, *EDITABLE)
    fields = _draft_fields(type_code=type_code, subject=subject, body=body,
                           body_file=body_file, urgency=urgency, secrecy=secrecy)
    require_cleared(actor, document.agency, fields["secrecy"])
    cleaned = _clean_recipients(document.agency, recipients, fields["secrecy"])
    files = _read_pdf_attachments(attachments)
    for name, value in fields.items():
        setattr(document, name, value)
    document.drafting_unit = drafting_unit.strip().upper()[:30]
    document.recipients_text = recipients_text.strip()
    document.copies = copies
    document.due_on = due_on
    if body_file is not None:
        document.body_file.save(f"{uuid.uuid4().hex}-{body_file.name[-60:]}", body_file,
                                save=False)
    document.save()
    _save_recipients(document, cleaned)
    if remove_attachments:
        document.attachments.filter(pk__in=remove_attachments).delete()
    _save_attachments(document, files)
    _refresh_outgoing_search(document)
    record(actor=actor, action="documents.draft_updated", obj=document,
           from_state=document.status, to_state=document.status)
    return document


# -- outgoing: review and approval ------------------------------------------------------
def current_step(document: OutgoingDocument) -> ReviewStep | None:
    return (document.review_steps.filter(decision=ReviewStep.Decision.PENDING)
            .order_by("round", "order").first())


@transaction.atomic
def submit(document: OutgoingDocument, *, actor, approver: User,
           reviewers: list[User] | None = None) -> OutgoingDocument:
    """The drafter sends the draft to its reviewers (in order), then the approver (a leader
    of the agency, the competent signer)."""
    document = _lock_outgoing(document)
    if document.drafter_id != actor.pk:
        raise NotAllowed(_("Chỉ người soạn được trình dự thảo."))
    _require_status(document, *EDITABLE)
    agency = document.agency
    if approver is None or not has_role(approver, agency.pk, Role.LEADER):
        raise InvalidInput(_("Người duyệt, ký phải là lãnh đạo của cơ quan ban hành."),
                           fields={"approver": [_("Không phải lãnh đạo của cơ quan.")]})
    chain = []
    for reviewer in reviewers or []:
        if reviewer.pk in {r.pk for r in chain} or reviewer.pk == approver.pk:
            continue
        if not (set(reviewer.role_agency_ids()) & agency.descendant_ids()):
            raise InvalidInput(_("%(who)s không công tác tại cơ quan ban hành.")
                               % {"who": reviewer.full_name},
                               fields={"reviewers": [_("Không thuộc cơ quan.")]})
        chain.append(reviewer)
    for person in [*chain, approver]:
        if document.secrecy and not is_cleared(person, agency.pk, document.secrecy):
            raise InvalidInput(_("%(who)s chưa được cấp quyền đọc văn bản mật mức này.")
                               % {"who": person.full_name},
                               fields={"reviewers": [_("Chưa được cấp.")]})
    last_round = max(document.review_steps.values_list("round", flat=True), default=0)
    for order, person in enumerate([*chain, approver], start=1):
        ReviewStep.objects.create(document=document, round=last_round + 1, order=order,
                                  reviewer=person, is_approver=person is approver)
    from_state = document.status
    document.approver = approver
    document.status = OutgoingStatus.IN_REVIEW if chain else OutgoingStatus.PENDING_APPROVAL
    document.save(update_fields=["approver", "status", "updated_at"])
    record(actor=actor, action="documents.submitted", obj=document, from_state=from_state,
           to_state=document.status, reviewers=[p.pk for p in chain], approver=approver.pk)
    return document


@transaction.atomic
def review(document: OutgoingDocument, *, actor, accept: bool,
           comment: str = "") -> OutgoingDocument:
    """The current reviewer (or at the end the approver) agrees, or returns the draft
    to the drafter for revision (a comment is then required)."""
    document = _lock_outgoing(document)
    _require_status(document, OutgoingStatus.IN_REVIEW, OutgoingStatus.PENDING_APPROVAL)
    step = current_step(document)
    if step is None or step.reviewer_id != actor.pk:
        raise NotAllowed(_("Văn bản không chờ ý kiến của bạn."))
    if not accept and not comment.strip():
        raise InvalidInput(_("Hãy ghi rõ nội dung cần sửa khi trả lại dự thảo."),
                           fields={"comment": [_("Bắt buộc khi trả lại.")]})
    step.decision = ReviewStep.Decision.APPROVED if accept else ReviewStep.Decision.RETURNED
    step.comment = comment.strip()
    step.decided_at = timezone.now()
    step.save()
    from_state = document.status
    if not accept:
        document.review_steps.filter(decision=ReviewStep.Decision.PENDING).delete()
        document.status = OutgoingStatus.RETURNED
        action = "documents.returned"
    else:
        following = current_step(document)
        if following is None:
            document.status = OutgoingStatus.APPROVED
            action = "documents.approved"
        else:
            document.status = (OutgoingStatus.PENDING_APPROVAL if following.is_approver
                               else OutgoingStatus.IN_REVIEW)
            action = "documents.reviewed"
    document.save(update_fields=["status", "updated_at"])
    record(actor=actor, action=action, obj=document, from_state=from_state,
           to_state=document.status, comment=step.comment)
    return document


# -- outgoing: rendering, signing, issuing ----------------------------------------------
def _body_html(body: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", body) if p.strip()]
    return "".join(
        f"<p>{'<br>'.join(html.escape(line) for line in p.splitlines())}</p>"
        for p in paragraphs)


def _marks(document: OutgoingDocument) -> list[str]:
    lines = []
    if document.secrecy:
        lines.append(str(Secrecy(document.secrecy).label).upper())
    if document.urgency:
        lines.append(str(Urgency(document.urgency).label).upper())
    return lines


def page_for(document: OutgoingDocument):
    """The Decree 30 layout of the document (digigov.pdfs.layout)."""
    from digigov.pdfs.context import date_line, place_of
    from digigov.pdfs.layout import Page, Signer

    kind = get_type(document.type_code)
    agency = document.agency
    place = document.place or _place(agency) or place_of(agency)
    number_line = f"Số: {document.number_notation}" if document.number else "Số:      /"
    head = [number_line]
    if kind.code == CONG_VAN:
        head.append(f"V/v {document.subject}")
    head.extend(_marks(document))
    if kind.code == CONG_VAN:
        title = ""
    else:
        title = f"{kind.name.split(' (')[0].upper()}\n{document.subject}"
    authority = document.signer_authority
    signer_title = document.signer_title.strip()
    if authority == Authority.Q:
        signer_title, authority_line = f"Q. {signer_title}", ""
    elif authority:
        authority_line = f"{authority} {document.authority_of.strip()}".strip()
    else:
        authority_line = ""
    recipients = [f"- {r.name};" for r in document.recipients.all()]
    recipients += [line.strip() for line in document.recipients_text.splitlines()
                   if line.strip()]
    if not any(fold(line).lstrip("- ").startswith("luu") for line in recipients):
        # "Lưu: VT, VP, NVA(3)." - the clerk's copy, the drafting unit's, and the
        # drafter's initials with the number of copies (Decree 30, Annex I).
        kept = ["VT"]
        if document.drafting_unit.strip():
            kept.append(document.drafting_unit.strip())
        initials = "".join(w[0] for w in fold(document.drafter.full_name).upper().split()
                           if w[0].isalpha())
        if initials:
            kept.append(f"{initials}({document.copies})")
        recipients.append(f"- Lưu: {', '.join(kept)}.")
    return Page(
        agency=agency.name, parent_agency=agency.parent.name if agency.parent_id else "",
        number_line="\n".join(head),
        date_line=date_line(place, document.issued_on or _today()),
        title=title, body_html=_body_html(document.body),
        signer=Signer(authority=authority_line, title=signer_title,
                      name=document.signer_name or (document.approver.full_name
                                                    if document.approver_id else "")),
        recipients=recipients, document_title=f"{kind.name.split(' (')[0]} {document.subject}")


def _place(agency: Agency) -> str:
    profile = IssuerProfile.objects.filter(agency=agency).first()
    return profile.place if profile else ""


def render_pdf(document: OutgoingDocument):
    """The laid-out, unsigned PDF (a preview while drafting; the signed file after)."""
    from digigov.pdfs.layout import render

    return render(page_for(document))


def _boxes_json(boxes) -> dict:
    def box(b):
        return {"page": b.page, "x0": b.x0, "y0": b.y0, "x1": b.x1, "y1": b.y1}

    return {"signer": box(boxes.signer), "seal": box(boxes.seal),
            "attachment": box(boxes.attachment)}


def _boxes(data: dict):
    from digigov.pdfs.layout import Box, SignatureBoxes

    return SignatureBoxes(**{name: Box(**data[name]) for name in ("signer", "seal",
                                                                  "attachment")})


@transaction.atomic
def _take_number(document: OutgoingDocument, actor) -> OutgoingDocument:
    """Commit the number on the document (its own transaction): it is never given again."""
    document = _lock_outgoing(document)
    _require_status(document, OutgoingStatus.APPROVED)
    if document.approver_id != actor.pk:
        raise NotAllowed(_("Chỉ người có thẩm quyền đã duyệt văn bản được ký."))
    if document.number is None:
        issued_on = _today()
        document.series = series_for(document.type_code, document.secrecy)
        document.year = issued_on.year
        document.issued_on = issued_on
        document.number = next_number(document.agency, issued_on.year, document.series)
        document.notation = notation_for(document)
        document.place = document.place or _place(document.agency)
        document.document_id = document_id_for(document.agency.code, issued_on,
                                               document.number_notation)
        document.save()
        record(actor=actor, action="documents.numbered", obj=document,
               number=document.number_notation, series=document.series)
    return document


def sign(document: OutgoingDocument, *, actor, signer_title: str, authority: str = "",
         authority_of: str = "") -> OutgoingDocument:
    """The competent person signs: the number and date are taken (committed first, see
    the module's docstring), the PDF is laid out with them and signed with the signer's
    personal certificate, the mark between the title and the name."""
    from digigov.signing.services import sign_pdf

    authority = _check_choice(authority, Authority, "authority", _("Quyền hạn ký"))
    if not signer_title.strip():
        raise InvalidInput(_("Hãy nhập chức vụ người ký."),
                           fields={"signer_title": [_("Bắt buộc.")]})
    if authority and authority != Authority.Q and not authority_of.strip():
        raise InvalidInput(_("Hãy ghi rõ thay mặt, ký thay cho ai (ví dụ ỦY BAN NHÂN DÂN)."),
                           fields={"authority_of": [_("Bắt buộc với quyền hạn này.")]})
    _official(actor)
    require_role(actor, document.agency, Role.LEADER)
    # Checks the credential before a number is taken for nothing.
    from digigov.signing.services import active_credential

    active_credential(officer=actor)
    _take_number(document, actor)
    with transaction.atomic():
        document = _lock_outgoing(document)
        _require_status(document, OutgoingStatus.APPROVED)
        document.signer_authority = authority
        document.authority_of = authority_of.strip()[:200]
        document.signer_title = signer_title.strip()[:200]
        document.signer_name = actor.full_name
        rendered = render_pdf(document)
        signed = sign_pdf(rendered.pdf, officer=actor, area=rendered.boxes,
                          number=document.number_notation, reason=document.subject[:200])
        document.signature_boxes = _boxes_json(rendered.boxes)
        document.signed_pdf.save(f"{document.uuid}.pdf", ContentFile(signed), save=False)
        document.sha256 = hashlib.sha256(signed).hexdigest()
        document.signed_by = actor
        document.signed_at = timezone.now()
        document.status = OutgoingStatus.SIGNED
        document.save()
        _refresh_outgoing_search(document)
        record(actor=actor, action="documents.signed", obj=document,
               from_state=OutgoingStatus.APPROVED, to_state=document.status,
               number=document.number_notation, sha256=document.sha256)
    return document


def read_file(field) -> bytes:
    field.open("rb")
    try:
        return field.read()
    finally:
        field.close()


@transaction.atomic
def issue(document: OutgoingDocument, *, actor, keeping_unit: str = "",
          note: str = "") -> OutgoingDocument:
    """The clerk issues a signed document: the agency's signature (the seal over the left
    third of the personal mark), the agency's signature on each attachment (top right of
    page 1 with the number-notation and time), the outgoing register, and sending: the
    units and people inside at once, the external organ codes through the exchange."""
    from digigov.signing.models import IssuedDocument
    from digigov.signing.services import active_credential, register_signed_document, sign_pdf

    document = _lock_outgoing(document)
    _official(actor)
    require_role(actor, document.agency, Role.CLERK)
    _require_status(document, OutgoingStatus.SIGNED)
    require_cleared(actor, document.agency, document.secrecy)
    sealed = sign_pdf(read_file(document.signed_pdf), agency=document.agency,
                      area=_boxes(document.signature_boxes), number=document.number_notation,
                      reason=document.subject[:200])
    document.signed_pdf.save(f"{document.uuid}.pdf", ContentFile(sealed), save=False)
    document.sha256 = hashlib.sha256(sealed).hexdigest()
    # The register of issued documents: /xac-thuc/ recognises copies of the file and its
    # attachments (the personal signature came first, at signing).
    seal = active_credential(agency=document.agency)
    register_signed_document(
        sealed, kind=IssuedDocument.Kind.OFFICIAL, title=document.subject, issued_by=actor,
        number=document.number_notation,
        credentials=[c for c in (_signer_credential(document, sealed), seal) if c])
    for attachment in document.attachments.all():
        signed = sign_pdf(read_file(attachment.file), agency=document.agency,
                          number=document.number_notation,
                          reason=_("Kèm theo văn bản số %(n)s") % {"n": document.number_notation})
        attachment.signed_file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
        attachment.save()
        register_signed_document(
            signed, kind=IssuedDocument.Kind.ATTACHMENT, issued_by=actor, credentials=[seal],
            title=_("Kèm theo văn bản số %(n)s") % {"n": document.number_notation},
            number=document.number_notation)
    now = timezone.now()
    document.issued_by = actor
    document.issued_at = now
    document.keeping_unit = (keeping_unit.strip() or document.drafting_unit
                             or _("Văn thư"))[:200]
    document.register_note = note.strip()[:300]
    document.status = OutgoingStatus.ISSUED
    document.save()
    document.recipients.exclude(kind=OutgoingRecipient.Kind.EXTERNAL).update(sent_at=now)
    record(actor=actor, action="documents.issued", obj=document,
           from_state=OutgoingStatus.SIGNED, to_state=document.status,
           number=document.number_notation, sha256=document.sha256)
    external = list(document.recipients.filter(kind=OutgoingRecipient.Kind.EXTERNAL))
    enqueue = _hook("enqueue_outgoing")
    if external and enqueue is not None:
        params = inspect.signature(enqueue).parameters
        extra = {"actor": actor} if "actor" in params else {}
        if "recipient_code" in params:
            for recipient in external:
                enqueue(document, recipient_code=recipient.organ_code, **extra)
        else:
            enqueue(document, **extra)
        document.recipients.filter(kind=OutgoingRecipient.Kind.EXTERNAL).update(sent_at=now)
    return document


def _signer_credential(document: OutgoingDocument, signed: bytes):
    """The personal certificate that signed the document (the one in the file, even if
    the signer has been given a new one since)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from digigov.signing import pki
    from digigov.signing.models import SigningCredential

    signatures = PdfFileReader(BytesIO(signed), strict=False).embedded_signatures
    if not signatures:
        return None
    fingerprint = pki.fingerprint(pki.load_certificate(signatures[0].signer_cert.dump()))
    return SigningCredential.objects.filter(fingerprint=fingerprint).first()


def outgoing_for_exchange(document: OutgoingDocument) -> dict:
    """What the exchange needs to build an edXML package of an issued document: the header
    fields (named as in ``register_incoming_electronic``), the recipients' organ codes and
    the signed PDF files (the document first, then its attachments)."""
    document = OutgoingDocument.objects.select_related("agency", "signed_by").get(pk=document.pk)
    if document.status != OutgoingStatus.ISSUED:
        raise InvalidTransition(_("Chỉ gửi liên thông văn bản đã phát hành."))
    kind = get_type(document.type_code)
    recipients = [{"organ_code": r.organ_code, "name": r.name}
                  for r in document.recipients.filter(kind=OutgoingRecipient.Kind.EXTERNAL)]
    main_name = f"{re.sub(r'[^0-9A-Za-z]+', '-', fold(document.number_notation)).strip('-')}.pdf"
    files = [(main_name or "van-ban.pdf", "application/pdf", read_file(document.signed_pdf))]
    for attachment in document.attachments.all():
        files.append((attachment.filename, "application/pdf",
                      read_file(attachment.signed_file or attachment.file)))
    authority = document.signer_authority
    return {
        "sender_code": document.agency.code,
        "sender_name": document.agency.name,
        "document_id": document.document_id,
        "number": f"{document.number:02d}",
        "notation": document.notation,
        "issued_on": document.issued_on,
        "place": document.place or _place(document.agency),
        "type_code": kind.abbreviation or "CV",
        "type_name": kind.name,
        "subject": document.subject,
        "body": document.body,
        "signer_name": document.signer_name,
        "signer_position": document.signer_title,
        "signer_authority": f"{authority} {document.authority_of}".strip() if authority else "",
        "due_on": document.due_on,
        "priority": URGENCY_PRIORITY.get(document.urgency, 0),
        "business_type": 0,
        "secrecy": document.secrecy,
        "copies": document.copies,
        "attachments": files,
        "recipients": recipients,
        "recipient_codes": [r["organ_code"] for r in recipients],
        "issued_at": document.issued_at,
        "sha256": document.sha256,
    }


@transaction.atomic
def record_exchange_status(document: OutgoingDocument, *, recipient_code: str, status: str,
                           at: dt.datetime, note: str = "") -> None:
    """A status message from a recipient (edXML "01".."16"), shown on the document page."""
    status = (status or "").strip()
    if status not in STATUS_CODES:
        raise InvalidInput(_("Mã trạng thái liên thông “%(s)s” không hợp lệ (01 đến 16).")
                           % {"s": status}, fields={"status": [_("Không hợp lệ.")]})
    if timezone.is_naive(at):
        raise InvalidInput(_("Thời điểm phải có múi giờ."), fields={"at": [_("Không hợp lệ.")]})
    document = _lock_outgoing(document)
    code = (recipient_code or "").strip().upper()
    ExchangeStatus.objects.create(document=document, recipient_code=code, status=status,
                                  at=at, note=(note or "")[:500])
    recipient = document.recipients.filter(kind=OutgoingRecipient.Kind.EXTERNAL,
                                           organ_code=code).first()
    if recipient is not None and (recipient.status_at is None or at >= recipient.status_at):
        recipient.status, recipient.status_at = status, at
        if status == ExchangeStatus.Code.ARRIVED and recipient.sent_at is None:
            recipient.sent_at = at
        if status == ExchangeStatus.Code.ACCEPTED:
            recipient.received_by = (note or recipient.name)[:200]
        recipient.save()
    record(actor=None, action="documents.exchange_status", obj=document, to_state=status,
           recipient=code, at=at.isoformat(), note=note[:200])


# -- incoming ---------------------------------------------------------------------------
def _lock_incoming(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.select_for_update().select_related("recipient").get(
        pk=document.pk)


def _notice(document: IncomingDocument, status: str, note: str = "") -> SenderNotice | None:
    if not document.sender_code:
        return None
    notice = SenderNotice.objects.create(document=document, sender_code=document.sender_code,
                                         status=status, note=note[:500])
    hook = _hook("notify_sender")
    if hook is not None and document.source == IncomingDocument.Source.ELECTRONIC:
        transaction.on_commit(lambda: hook(notice))
    return notice


def _verify_files(files: list[tuple[str, str, bytes]]) -> tuple[list[dict], bool | None]:
    """PAdES check of each PDF: (reports, all intact?) — None when nothing was signed."""
    from digigov.signing.verification import UnreadablePdf, verify_pdf

    reports, verdicts = [], []
    for filename, _media, content in files:
        if not content.startswith(b"%PDF-"):
            continue
        try:
            report = verify_pdf(content)
        except UnreadablePdf as exc:
            raise InvalidInput(_("Tệp “%(name)s” không đọc được (PDF hỏng).") % {"name": filename},
                               fields={"attachments": [_("Tệp hỏng.")]}) from exc
        if report.signatures:
            verdicts.append(report.verdict)
        reports.append({"filename": filename, "verdict": report.verdict,
                        "signatures": [{"signer": s.signer, "signed_at": s.signed_at,
                                        "verdict": s.verdict, "intact": s.intact,
                                        "trusted": s.trusted} for s in report.signatures]})
    if any(v == "tampered" for v in verdicts):
        names = ", ".join(r["filename"] for r in reports if r["verdict"] == "tampered")
        raise InvalidInput(
            _("Văn bản không toàn vẹn: tệp %(names)s đã bị thay đổi sau khi ký. Văn bản không "
              "được vào sổ.") % {"names": names},
            code="integrity_failed", fields={"attachments": [_("Chữ ký số không hợp lệ.")]})
    if not verdicts:
        return reports, None
    return reports, all(v == "valid" for v in verdicts)


def _duplicate(recipient: Agency, *, document_id: str, number: str, notation: str,
               sender_code: str, sender_name: str, issued_on: dt.date):
    live = IncomingDocument.objects.filter(recipient=recipient).exclude(
        status__in=[IncomingStatus.REPLACED])
    if document_id:
        found = live.filter(document_id=document_id).first()
        if found is not None:
            return found
    if number or notation:
        same = live.filter(number=number, notation__iexact=notation,
                           issued_on__year=issued_on.year)
        for candidate in same:
            if sender_code and candidate.sender_code == sender_code:
                return candidate
            if fold(candidate.sender_name) == fold(sender_name):
                return candidate
    return None


def _duplicate_error(found: IncomingDocument) -> InvalidInput:
    return InvalidInput(
        _("Văn bản số %(nn)s của %(sender)s đã được vào sổ ngày %(date)s với số đến %(n)s; "
          "không vào sổ lại.")
        % {"nn": found.number_notation, "sender": found.sender_name,
           "date": found.received_at.astimezone(VN).strftime("%d/%m/%Y"),
           "n": found.incoming_number},
        code="duplicate", fields={"number": [_("Văn bản đã có trong sổ.")]})


def _clean_incoming(*, sender_name, number, notation, issued_on, type_code, subject) -> dict:
    errors = {}
    if not (sender_name or "").strip():
        errors["sender_name"] = [_("Bắt buộc.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Bắt buộc.")]
    if not isinstance(issued_on, dt.date):
        errors["issued_on"] = [_("Bắt buộc.")]
    elif issued_on > _today() + dt.timedelta(days=1):
        errors["issued_on"] = [_("Ngày văn bản không thể ở tương lai.")]
    if not (number or notation or "").strip():
        errors["number"] = [_("Bắt buộc.")]
    if errors:
        raise InvalidInput(_("Thông tin văn bản đến chưa đủ hoặc không hợp lệ."), fields=errors)
    kind = get_type(type_code or "")
    return {"sender_name": sender_name.strip()[:255], "number": (number or "").strip()[:20],
            "notation": (notation or "").strip()[:60],
            "type_code": kind.code if kind else (type_code or CONG_VAN)[:30],
            "subject": subject.strip()[:500]}


def _register(*, recipient: Agency, actor, source: str, fields: dict,
              files: list[tuple[str, str, bytes]], received_at: dt.datetime,
              reports: list[dict], valid: bool | None, ocr: bool = False,
              replaces: IncomingDocument | None = None,
              defer_text: bool = False) -> IncomingDocument:
    local = received_at.astimezone(VN)
    series = "den_mat" if fields.get("secrecy") else "den"
    document = IncomingDocument(
        recipient=recipient, source=source, received_at=received_at, year=local.year,
        series=series, incoming_number=next_number(recipient, local.year, series),
        registered_by=actor if getattr(actor, "pk", None) else None,
        signatures_valid=valid, verification=reports, replaces=replaces, **fields)
    texts, pending = [], []
    for filename, media_type, content in files:
        is_pdf = content.startswith(b"%PDF-")
        later = defer_text and is_pdf  # read by documents.extraction after the receipt
        texts.append(None if later else file_text.pdf_text(content, ocr=ocr) if is_pdf
                     else file_text.file_text(content, media_type, filename))
    document.search_text = _incoming_search_text(document, [t for t in texts if t])
    document.save()
    for (filename, media_type, content), text in zip(files, texts, strict=True):
        attachment = IncomingAttachment(
            document=document, filename=filename[:255], media_type=media_type[:100],
            sha256=hashlib.sha256(content).hexdigest(), text=text or "",
            text_pending=text is None,
            verification=next((r for r in reports if r["filename"] == filename), {}))
        extension = re.sub(r"[^a-z0-9]", "", filename.rsplit(".", 1)[-1].lower())[:8]
        attachment.file.save(f"{uuid.uuid4().hex}.{extension or 'bin'}", ContentFile(content),
                             save=False)
        attachment.save()
        if text is None:
            pending.append(attachment.pk)
    extraction.after_commit(pending)
    record(actor=actor, action="documents.incoming_registered", obj=document,
           to_state=document.status, incoming_number=document.incoming_number,
           source=source, document_id=document.document_id)
    _notice(document, ExchangeStatus.Code.ACCEPTED,
            _("Đã vào sổ văn bản đến số %(n)s") % {"n": document.incoming_number})
    return document


@transaction.atomic
def register_incoming_electronic(*, recipient: Agency, sender_code: str, sender_name: str,
                                 document_id: str, number: str, notation: str,
                                 issued_on: dt.date, place: str, type_code: str, subject: str,
                                 body: str, signer_name: str, signer_position: str,
                                 signer_authority: str, due_on: dt.date | None, priority: int,
                                 business_type: int,
                                 attachments: list[tuple[str, str, bytes]],
                                 signatures_valid: bool,
                                 received_at: dt.datetime | None = None,
                                 secrecy: str = "") -> IncomingDocument:
    """An electronic document arrives from the exchange (edXML package already verified).

    Idempotent on (recipient, DocumentId): a duplicate returns the existing record.
    ``business_type`` 1 revokes, 2 updates, 3 replaces the earlier document with that
    DocumentId. PDF attachments are checked (PAdES); a tampered one is refused. The
    sender is owed status 03 the same day (a ``SenderNotice``)."""
    if not document_id or not str(document_id).strip():
        raise InvalidInput(_("Thiếu mã văn bản (DocumentId)."),
                           fields={"document_id": [_("Bắt buộc.")]})
    document_id = str(document_id).strip()[:200]
    if business_type not in (0, 1, 2, 3):
        raise InvalidInput(_("Loại nghiệp vụ không hợp lệ (0 mới, 1 thu hồi, 2 cập nhật, "
                             "3 thay thế)."), fields={"business_type": [_("Không hợp lệ.")]})
    received_at = received_at or timezone.now()
    Agency.objects.select_for_update().filter(pk=recipient.pk).first()  # one arrival at a time
    earlier = (IncomingDocument.objects.filter(recipient=recipient, document_id=document_id)
               .exclude(status=IncomingStatus.REPLACED).first())
    if business_type == 1:
        if earlier is None:
            raise NotFound(_("Không có văn bản %(id)s để thu hồi.") % {"id": document_id})
        return _revoke(earlier, note=body or subject)
    if business_type == 2:
        if earlier is None:
            raise NotFound(_("Không có văn bản %(id)s để cập nhật.") % {"id": document_id})
        return _update_incoming(earlier, subject=subject, body=body, due_on=due_on,
                                attachments=attachments, signatures_valid=signatures_valid)
    if earlier is not None and (business_type == 0 or earlier.replaces_id is not None
                                and earlier.subject == subject.strip()[:500]):
        return earlier  # the same package delivered twice
    fields = _clean_incoming(sender_name=sender_name, number=number, notation=notation,
                             issued_on=issued_on, type_code=type_code, subject=subject)
    if business_type == 0:
        other = _duplicate(recipient, document_id="", number=fields["number"],
                           notation=fields["notation"], sender_code=sender_code,
                           sender_name=sender_name, issued_on=issued_on)
        if other is not None:
            raise _duplicate_error(other)
    if not signatures_valid:
        raise InvalidInput(_("Chữ ký số của gói tin không hợp lệ: văn bản không được vào sổ."),
                           code="invalid_signature",
                           fields={"signatures_valid": [_("Không hợp lệ.")]})
    files = [(f, m, bytes(c)) for f, m, c in attachments or []]
    reports, pdf_valid = _verify_files(files)
    fields.update(
        sender_code=(sender_code or "").strip().upper()[:35], document_id=document_id,
        place=(place or "")[:100], body=body or "", signer_name=(signer_name or "")[:200],
        signer_position=(signer_position or "")[:200],
        signer_authority=(signer_authority or "")[:200], due_on=due_on,
        priority=int(priority or 0), urgency=PRIORITY_URGENCY.get(int(priority or 0), ""),
        secrecy=_check_choice(secrecy, Secrecy, "secrecy", _("Độ mật")),
        business_type=business_type, issued_on=issued_on)
    replaces = None
    if business_type == 3 and earlier is not None:
        replaces = _lock_incoming(earlier)
        replaces.status = IncomingStatus.REPLACED
        replaces.save(update_fields=["status", "updated_at"])
        record(actor=None, action="documents.incoming_replaced", obj=replaces,
               to_state=replaces.status)
    return _register(recipient=recipient, actor=None, source=IncomingDocument.Source.ELECTRONIC,
                     fields=fields, files=files, received_at=received_at, reports=reports,
                     valid=bool(signatures_valid) and pdf_valid is not False,
                     replaces=replaces, defer_text=True)


def _revoke(document: IncomingDocument, *, note: str) -> IncomingDocument:
    document = _lock_incoming(document)
    if document.status == IncomingStatus.REVOKED:
        return document
    from_state = document.status
    document.status = IncomingStatus.REVOKED
    document.register_note = (_("Đã thu hồi theo đề nghị của nơi gửi. ") + (note or ""))[:300]
    document.save(update_fields=["status", "register_note", "updated_at"])
    record(actor=None, action="documents.incoming_revoked", obj=document,
           from_state=from_state, to_state=document.status)
    _notice(document, ExchangeStatus.Code.RECALL_AGREED, _("Đã hủy văn bản theo đề nghị thu hồi"))
    return document


def _update_incoming(document: IncomingDocument, *, subject, body, due_on, attachments,
                     signatures_valid) -> IncomingDocument:
    if not signatures_valid:
        raise InvalidInput(_("Chữ ký số của gói tin không hợp lệ: không cập nhật văn bản."),
                           code="invalid_signature")
    document = _lock_incoming(document)
    files = [(f, m, bytes(c)) for f, m, c in attachments or []]
    reports, _valid = _verify_files(files)
    known = set(document.attachments.values_list("sha256", flat=True))
    pending = []
    for filename, media_type, content in files:
        digest = hashlib.sha256(content).hexdigest()
        if digest in known:
            continue
        later = content.startswith(b"%PDF-")  # read by documents.extraction
        attachment = IncomingAttachment(
            document=document, filename=filename[:255], media_type=media_type[:100],
            sha256=digest, text_pending=later,
            text="" if later else file_text.file_text(content, media_type, filename),
            verification=next((r for r in reports if r["filename"] == filename), {}))
        attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        attachment.save()
        if later:
            pending.append(attachment.pk)
    extraction.after_commit(pending)
    if subject and subject.strip():
        document.subject = subject.strip()[:500]
    if body:
        document.body = body
    if due_on:
        document.due_on = due_on
    document.save()
    refresh_incoming_search(document)
    record(actor=None, action="documents.incoming_updated", obj=document,
           from_state=document.status, to_state=document.status)
    _notice(document, ExchangeStatus.Code.RECALL_AGREED, _("Đã cập nhật văn bản"))
    return document


@transaction.atomic
def register_incoming_paper(*, actor, recipient: Agency, sender_name: str, number: str,
                            notation: str, issued_on: dt.date, type_code: str, subject: str,
                            scan: tuple[str, str, bytes] | None, sender_code: str = "",
                            signer_name: str = "", signer_position: str = "",
                            due_on: dt.date | None = None, urgency: str = "",
                            secrecy: str = "", received_at: dt.datetime | None = None,
                            body: str = "", ocr: bool = True) -> IncomingDocument:
    """The clerk registers a paper document: its scan and metadata. A duplicate (same
    number, notation and issuer) is refused; a signed PDF is verified."""
    _official(actor)
    require_role(actor, recipient, Role.CLERK)
    fields = _clean_incoming(sender_name=sender_name, number=number, notation=notation,
                             issued_on=issued_on, type_code=type_code, subject=subject)
    secrecy = _check_choice(secrecy, Secrecy, "secrecy", _("Độ mật"))
    urgency = _check_choice(urgency, Urgency, "urgency", _("Độ khẩn"))
    require_cleared(actor, recipient, secrecy)
    if scan is None or not scan[2]:
        raise InvalidInput(_("Hãy tải lên bản quét của văn bản."),
                           fields={"scan": [_("Bắt buộc.")]})
    filename, media_type, content = scan
    if not (content.startswith(b"%PDF-") or content[:3] == b"\xff\xd8\xff"
            or content.startswith(b"\x89PNG")):
        raise InvalidInput(_("Bản quét phải là PDF, JPEG hoặc PNG."),
                           fields={"scan": [_("Định dạng không hỗ trợ.")]})
    if sender_code:
        try:
            validate_organ_code(sender_code.strip().upper())
        except Exception as exc:
            raise InvalidInput(_("Mã định danh của cơ quan gửi không hợp lệ."),
                               fields={"sender_code": [_("Không hợp lệ.")]}) from exc
    Agency.objects.select_for_update().filter(pk=recipient.pk).first()
    found = _duplicate(recipient, document_id="", number=fields["number"],
                       notation=fields["notation"], sender_code=sender_code.strip().upper(),
                       sender_name=sender_name, issued_on=issued_on)
    if found is not None:
        raise _duplicate_error(found)
    files = [(filename or "ban-quet.pdf", media_type or "application/pdf", bytes(content))]
    reports, valid = _verify_files(files)
    fields.update(sender_code=sender_code.strip().upper()[:35], body=body or "",
                  signer_name=signer_name[:200], signer_position=signer_position[:200],
                  due_on=due_on, urgency=urgency, secrecy=secrecy,
                  priority=URGENCY_PRIORITY.get(urgency, 0), issued_on=issued_on)
    return _register(recipient=recipient, actor=actor, source=IncomingDocument.Source.PAPER,
                     fields=fields, files=files, received_at=received_at or timezone.now(),
                     reports=reports, valid=valid, ocr=ocr)


def deadline_in_working_days(days: int, *, start: dt.date | None = None) -> dt.date:
    from digigov.worktime.calendar import WorkCalendar

    return WorkCalendar.load().add_working_days(start or _today(), days)


@transaction.atomic
def assign(document: IncomingDocument, *, actor, targets: list[dict],
           deadline: dt.date | None = None, working_days: int | None = None,
           directions: str = "") -> IncomingDocument:
    """A leader assigns the document: ``targets`` are ``{"unit": Agency}`` or
    ``{"person": User}`` with ``"role"`` main / support / info. The deadline is a date or
    a number of working days from today (the holiday calendar of digigov.worktime)."""
    document = _lock_incoming(document)
    _official(actor)
    require_role(actor, document.recipient, Role.LEADER)
    require_cleared(actor, document.recipient, document.secrecy)
    if document.status not in (IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED,
                               IncomingStatus.PROCESSING):
        raise InvalidTransition(_("Văn bản đang ở trạng thái “%(status)s”: không phân công "
                                  "được.") % {"status": document.get_status_display()})
    if not targets:
        raise InvalidInput(_("Hãy chọn đơn vị hoặc người xử lý."),
                           fields={"targets": [_("Bắt buộc.")]})
    if working_days is not None:
        if working_days < 1 or working_days > 365:
            raise InvalidInput(_("Số ngày làm việc phải từ 1 đến 365."),
                               fields={"working_days": [_("Không hợp lệ.")]})
        deadline = deadline_in_working_days(working_days)
    if deadline is not None and deadline < _today():
        raise InvalidInput(_("Hạn xử lý không thể ở quá khứ."),
                           fields={"deadline": [_("Không hợp lệ.")]})
    units = document.recipient.descendant_ids()
    names = []
    created = []
    for target in targets:
        role = target.get("role") or Assignment.Role.MAIN
        if role not in Assignment.Role.values:
            raise InvalidInput(_("Vai trò xử lý không hợp lệ."),
                               fields={"targets": [_("Không hợp lệ.")]})
        unit, person = target.get("unit"), target.get("person")
        if (unit is None) == (person is None):
            raise InvalidInput(_("Mỗi phân công là một đơn vị hoặc một người."),
                               fields={"targets": [_("Không hợp lệ.")]})
        if unit is not None and unit.pk not in units:
            raise InvalidInput(_("%(unit)s không thuộc cơ quan nhận văn bản.")
                               % {"unit": unit.name}, fields={"targets": [_("Không hợp lệ.")]})
        if person is not None:
            if not (set(person.role_agency_ids()) & units):
                raise InvalidInput(_("%(who)s không công tác tại cơ quan nhận văn bản.")
                                   % {"who": person.full_name},
                                   fields={"targets": [_("Không hợp lệ.")]})
            if not is_cleared(person, document.recipient_id, document.secrecy):
                raise InvalidInput(_("%(who)s chưa được cấp quyền đọc văn bản mật mức này.")
                                   % {"who": person.full_name},
                                   fields={"targets": [_("Chưa được cấp.")]})
        created.append(Assignment.objects.create(
            document=document, unit=unit, person=person, role=role, deadline=deadline,
            directions=directions.strip(), assigned_by=actor))
        names.append(f"{(person.full_name if person else unit.name)} "
                     f"({Assignment.Role(role).label})")
    from_state = document.status
    if document.status == IncomingStatus.REGISTERED:
        document.status = IncomingStatus.ASSIGNED
    if deadline is not None:
        document.deadline = deadline
    document.passed_on_at = document.passed_on_at or timezone.now()
    document.handled_by = "; ".join(filter(None, [document.handled_by, *names]))[:300]
    document.save()
    record(actor=actor, action="documents.assigned", obj=document, from_state=from_state,
           to_state=document.status, targets=names,
           deadline=deadline.isoformat() if deadline else None, directions=directions[:500])
    _notice(document, ExchangeStatus.Code.ASSIGNED)
    return document


def is_assignee(user, document: IncomingDocument) -> bool:
    agencies = user.role_agency_ids()
    return document.assignments.filter(
        Q(person=user) | Q(unit_id__in=agencies, person__isnull=True)).exists()


@transaction.atomic
def start_processing(document: IncomingDocument, *, actor) -> IncomingDocument:
    document = _lock_incoming(document)
    if not is_assignee(actor, document):
        raise NotAllowed(_("Văn bản không được giao cho bạn hoặc đơn vị của bạn."))
    if document.status != IncomingStatus.ASSIGNED:
        raise InvalidTransition(_("Chỉ bắt đầu xử lý văn bản đã được phân công."))
    document.status = IncomingStatus.PROCESSING
    document.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="documents.processing", obj=document,
           from_state=IncomingStatus.ASSIGNED, to_state=document.status)
    _notice(document, ExchangeStatus.Code.PROCESSING)
    return document


@transaction.atomic
def add_note(document: IncomingDocument, *, actor, kind: str, text: str) -> ProcessingNote:
    """An opinion (anyone who sees the document), progress (an assignee) or follow-up
    (a leader or clerk of the receiving agency)."""
    from .permissions import visible_incoming

    document = _lock_incoming(document)
    if not visible_incoming(actor).filter(pk=document.pk).exists():
        raise NotAllowed(_("Bạn không xem được văn bản này."))
    if kind not in (ProcessingNote.Kind.OPINION, ProcessingNote.Kind.PROGRESS,
                    ProcessingNote.Kind.FOLLOW_UP):
        raise InvalidInput(_("Loại ghi nhận không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    if not (text or "").strip():
        raise InvalidInput(_("Hãy nhập nội dung."), fields={"text": [_("Bắt buộc.")]})
    if kind == ProcessingNote.Kind.PROGRESS and not is_assignee(actor, document):
        raise NotAllowed(_("Chỉ người, đơn vị được giao mới ghi tiến độ xử lý."))
    if kind == ProcessingNote.Kind.FOLLOW_UP and not has_role(
            actor, document.recipient_id, Role.LEADER, Role.CLERK):
        raise NotAllowed(_("Chỉ lãnh đạo hoặc văn thư được đôn đốc xử lý."))
    if not document.is_open:
        raise InvalidTransition(_("Văn bản đã kết thúc xử lý."))
    note = ProcessingNote.objects.create(document=document, author=actor, kind=kind,
                                         text=text.strip())
    record(actor=actor, action=f"documents.note_{kind}", obj=document,
           from_state=document.status, to_state=document.status, text=text.strip()[:500])
    return note


@transaction.atomic
def complete(document: IncomingDocument, *, actor, result: str) -> IncomingDocument:
    document = _lock_incoming(document)
    if not (is_assignee(actor, document)
            or has_role(actor, document.recipient_id, Role.LEADER)):
        raise NotAllowed(_("Chỉ người được giao hoặc lãnh đạo được kết thúc xử lý."))
    if document.status not in (IncomingStatus.ASSIGNED, IncomingStatus.PROCESSING):
        raise InvalidTransition(_("Chỉ hoàn thành văn bản đã được phân công."))
    if not (result or "").strip():
        raise InvalidInput(_("Hãy ghi kết quả xử lý."), fields={"result": [_("Bắt buộc.")]})
    from_state = document.status
    document.status = IncomingStatus.COMPLETED
    document.completed_at = timezone.now()
    document.result_note = result.strip()
    document.save()
    ProcessingNote.objects.create(document=document, author=actor,
                                  kind=ProcessingNote.Kind.COMPLETION, text=result.strip())
    record(actor=actor, action="documents.completed", obj=document, from_state=from_state,
           to_state=document.status)
    _notice(document, ExchangeStatus.Code.COMPLETED)
    return document


@transaction.atomic
def set_issuer_profile(*, actor, agency: Agency, abbreviation: str,
                       place: str = "") -> IssuerProfile:
    require_role(actor, agency, Role.AGENCY_ADMIN, Role.CLERK)
    abbreviation = abbreviation.strip()
    if not abbreviation or not re.fullmatch(r"[0-9A-Za-zÀ-ỹĐđ.&]{1,30}", abbreviation):
        raise InvalidInput(_("Chữ viết tắt chỉ gồm chữ và số, không có khoảng trắng."),
                           fields={"abbreviation": [_("Không hợp lệ.")]})
    profile, _created = IssuerProfile.objects.update_or_create(
        agency=agency, defaults={"abbreviation": abbreviation, "place": place.strip()[:100]})
    record(actor=actor, action="documents.issuer_profile", obj=agency,
           abbreviation=abbreviation, place=profile.place)
    return profile
