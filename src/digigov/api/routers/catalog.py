"""Public catalog: procedures (with the version in force) and agencies. No authentication."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import PageParams, paginate
from digigov.api.schemas.catalog import AgencyPage, ProcedureDetail, ProcedurePage
from digigov.catalog.models import ImplementingLevel, Procedure, ProcedureVersion
from digigov.catalog.selectors import published_procedures, search_procedures
from digigov.core.errors import NotFound
from digigov.core.text import fold
from digigov.orgs.models import Agency

router = Router(tags=["Danh mục thủ tục, cơ quan"])


class ProcedureFilters(Schema):
    q: str | None = Field(None, max_length=200, description=(
        "Từ khóa trong tên hoặc mã thủ tục, có dấu hoặc không dấu "
        "(“dang ky khai sinh” tìm được “Đăng ký khai sinh”)."))
    sector: str | None = Field(None, max_length=30, description="Mã lĩnh vực.")
    level: ImplementingLevel | None = Field(None, description="Cấp thực hiện.")
    agency: str | None = Field(None, max_length=35,
                               description="Mã định danh của cơ quan có thẩm quyền.")


class AgencyFilters(Schema):
    q: str | None = Field(None, max_length=200,
                          description="Từ khóa trong tên hoặc mã định danh, có dấu hoặc không dấu.")
    level: Agency.Level | None = Field(None, description="Cấp của cơ quan.")
    parent: str | None = Field(None, max_length=35,
                               description="Mã định danh của cơ quan cấp trên trực tiếp.")
    include_closed: bool = Field(False, description="Gồm cả cơ quan đã sáp nhập, giải thể.")


def _agency_ref(agency: Agency | None) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency else None


def _procedure_summary(p: Procedure) -> dict:
    return {
        "national_code": p.national_code, "name": p.name, "name_en": p.name_en,
        "sector": {"code": p.sector.code, "name": p.sector.name},
        "level": p.level, "level_label": p.get_level_display(),
    }


def _procedure_detail(p: Procedure, v: ProcedureVersion, request: HttpRequest) -> dict:
    return {
        **_procedure_summary(p),
        "effective_from": v.effective_from, "effective_to": v.effective_to,
        "applicant_types": v.applicant_types, "service_level": v.service_level,
        "service_level_label": v.get_service_level_display(),
        "steps_description": v.steps_description, "method": v.method,
        "time_limit": {
            "amount": float(v.time_limit_amount), "unit": v.time_limit_unit,
            "unit_label": v.get_time_limit_unit_display(), "text": v.time_limit_text,
            "cutoff_time": v.cutoff_time,
        },
        "fees": {"counter": v.fee_counter, "online": v.fee_online, "note": v.fee_note},
        "legal_basis": v.legal_basis, "result_type": v.result_type,
        "requirements": v.requirements,
        "components": [
            {"id": c.pk, "order": c.order, "name": c.name, "required": c.required,
             "copies": c.copies,
             "template_url": request.build_absolute_uri(c.template.url) if c.template else None}
            for c in v.components.all()
        ],
        "form_fields": [
            {"key": f.key, "label": f.label, "type": f.type, "required": f.required,
             "choices": [str(choice) for choice in f.choices or []], "help_text": f.help_text}
            for f in v.form_fields.all()
        ],
        "steps": [
            {"order": s.order, "name": s.name, "role": s.role, "role_label": s.get_role_display(),
             "agency": _agency_ref(s.agency), "allotted_hours": float(s.allotted_hours)}
            for s in v.steps.select_related("agency")
        ],
        "competent_agencies": [_agency_ref(a) for a in p.competent_agencies.active()],
    }


def _agency_out(a: Agency) -> dict:
    return {
        "code": a.code, "name": a.name, "name_en": a.name_en, "level": a.level,
        "level_label": a.get_level_display(),
        "parent_code": a.parent.code if a.parent_id else None,
        "address": a.address, "phone": a.phone, "email": a.email,
        "valid_from": a.valid_from, "valid_to": a.valid_to,
        "successor_code": a.successor.code if a.successor_id else None,
    }


@router.get("/procedures", response={200: ProcedurePage, **PROBLEMS(422)}, auth=None,
            summary="Tìm thủ tục hành chính")
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters],
                    pagination: Query[PageParams]):
    """Published procedures that have a version in force, by name, sector, level or agency."""
    qs = search_procedures(q=filters.q, sector=filters.sector, level=filters.level,
                           agency=filters.agency).select_related("sector")
    page = paginate(request, qs, pagination)
    page["items"] = [_procedure_summary(p) for p in page["items"]]
    return page


@router.get("/procedures/{national_code}", response={200: ProcedureDetail, **PROBLEMS(404)},
            auth=None, summary="Chi tiết thủ tục (phiên bản đang có hiệu lực)")
def get_procedure(request: HttpRequest, national_code: str):
    """Everything published about the procedure, from the version in force today."""
    procedure = published_procedures().filter(national_code=national_code).first()
    version = procedure.version_on() if procedure else None
    if version is None:
        raise NotFound(_("Không tìm thấy thủ tục %(code)s.") % {"code": national_code})
    return _procedure_detail(procedure, version, request)


@router.get("/agencies", response={200: AgencyPage, **PROBLEMS(422)}, auth=None,
            summary="Danh sách cơ quan")
def list_agencies(request: HttpRequest, filters: Query[AgencyFilters],
                  pagination: Query[PageParams]):
    """State agencies with their organ codes; closed ones only on request."""
    qs = Agency.objects.select_related("parent", "successor").order_by("code")
    if not filters.include_closed:
        qs = qs.active()
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    words = fold(filters.q or "").split()
    if words:
        # Agency names carry diacritics and have no folded column: match in Python.
        matching = [pk for pk, code, name in qs.values_list("pk", "code", "name")
                    if all(w in fold(f"{code} {name}") for w in words)]
        qs = qs.filter(pk__in=matching)
    page = paginate(request, qs, pagination)
    page["items"] = [_agency_out(a) for a in page["items"]]
    return page

