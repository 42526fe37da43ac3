"""Public API: the PDF of a one-stop form or of a dossier's result.

    render_form(dossier, "01") -> bytes
    render_result(dossier, verification_uuid=uuid) -> bytes
    render_result_document(...) -> RenderedDocument  # .pdf and .boxes (signature marks)
    render_register(agency, dossiers, date_from, date_to) -> bytes  # form 07

A template edited by an administrator was validated when it was saved; if it
still fails on a real dossier, the shipped default of the same code is used
and the failure is logged, so issuing a document never fails on a template.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
import uuid as uuid_lib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.core.errors import NotFound
from digigov.dossiers import selectors
from digigov.dossiers.models import Dossier
from digigov.orgs.models import Agency

from . import layout
from .context import (
    VN,
    agency_data,
    base_context,
    date_line,
    form_context,
    local,
    sample_context,
)
from .defaults import shipped
from .models import DocumentTemplate, Kind, ResultTemplateChoice
from .sandbox import PARTS, TemplateProblem, render_parts

logger = logging.getLogger(__name__)

GENERIC_RESULT = "result_generic"
QR_CAPTION = "Quét mã QR để xác thực văn bản điện tử"


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    boxes: layout.SignatureBoxes | None
    template_code: str
    template_id: int | None  # the database row used; None when the shipped file was used
    verification_url: str = ""
    context: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class TemplateSource:
    code: str
    parts: dict[str, str]
    landscape: bool
    pk: int | None


def select_template(code: str, agency: Agency | None, on: dt.date) -> TemplateSource:
    """The agency's version in force, else the instance default in force, else the shipped file."""
    owners = Q(agency__isnull=True) | (Q(agency=agency) if agency is not None else Q())
    row = (DocumentTemplate.objects.filter(owners, code=code).in_force(on)
           .order_by(F("agency").asc(nulls_last=True), "-valid_from").first())
    if row is not None:
        return TemplateSource(code, row.parts(), row.landscape, row.pk)
    return shipped_template(code)


def shipped_template(code: str) -> TemplateSource:
    try:
        data = shipped()[code]
    except KeyError as exc:
        raise NotFound(_("Không có mẫu văn bản %(code)s.") % {"code": code}) from exc
    return TemplateSource(code, {name: data[name] for name in PARTS}, data["landscape"], None)


def _page(source: TemplateSource, context: dict, *, agency: dict, date, qr_url: str
          ) -> layout.Page:
    # Decomposed Vietnamese (a base letter and combining marks, as some keyboards and
    # scanners produce) is composed: the renderer places one glyph per character.
    text = {name: unicodedata.normalize("NFC", value)
            for name, value in render_parts(source.parts, context).items()}

    def signer(prefix: str, authority: str = "") -> layout.Signer | None:
        title, name = text[f"{prefix}_title"].strip(), text[f"{prefix}_name"].strip()
        if not (title or authority):
            return None
        # One-stop slips are signed by hand by named people; official documents by authority.
        hint = "" if authority else "(Ký, ghi rõ họ tên)"
        return layout.Signer(authority=authority, title=title, name=name, hint=hint)

    main = signer("signer", text["signer_authority"].strip())
    return layout.Page(
        agency=agency["name"], parent_agency=agency["parent_name"],
        number_line=text["number_notation"].strip(),
        date_line=date_line(agency["place"], date),
        title=text["title"], body_html=text["body"], signer=main,
        co_signer=signer("co_signer"),
        recipients=[line.strip() for line in text["recipients"].splitlines() if line.strip()],
        landscape=source.landscape, qr_url=qr_url, qr_caption=QR_CAPTION if qr_url else "",
        document_title=text["title"].splitlines()[0].strip() if text["title"].strip() else "",
    )


def _render(source: TemplateSource, context: dict, *, agency: dict, date, qr_url: str = ""
            ) -> layout.Rendered:
    return layout.render(_page(source, context, agency=agency, date=date, qr_url=qr_url))


def render_document(code: str, agency: Agency, on: dt.date, context: dict, *, date,
                    qr_url: str = "", source: TemplateSource | None = None
                    ) -> RenderedDocument:
    """``source``: the template already selected for ``code``, ``agency`` and ``on``."""
    source = source or select_template(code, agency, on)
    agency_info = context["agency"]
    try:
        rendered = _render(source, context, agency=agency_info, date=date, qr_url=qr_url)
    except Exception:
        if source.pk is None:
            raise
        logger.exception("Document template %s (row %s) failed; using the shipped default",
                         code, source.pk)
        source = shipped_template(code)
        rendered = _render(source, context, agency=agency_info, date=date, qr_url=qr_url)
    return RenderedDocument(pdf=rendered.pdf, boxes=rendered.boxes, template_code=code,
                            template_id=source.pk, verification_url=qr_url, context=context)


