"""/api/v1/ endpoints of the reports app: the service-quality index (Decision 766/QD-TTg).

The index, its ranking of sub-units, its trend and the exports are aggregate
figures with no personal data: anyone may read them, without a token. The
lists of dossiers behind a figure (drill-down) and the late open dossiers are
for leaders and agency administrators over their units and the units under
them (superusers: the whole instance); outside those units the scope answers
404, like a dossier of another unit.

Every endpoint names its report with the same query parameters: ``unit``
(organ code; absent = the whole instance), the period (``kind`` = month,
quarter, half, year or range, with ``year`` and ``number``, or ``start`` and
``end`` for a range; absent = the current reporting month, Decree 09/2019
cut-offs), and the filters ``sector`` (sector code) and ``procedure``
(procedure national code).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from digigov.api.auth import AUTH
from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import Page, PageParams, paginate
from digigov.reports import access, exports, index, periods, scopes
from digigov.reports.index import Filters
from digigov.reports.periods import Period
from digigov.reports.scopes import Scope

router = Router(tags=["Chỉ số phục vụ và báo cáo"], auth=AUTH)

DECIMAL = "Số thập phân dạng chuỗi, 2 chữ số sau dấu chấm (\"87.50\"); null khi không có."


# -- query ------------------------------------------------------------------------------------
class ReportQuery(Schema):
    unit: str | None = Field(None, max_length=35, description=(
        "Mã định danh của đơn vị (cơ quan và mọi đơn vị trực thuộc); bỏ trống: toàn hệ thống."))
    kind: Literal["month", "quarter", "half", "year", "range"] = Field("month", description=(
        "Loại kỳ báo cáo. Tháng tính từ ngày 15 tháng trước đến ngày 14 (Nghị định "
        "09/2019/NĐ-CP); quý, 6 tháng, năm cũng kết thúc ngày 14; range: khoảng ngày tùy chọn."))
    year: int | None = Field(None, ge=2000, le=2100, description=(
        "Năm của kỳ; bỏ trống cùng number: kỳ hiện tại."))
    number: int | None = Field(None, ge=1, le=12, description=(
        "Tháng (1-12), quý (1-4) hoặc nửa năm (1-2)."))
    start: dt.date | None = Field(None, description="Ngày đầu (kind=range).")
    end: dt.date | None = Field(None, description="Ngày cuối, tính cả ngày này (kind=range).")
    sector: str | None = Field(None, max_length=30, description="Mã lĩnh vực.")
    procedure: str | None = Field(None, max_length=40, description="Mã thủ tục hành chính.")

    def period(self) -> Period:
        if self.kind != "range" and self.year is None and self.number is None:
            return periods.current(self.kind)
        return periods.parse_period(self.kind, self.year, self.number, self.start, self.end)

    def scope(self) -> Scope:
        return scopes.scope_for(self.unit or None)

    def filters(self) -> Filters:
        return Filters(sector=self.sector or None, procedure=self.procedure or None)


class TrendQuery(Schema):
    count: int = Field(6, ge=1, le=36, description="Số kỳ, kể cả kỳ đã chọn (1-36).")


class DrilldownQuery(Schema):
    code: str = Field(max_length=30, description=(
        "Mã chỉ số có danh sách hồ sơ (2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 5.4) hoặc tỷ lệ "
        "chính: online_share, online_payment, digitisation, electronic_result, reuse, on_time, "
        "received, resolved, open_late."))
    part: Literal["numerator", "denominator"] = Field("numerator", description=(
        "Tử số hoặc mẫu số."))


# -- responses --------------------------------------------------------------------------------
class ScopeOut(Schema):
    code: str | None = Field(description="Mã định danh; null: toàn hệ thống.")
    label: str


class PeriodOut(Schema):
    kind: str
    year: int | None
    number: int | None
    start: dt.date
    end: dt.date
    label: str


class FiltersOut(Schema):
    sector: str | None
    procedure: str | None


class IndicatorOut(Schema):
    code: str = Field(description="Mã chỉ số, ví dụ 2.1.")
    group: str
    name: str
    numerator: int | None
    denominator: int | None
    rate: str | None = Field(description="Tỷ lệ phần trăm. " + DECIMAL)
    threshold: str | None = Field(description="Ngưỡng phần trăm. " + DECIMAL)
    points: str = Field(description="Điểm tối đa. " + DECIMAL)
    score: str | None = Field(description="Điểm đạt. " + DECIMAL)
    available: bool = Field(description="false: chưa tính được (không có dữ liệu hoặc mẫu số 0).")
    note: str
    drilldown: bool = Field(description="true: có danh sách hồ sơ tại /reports/drilldown.")


class GroupOut(Schema):
    code: str
    name: str
    points: str
    score: str
    indicators: list[IndicatorOut]


class RateOut(Schema):
    numerator: int
    denominator: int
    rate: str | None


class ProcessingTimeOut(Schema):
    procedure: str = Field(description="Mã thủ tục.")
    name: str
    days: str = Field(description="Thời gian giải quyết bình quân, ngày làm việc. " + DECIMAL)


class HeadlineOut(Schema):
    online_share: RateOut
    online_payment: RateOut
    digitisation: RateOut
    electronic_result: RateOut
    reuse: RateOut
    on_time: RateOut
    received: int
    resolved: int
    open_late: int
    avg_processing_days: list[ProcessingTimeOut]


class IndexOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    filters: FiltersOut
    total: str = Field(description="Tổng điểm trên 100. " + DECIMAL)
    available_points: str = Field(description="Tổng điểm tối đa của các chỉ số tính được.")
    groups: list[GroupOut]
    headline: HeadlineOut


class RankedOut(Schema):
    rank: int
    code: str | None
    name: str
    total: str
    available_points: str
    groups: dict[str, str] = Field(description="Điểm đạt theo mã nhóm.")


class RankingOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    items: list[RankedOut]


class DrillDossierOut(Schema):
    code: str = Field(description="Mã hồ sơ.")
    procedure: str = Field(description="Mã thủ tục.")
    procedure_name: str
    agency: str = Field(description="Mã định danh cơ quan tiếp nhận.")
    channel: int = Field(description="1 trực tiếp, 2 trực tuyến, 3 bưu chính.")
    status: int = Field(description="Mã trạng thái quốc gia (1-10).")
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None = Field(description="Hẹn trả (ngày hẹn mới nếu có thư xin lỗi).")
    ended_at: dt.datetime | None = Field(description="Xử lý xong, trả kết quả hoặc kết thúc.")
    timeliness: str = Field(description="early, on_time, late; rỗng khi chưa đánh giá.")


class DrillPage(Page[DrillDossierOut]):
    pass


# -- helpers ----------------------------------------------------------------------------------
def _result_dict(result) -> dict:
    return result.as_dict()


def _checked_scope(request: HttpRequest, params: ReportQuery) -> Scope:
    scope = params.scope()
    access.check_scope(request.auth, scope)
    return scope


def _dossier(d) -> dict:
    return {
        "code": d.code, "procedure": d.procedure.national_code, "procedure_name": d.procedure.name,
        "agency": d.agency.code, "channel": d.channel, "status": d.status,
        "submitted_at": d.submitted_at, "received_at": d.received_at,
        "due_at": d.effective_due_at,
        "ended_at": d.processed_at or d.returned_at or d.closed_at,
        "timeliness": d.timeliness,
    }


def _page(request: HttpRequest, queryset, pagination: PageParams) -> dict:
    page = paginate(request, queryset.select_related("procedure", "agency"), pagination)
    page["items"] = [_dossier(d) for d in page["items"]]
    return page


# -- endpoints --------------------------------------------------------------------------------
@router.get("/reports/index", auth=None, response={200: IndexOut, **PROBLEMS(404, 422)},
            summary="Chỉ số phục vụ của một đơn vị trong một kỳ")
def get_index(request: HttpRequest, params: Query[ReportQuery]):
    """Total and group scores, every indicator (numerator, denominator, rate, threshold,
    score) and the headline rates. Open to everyone: aggregate figures only."""
    return _result_dict(index.compute_index(params.scope(), params.period(), params.filters()))


@router.get("/reports/ranking", auth=None, response={200: RankingOut, **PROBLEMS(404, 422)},
            summary="Xếp hạng các đơn vị trực thuộc")
def get_ranking(request: HttpRequest, params: Query[ReportQuery]):
    """The direct sub-units of `unit` (for the whole instance: the provinces and ministries),
    best total first."""
    scope, period = params.scope(), params.period()
    ranked = index.ranking(scope, period, params.filters())
    return {"scope": {"code": scope.code, "label": scope.label}, "period": period.as_dict(),
            "items": [dict(exports.summary(r), rank=n) for n, r in enumerate(ranked, start=1)]}


@router.get("/reports/trend", auth=None, response={200: list[IndexOut], **PROBLEMS(404, 422)},
            summary="Diễn biến chỉ số qua các kỳ")
def get_trend(request: HttpRequest, params: Query[ReportQuery], trend: Query[TrendQuery]):
    """The index over `count` periods of the chosen kind, oldest first, ending with the chosen
    period."""
    results = index.trend(params.scope(), params.period(), trend.count, params.filters())
    return [_result_dict(r) for r in results]


@router.get("/reports/drilldown", response={200: DrillPage, **PROBLEMS(401, 403, 404, 422)},
            summary="Danh sách hồ sơ của một số liệu")
def get_drilldown(request: HttpRequest, params: Query[ReportQuery],
                  which: Query[DrilldownQuery], pagination: Query[PageParams]):
    """The dossiers counted in the numerator or denominator of an indicator or headline rate;
    `count` equals the figure. Leaders and agency administrators of the unit or a unit above."""
    scope = _checked_scope(request, params)
    dossiers = index.drilldown(scope, params.period(), which.code, which.part, params.filters())
    return _page(request, dossiers.order_by("-submitted_at", "pk"), pagination)


@router.get("/reports/late", response={200: DrillPage, **PROBLEMS(401, 403, 404, 422)},
            summary="Hồ sơ đang giải quyết đã quá hạn")
def get_late(request: HttpRequest, params: Query[ReportQuery], pagination: Query[PageParams]):
    """Open dossiers of the unit past their appointment date, most overdue first."""
    scope = _checked_scope(request, params)
    return _page(request, index.late_open_dossiers(scope), pagination)


@router.get("/reports/export.{fmt}", auth=None, url_name="reports_export",
            response={200: None, **PROBLEMS(404, 422)}, summary="Tải chỉ số dạng tệp",
            openapi_extra={"responses": {200: {"description": (
                "xlsx: Excel ba trang tính (chỉ số; tỷ lệ chính và thời gian giải quyết; xếp "
                "hạng); csv: UTF-8 có BOM; json: chỉ số và xếp hạng; pdf: báo cáo theo thể thức "
                "Nghị định 30/2020."), "content": {
                    exports.FORMATS[f][0].split(";")[0]: {"schema": {
                        "type": "string", "format": "binary"}} for f in exports.FORMATS}}}})
def get_export(request: HttpRequest, fmt: Literal["xlsx", "csv", "json", "pdf"],
               params: Query[ReportQuery]):
    """The index of the unit and period, with the ranking of its sub-units, as a file."""
    report = exports.build(params.scope(), params.period(), params.filters())
    return exports.response(report, fmt)
