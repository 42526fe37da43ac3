"""Reads shared by the pages and the API: lists, search, registers, overdue documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digigov.audit.models import AuditEvent
from digigov.core.text import fold
from digigov.worktime.calendar import WorkCalendar

from .kinds import get_type
from .models import IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus
from .permissions import visible_incoming, visible_outgoing

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Filters:
    q: str = ""
    type_code: str = ""
    issuer: str = ""  # folded match on the issuing agency (outgoing) or sender (incoming)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""
    direction: str = ""  # "out", "in" or "" (both)
    agency_id: int | None = None


def _terms(q: str) -> list[str]:
    return [t for t in fold(q or "").split() if t][:10]


def outgoing(user, filters: Filters | None = None) -> QuerySet[OutgoingDocument]:
    f = filters or Filters()
    qs = visible_outgoing(user).select_related("agency", "drafter", "approver")
    for term in _terms(f.q):
        qs = qs.filter(search_text__contains=term)
    if f.type_code:
        kind = get_type(f.type_code)
        qs = qs.filter(type_code=kind.code if kind else f.type_code)
    if f.issuer:
        for term in _terms(f.issuer):
            qs = qs.filter(Q(agency__code__iexact=f.issuer.strip())
                           | Q(search_text__contains=term))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.agency_id:
        qs = qs.filter(agency_id=f.agency_id)
    if f.date_from:
        qs = qs.filter(Q(issued_on__gte=f.date_from)
                       | Q(issued_on__isnull=True, created_at__date__gte=f.date_from))
    if f.date_to:
        qs = qs.filter(Q(issued_on__lte=f.date_to)
                       | Q(issued_on__isnull=True, created_at__date__lte=f.date_to))
    return qs.order_by("-created_at", "-pk")


def incoming(user, filters: Filters | None = None) -> QuerySet[IncomingDocument]:
    f = filters or Filters()
    qs = visible_incoming(user).select_related("recipient")
    for term in _terms(f.q):
        qs = qs.filter(search_text__contains=term)
    if f.type_code:
        kind = get_type(f.type_code)
        qs = qs.filter(type_code=kind.code if kind else f.type_code)
    if f.issuer:
        issuer = f.issuer.strip()
        qs = qs.filter(Q(sender_code__iexact=issuer) | Q(sender_name__icontains=issuer)
                       | Q(search_text__contains=fold(issuer)))
    if f.status:
        qs = overdue_filter(qs) if f.status == "overdue" else qs.filter(status=f.status)
    if f.agency_id:
        qs = qs.filter(recipient_id=f.agency_id)
    if f.date_from:
        qs = qs.filter(issued_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(issued_on__lte=f.date_to)
    return qs.order_by("-received_at", "-pk")


def overdue_filter(qs: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    today = timezone.now().astimezone(VN).date()
    return qs.filter(deadline__lt=today, status__in=[
        IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED, IncomingStatus.PROCESSING])


def overdue(user) -> QuerySet[IncomingDocument]:
    return overdue_filter(visible_incoming(user)).order_by("deadline", "pk")


def issue_due_on(document: OutgoingDocument, calendar: WorkCalendar) -> dt.date:
    """The day a signed document must be issued and sent by (Decree 30 art. 16): an urgent
    one the day it is signed, any other by the next working day."""
    signed_on = document.signed_at.astimezone(VN).date()
    if document.urgency:
        return signed_on
    return calendar.next_working_day(signed_on)


def late_to_issue(documents, *, today: dt.date | None = None) -> list[OutgoingDocument]:
    """Of signed documents waiting for the clerk, those past their issue day."""
    today = today or timezone.now().astimezone(VN).date()
    calendar = WorkCalendar.load()
    return [d for d in documents if d.status == OutgoingStatus.SIGNED and d.signed_at
            and issue_due_on(d, calendar) < today]


@dataclass
class Hit:
    direction: str
    document: object
    date: dt.date


def search(user, filters: Filters, *, limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
    """Both directions merged, newest first: (total count, one page)."""
    hits: list[Hit] = []
    total = 0
    window = offset + limit
    if filters.direction in ("", "out"):
        qs = outgoing(user, filters)
        total += qs.count()
        for doc in qs[:window]:
            hits.append(Hit("out", doc, doc.issued_on or doc.created_at.astimezone(VN).date()))
    if filters.direction in ("", "in"):
        qs = incoming(user, filters)
        total += qs.count()
        for doc in qs[:window]:
            hits.append(Hit("in", doc, doc.received_at.astimezone(VN).date()))
    hits.sort(key=lambda h: (h.date, h.document.pk), reverse=True)
    return total, hits[offset:window]


# -- registers (Annex IV of Decree 30, 10 columns) ----------------------------------------
OUTGOING_COLUMNS = [
    _("Số, ký hiệu văn bản"), _("Ngày tháng văn bản"), _("Tên loại và trích yếu nội dung"),
    _("Người ký"), _("Nơi nhận văn bản"), _("Đơn vị, người nhận bản lưu"), _("Số lượng bản"),
    _("Ngày chuyển"), _("Ký nhận"), _("Ghi chú")]
INCOMING_COLUMNS = [
    _("Ngày đến"), _("Số đến"), _("Tác giả"), _("Số, ký hiệu"), _("Ngày tháng"),
    _("Tên loại và trích yếu nội dung"), _("Đơn vị hoặc người nhận"), _("Ngày chuyển"),
    _("Ký nhận"), _("Ghi chú")]


def _d(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VN).date()
    return value.strftime("%d/%m/%Y")


def outgoing_register(agency, year: int, *, secret: bool = False, user=None) -> list[list[str]]:
    qs = OutgoingDocument.objects.filter(agency=agency, year=year, number__isnull=False)
    qs = qs.filter(series="mat") if secret else qs.exclude(series="mat")
    if user is not None:
        qs = qs.filter(pk__in=visible_outgoing(user).values("pk"))
    rows = []
    for doc in qs.select_related("signed_by").prefetch_related("recipients").order_by(
            "series", "number"):
        recipients = [r.name for r in doc.recipients.all()]
        recipients += [line.strip("- ;") for line in doc.recipients_text.splitlines()
                       if line.strip()]
        sent = [r.sent_at for r in doc.recipients.all() if r.sent_at]
        received = [r.received_by for r in doc.recipients.all() if r.received_by]
        note = doc.register_note
        if doc.status != OutgoingStatus.ISSUED:
            note = (note + " " if note else "") + str(doc.get_status_display())
        rows.append([
            doc.number_notation, _d(doc.issued_on), f"{doc.type_name}: {doc.subject}",
            doc.signer_name, "; ".join(recipients), doc.keeping_unit, str(doc.copies),
            _d(min(sent) if sent else doc.issued_at), "; ".join(received), note.strip()])
    return rows


def incoming_register(agency, year: int, *, secret: bool = False, user=None) -> list[list[str]]:
    qs = IncomingDocument.objects.filter(recipient=agency, year=year,
                                         series="den_mat" if secret else "den")
    if user is not None:
        qs = qs.filter(pk__in=visible_incoming(user).values("pk"))
    rows = []
    for doc in qs.order_by("incoming_number"):
        note = doc.register_note
        if doc.status in (IncomingStatus.REVOKED, IncomingStatus.REPLACED):
            note = (note + " " if note else "") + str(doc.get_status_display())
        rows.append([
            doc.received_at.astimezone(VN).strftime("%H:%M %d/%m/%Y"),
            str(doc.incoming_number), doc.sender_name, doc.number_notation, _d(doc.issued_on),
            f"{doc.type_name}: {doc.subject}", doc.handled_by, _d(doc.passed_on_at),
            "", note.strip()])
    return rows


def exchange_packages(document: IncomingDocument) -> list:
    """The edXML packages an electronic incoming document came by (registered, then any
    update, revocation or replacement), oldest first: ``digigov.exchange`` links each
    received package to the document it acted on. None for paper documents, or without
    the exchange app."""
    if document.source != IncomingDocument.Source.ELECTRONIC:
        return []
    packages = getattr(document, "exchange_packages", None)  # the exchange's reverse link
    if packages is None:
        return []
    return list(packages.select_related("peer").order_by("received_at", "pk"))


def timeline(document) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=document._meta.label_lower,
                                     object_id=str(document.pk)).select_related("actor")


def register_pdf(agency, year: int, *, direction: str, secret: bool = False, user=None) -> bytes:
    """The register as a landscape A4 PDF (digigov.pdfs layout and font)."""
    import html

    from digigov.pdfs.context import agency_data
    from digigov.pdfs.layout import Page, render

    if direction == "out":
        columns, rows = OUTGOING_COLUMNS, outgoing_register(agency, year, secret=secret,
                                                            user=user)
        title = "SỔ ĐĂNG KÝ VĂN BẢN ĐI" + (" (MẬT)" if secret else "")
        widths = [11, 8, 19, 9, 14, 9, 5, 8, 8, 9]
    else:
        columns, rows = INCOMING_COLUMNS, incoming_register(agency, year, secret=secret,
                                                            user=user)
        title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" + (" (MẬT)" if secret else "")
        widths = [9, 5, 13, 11, 8, 20, 11, 8, 7, 8]
    head = "".join(f'<th width="{w}%">{html.escape(str(c))}</th>' for c, w in zip(columns, widths,
                                                                              strict=True))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    if not rows:
        body = "<tr>" + "".join("<td></td>" for _ in columns) + "</tr>"
    info = agency_data(agency)
    page = Page(agency=info["name"], parent_agency=info["parent_name"], number_line="",
                date_line="", title=f"{title}\nNăm {year}",
                body_html=f'<font size="9"><table border="1"><thead><tr>{head}</tr></thead>'
                          f"<tbody>{body}</tbody></table></font>",
                landscape=True, document_title=f"{title} {year}")
    return render(page).pdf