def validate_template(parts: dict[str, str], *, landscape: bool = False) -> bytes:
    """Render the parts against the sample context; ``TemplateProblem`` says what is wrong."""
    context = sample_context()
    source = TemplateSource("preview", parts, landscape, None)
    try:
        return _render(source, context, agency=context["agency"], date=context["date"],
                       qr_url=context["verification_url"]).pdf
    except TemplateProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - the renderer's own complaint, shown to the admin
        raise TemplateProblem(
            _("Nội dung không dựng được thành PDF: %(reason)s") % {"reason": exc},
            fields={"body": [_("Nội dung không dựng được thành PDF: %(reason)s")
                             % {"reason": exc}]},
        ) from exc


# -- one-stop forms -------------------------------------------------------------------------
def available_forms(dossier: Dossier) -> set[str]:
    return {f.number for f in selectors.printable_forms(dossier)}


def render_form_document(dossier: Dossier, number: str) -> RenderedDocument:
    if number not in available_forms(dossier):
        raise NotFound(_("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại."))
    context, date = form_context(dossier, number)
    on = local(date).date() if date else timezone.now().astimezone(VN).date()
    return render_document(f"form_{number}", dossier.agency, on, context, date=date)


def render_form(dossier: Dossier, number: str) -> bytes:
    """Forms 01-06 of one dossier (Circular 03/2025/TT-VPCP numbering)."""
    return render_form_document(dossier, number).pdf


def render_register(agency: Agency, dossiers, date_from: dt.date, date_to: dt.date) -> bytes:
    """Form 07, the tracking register of ``agency`` for the dossiers given."""
    rows = [{
        "code": d.code, "procedure_name": d.procedure.name, "applicant_name": d.applicant_name,
        "applicant_address": d.applicant_address, "applicant_phone": d.applicant_phone,
        "handling_agency": d.current_agency.name if d.current_agency_id else agency.name,
        "received_at": local(d.received_at or d.submitted_at), "due_at": local(d.effective_due_at),
        "processed_at": local(d.processed_at or d.closed_at), "returned_at": local(d.returned_at),
        "status": str(d.get_status_display()),
        "timeliness": str(d.get_timeliness_display()) if d.timeliness else "",
    } for d in dossiers]
    now = timezone.now()
    context = {"agency": agency_data(agency), "rows": rows, "date_from": date_from,
               "date_to": date_to, "date": local(now), "today": local(now).date(),
               "site_name": settings.SITE_NAME}
    return render_document("form_07", agency, local(now).date(), context, date=now).pdf


# -- results -------------------------------------------------------------------------------
def result_template_code(dossier: Dossier) -> str:
    """The procedure's explicit choice, else a result template whose keywords match its name."""
    choice = ResultTemplateChoice.objects.filter(procedure_id=dossier.procedure_id).first()
    if choice is not None:
        return choice.template_code
    name = dossier.procedure.name.casefold()
    keyword_sources = {code: data["procedure_keywords"] for code, data in shipped().items()
                       if data["kind"] == Kind.RESULT}
    for row in DocumentTemplate.objects.filter(kind=Kind.RESULT, agency__isnull=True
                                               ).exclude(procedure_keywords=""):
        keyword_sources[row.code] = row.procedure_keywords
    for code, keywords in sorted(keyword_sources.items()):
        if any(k.strip().casefold() in name for k in keywords.split(";") if k.strip()):
            return code
    return GENERIC_RESULT


def verification_url(verification_uuid: uuid_lib.UUID | str) -> str:
    checked = uuid_lib.UUID(str(verification_uuid))
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/xac-thuc/{checked}/"


def render_result_document(dossier: Dossier, *, verification_uuid: uuid_lib.UUID | str,
                           number: str = "", signer=None,
                           issued_at: dt.datetime | None = None) -> RenderedDocument:
    """The dossier's result with a QR code to ``/xac-thuc/<verification_uuid>/``.

    ``number``: the number from the outgoing register, if already given;
    ``signer``: the official who signs (default: who completed the dossier).
    """
    issued_at = issued_at or timezone.now()
    signer = signer or selectors.last_actor(dossier, "complete")
    url = verification_url(verification_uuid)
    context = base_context(dossier)
    context.update(officer={"name": signer.full_name if signer else ""}, number=number,
                   date=local(issued_at), verification_url=url)
    code = result_template_code(dossier)
    on = local(issued_at).date()
    try:
        source = select_template(code, dossier.agency, on)
    except NotFound:
        # A choice naming a template since deleted: issue on the generic result.
        logger.error("Result template %s of procedure %s does not exist; using %s",
                     code, dossier.procedure_id, GENERIC_RESULT)
        code = GENERIC_RESULT
        source = select_template(code, dossier.agency, on)
    return render_document(code, dossier.agency, on, context, date=issued_at, qr_url=url,
                           source=source)


def render_result(dossier: Dossier, *, verification_uuid: uuid_lib.UUID | str, **kwargs) -> bytes:
    return render_result_document(dossier, verification_uuid=verification_uuid, **kwargs).pdf


__all__ = ["RenderedDocument", "render_form", "render_form_document", "render_register",
           "render_result", "render_result_document", "result_template_code", "select_template",
           "validate_template"]
