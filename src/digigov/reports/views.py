"""Pages of the service-quality index (Decision 766/QD-TTg).

- The public scoreboard (no login, aggregate figures only): the provinces and
  ministries ranked for a period, and a page per unit with its indicators.
- The leaders' dashboard (leaders and agency administrators, over their units
  and everything under them; superusers over the instance): scores, every
  indicator, headline rates, trend, ranking of sub-units, late open dossiers,
  and a drill-down from every figure to the dossiers behind it.
- Exports of any scope and period: Excel, CSV, JSON, PDF report.

The figures all come from ``index.compute_index`` and its siblings; views
only choose the scope, the period and the filters, and lay the result out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.core.errors import DomainError, InvalidInput, NotAllowed, NotFound
from digigov.dossiers.models import Timeliness
from digigov.orgs.models import Agency

from . import access, charts, definitions, exports, index, scopes
from .forms import DashboardForm, PeriodForm, query
from .index import Filters, IndexResult
from .periods import Period
from .scopes import Scope

DRILLDOWN_PAGE_SIZE = 50
LATE_ON_DASHBOARD = 15
TREND_PERIODS = 6
# Ranking a unit computes the index of each of its sub-units: up to this many,
# the ranking is on the unit's page; past it (a province of a hundred communes),
# on its own page, so that the unit's page stays quick.
RANKING_INLINE = 40
MINISTRY_LEVELS = (Agency.Level.MINISTRY, Agency.Level.MINISTRY_UNIT)
HEADLINES = (
    ("online_share", gettext_lazy("Hồ sơ nộp trực tuyến")),
    ("online_payment", gettext_lazy("Hồ sơ thanh toán trực tuyến")),
    ("digitisation", gettext_lazy("Hồ sơ được số hóa")),
    ("electronic_result", gettext_lazy("Hồ sơ có kết quả điện tử")),
    ("reuse", gettext_lazy("Hồ sơ tái sử dụng dữ liệu")),
    ("on_time", gettext_lazy("Hồ sơ giải quyết đúng hạn")),
)
COUNTS = (
    ("received", gettext_lazy("Hồ sơ tiếp nhận trong kỳ")),
    ("resolved", gettext_lazy("Hồ sơ đã giải quyết trong kỳ")),
    ("open_late", gettext_lazy("Hồ sơ còn tồn cuối kỳ đã quá hạn")),
)
TREND_RATES = ("on_time", "online_share", "digitisation", "electronic_result")
PARTS = {"numerator": gettext_lazy("tử số"), "denominator": gettext_lazy("mẫu số")}


def _refuse(error: DomainError):
    """A refusal from the reports modules as the matching HTTP answer."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    if isinstance(error, NotAllowed):
        raise PermissionDenied(str(error.message))
    raise error


# -- presentation of an IndexResult ------------------------------------------------------------
@dataclass
class Figure:
    """A number on the page, with the link to the dossiers behind it when there is one."""

    value: int | None
    href: str = ""


@dataclass
class HeadlineRow:
    key: str
    label: str
    numerator: Figure
    denominator: Figure
    rate: Decimal | None


def _drill_href(scope: Scope, period: Period, filters: Filters, code: str, part: str) -> str:
    return (reverse("reports:drilldown") + "?"
            + query(scope, period, filters, code=code, part=part))


def indicator_rows(result: IndexResult, *, drill: bool) -> list[dict]:
    """Groups with their indicators; numerator and denominator link to the drill-down."""
    groups = []
    for group in result.groups:
        rows = []
        for item in group.indicators:
            links = drill and item.drilldown
            rows.append({
                "item": item,
                "numerator": Figure(item.numerator, _drill_href(
                    result.scope, result.period, result.filters, item.code, "numerator")
                    if links and item.numerator is not None else ""),
                "denominator": Figure(item.denominator, _drill_href(
                    result.scope, result.period, result.filters, item.code, "denominator")
                    if links and item.denominator is not None else ""),
            })
        groups.append({"group": group, "rows": rows})
    return groups


def headline_rows(result: IndexResult, *, drill: bool) -> list[HeadlineRow]:
    rows = []
    for key, label in HEADLINES:
        rate = getattr(result.headline, key)

        def figure(value: int, part: str, key=key) -> Figure:
            href = _drill_href(result.scope, result.period, result.filters, key, part) \
                if drill else ""
            return Figure(value, href)

        rows.append(HeadlineRow(key, str(label), figure(rate.numerator, "numerator"),
                                figure(rate.denominator, "denominator"), rate.rate))
    return rows


def count_rows(result: IndexResult, *, drill: bool) -> list[tuple[str, Figure]]:
    rows = []
    for key, label in COUNTS:
        href = _drill_href(result.scope, result.period, result.filters, key, "numerator") \
            if drill else ""
        rows.append((str(label), Figure(getattr(result.headline, key), href)))
    return rows


def group_chart(result: IndexResult, chart_id: str) -> charts.Chart:
    items = [charts.Bar(f"{g.code}. {g.name}", g.score, g.points, href=f"#nhom-{g.code}")
             for g in result.groups]
    return charts.bars(
        chart_id, _("Điểm theo nhóm chỉ số"),
        _("Điểm đạt của từng nhóm trên điểm tối đa; tổng %(total)s/100 điểm, %(scope)s, "
          "%(period)s.") % {"total": charts.fmt(result.total), "scope": result.scope.label,
                            "period": result.period.label},
        items, item_label=_("Nhóm chỉ số"), value_label=_("Điểm đạt"),
        maximum_label=_("Điểm tối đa"))


def ranking_chart(ranked: list[IndexResult], chart_id: str, link, title: str = "") -> charts.Chart:
    items = [charts.Bar(str(r.scope.label), r.total, Decimal(100), href=link(r))
             for r in ranked]
    return charts.bars(
        chart_id, title or _("Xếp hạng đơn vị trực thuộc"),
        _("Tổng điểm (trên 100) của %(n)s đơn vị, từ cao đến thấp.") % {"n": len(ranked)},
        items, item_label=_("Đơn vị"), value_label=_("Tổng điểm"),
        maximum_label=_("Điểm tối đa"))


def trend_charts(results: list[IndexResult], prefix: str) -> list[charts.Chart]:
    labels = [str(r.period.label) for r in results]
    total = charts.lines(
        f"{prefix}-total", _("Tổng điểm qua các kỳ"),
        _("Tổng điểm chỉ số phục vụ (trên 100) của %(n)s kỳ gần nhất, kỳ cũ nhất bên trái.")
        % {"n": len(results)}, labels,
        [charts.Series(_("Tổng điểm"), [r.total for r in results])],
        period_label=_("Kỳ báo cáo"))
    names = dict(HEADLINES)
    rates = charts.lines(
        f"{prefix}-rates", _("Một số tỷ lệ qua các kỳ"),
        _("Tỷ lệ phần trăm của %(n)s kỳ gần nhất; đường đứt quãng ở kỳ không có số liệu.")
        % {"n": len(results)}, labels,
        [charts.Series(str(names[key]), [getattr(r.headline, key).rate for r in results])
         for key in TREND_RATES],
        period_label=_("Kỳ báo cáo"), unit="%")
    return [total, rates]


# -- public scoreboard ------------------------------------------------------------------------
def _period_form(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.GET)
    return form, (form.selected_period if form.is_valid() else None)


def scoreboard(request: HttpRequest) -> HttpResponse:
    """Provinces and ministries ranked by their total score for a period."""
    form, period = _period_form(request)
    context = {"form": form, "period": period}
    if period is None:
        return render(request, "reports/scoreboard.html", context, status=400)
    instance = scopes.instance()
    overall = index.compute_index(instance, period)
    ranked = index.ranking(instance, period)
    period_query = query(None, period)

    link = _public_link(period_query)
    # Like the national portal: provinces and ministries are ranked apart.
    ministries = [r for r in ranked if r.scope.agency.level in MINISTRY_LEVELS]
    localities = [r for r in ranked if r.scope.agency.level not in MINISTRY_LEVELS]
    boards = []
    for board_id, title, results in (
            ("dia-phuong", _("Tỉnh, thành phố"), localities),
            ("bo-nganh", _("Bộ, cơ quan ngang bộ"), ministries)):
        if results:
            boards.append({
                "id": board_id, "title": title, "ranking": [(r, link(r)) for r in results],
                "chart": ranking_chart(results, f"chart-{board_id}", link,
                                       _("Tổng điểm: %(title)s") % {"title": title}),
            })
    context.update({
        "overall": overall, "boards": boards, "group_heads": overall.groups,
        "export_query": period_query,
    })
    return render(request, "reports/scoreboard.html", context)


def unit(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's indicators for the public: figures only, no dossier."""
    try:
        scope = scopes.scope_for(code)
    except NotFound as missing:
        raise Http404(str(missing.message)) from None
    form, period = _period_form(request)
    context = {"form": form, "scope": scope, "period": period}
    if period is None:
        return render(request, "reports/unit.html", context, status=400)
    trend = index.trend(scope, period, TREND_PERIODS)
    result = trend[-1]  # the trend ends with the chosen period
    period_query = query(None, period)
    parent = scope.agency.parent if scope.agency.parent_id else None
    context.update({
        "result": result, "groups": indicator_rows(result, drill=False),
        "headline": headline_rows(result, drill=False),
        "counts": count_rows(result, drill=False),
        "group_chart": group_chart(result, "group-chart"),
        "trend_charts": trend_charts(trend, "trend"),
        "parent": parent, "period_query": period_query,
        "export_query": query(scope, period),
        "ranking_url": reverse("reports:unit_ranking", args=[scope.code]) + "?" + period_query,
        **_ranking_context(scope, period, None, _public_link(period_query), inline=True),
    })
    return render(request, "reports/unit.html", context)


def _public_link(period_query: str):
    def link(child: IndexResult) -> str:
        return reverse("reports:unit", args=[child.scope.code]) + "?" + period_query
    return link


def _ranking_context(scope: Scope, period: Period, filters: Filters | None, link, *,
                     inline: bool) -> dict:
    """The ranking of the sub-units, or on a unit's page with many, only their number."""
    count = len(scopes.children(scope))
    if inline and count > RANKING_INLINE:
        return {"ranking": [], "ranking_chart": None, "ranking_count": count,
                "ranking_deferred": True}
    ranked = index.ranking(scope, period, filters)
    return {"ranking": [(r, link(r)) for r in ranked], "ranking_count": count,
            "ranking_chart": ranking_chart(ranked, "ranking-chart", link) if ranked else None,
            "ranking_deferred": False}


def unit_ranking(request: HttpRequest, code: str) -> HttpResponse:
    """All sub-units of a unit ranked, for the public."""
    try:
        scope = scopes.scope_for(code)
    except NotFound as missing:
        raise Http404(str(missing.message)) from None
    form, period = _period_form(request)
    context = {"form": form, "scope": scope, "period": period}
    if period is None:
        return render(request, "reports/ranking.html", context, status=400)
    period_query = query(None, period)
    context.update({
        "group_heads": index.compute_index(scope, period).groups,
        "back_url": reverse("reports:unit", args=[scope.code]) + "?" + period_query,
        "export_query": query(scope, period),
        **_ranking_context(scope, period, None, _public_link(period_query), inline=False),
    })
    return render(request, "reports/ranking.html", context)


# -- leaders' dashboard -----------------------------------------------------------------------
def _dashboard_form(request: HttpRequest) -> tuple[DashboardForm, Scope | None]:
    """The filter form of the dashboard pages, with the unit defaulted and checked."""
    user = request.user
    try:
        data = request.GET.copy()
        if "unit" not in data:
            data["unit"] = access.default_scope_code(user) or ""
        try:
            guess = scopes.scope_for(data["unit"] or None)
        except NotFound:
            guess = scopes.instance()
        form = DashboardForm(data, unit_choices=access.unit_choices(user, guess))
        if not form.is_valid():
            if "unit" in form.errors:
                raise Http404(form.errors["unit"][0])
            return form, None
        scope = form.cleaned_data["unit"]
        access.check_scope(user, scope)
    except DomainError as refused:
        _refuse(refused)
    return form, scope


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope = _dashboard_form(request)
    context = {"form": form, "scope": scope}
    if scope is None:
        return render(request, "reports/dashboard.html", context, status=400)
    period, filters = form.selected_period, form.filters
    trend = index.trend(scope, period, TREND_PERIODS, filters)
    result = trend[-1]  # the trend ends with the chosen period
    late = index.late_open_dossiers(scope)
    late_count = late.count()
    context.update({
        "result": result, "period": period, "filters": filters,
        "groups": indicator_rows(result, drill=True),
        "headline": headline_rows(result, drill=True),
        "counts": count_rows(result, drill=True),
        "group_heads": result.groups,
        "group_chart": group_chart(result, "group-chart"),
        "trend_charts": trend_charts(trend, "trend"),
        "ranking_url": reverse("reports:dashboard_ranking") + "?" + query(scope, period, filters),
        **_ranking_context(scope, period, filters, _dashboard_link(period, filters), inline=True),
        "late": _dossier_rows(late.select_related("procedure")[:LATE_ON_DASHBOARD],
                               request.user),
        "late_count": late_count,
        "late_url": reverse("reports:late") + "?" + query(scope, period, filters),
        "parent_url": (reverse("reports:dashboard") + "?" + query(
            Scope(scope.agency.parent), period, filters))
        if scope.agency is not None and scope.agency.parent_id and _may_see(
            request.user, Scope(scope.agency.parent)) else "",
        "export_query": query(scope, period, filters),
        "public_url": reverse("reports:unit", args=[scope.code]) + "?" + query(None, period)
        if scope.code else reverse("reports:scoreboard") + "?" + query(None, period),
    })
    return render(request, "reports/dashboard.html", context)


def _dashboard_link(period: Period, filters: Filters):
    def link(child: IndexResult) -> str:
        return reverse("reports:dashboard") + "?" + query(child.scope, period, filters)
    return link


@login_required
def dashboard_ranking(request: HttpRequest) -> HttpResponse:
    """All sub-units of the dashboard's unit ranked, each linking to its dashboard."""
    form, scope = _dashboard_form(request)
    context = {"form": form, "scope": scope, "dashboard": True}
    if scope is None:
        return render(request, "reports/ranking.html", context, status=400)
    period, filters = form.selected_period, form.filters
    context.update({
        "period": period,
        "group_heads": index.compute_index(scope, period, filters).groups,
        "back_url": reverse("reports:dashboard") + "?" + query(scope, period, filters),
        "export_query": query(scope, period, filters),
        **_ranking_context(scope, period, filters, _dashboard_link(period, filters),
                           inline=False),
    })
    return render(request, "reports/ranking.html", context)


def _may_see(user, scope: Scope) -> bool:
    try:
        access.check_scope(user, scope)
    except DomainError:
        return False
    return True


@dataclass
class DossierRow:
    code: str
    uuid: str
    procedure: str
    submitted_at: object
    received_at: object
    due_at: object
    ended_at: object
    status: str
    status_code: int
    timeliness: str
    late: bool
    # The office page shows a dossier only to officials of the unit holding it (a province
    # leader reading a commune's figures sees the row without the link).
    openable: bool


def _dossier_rows(dossiers, user) -> list[DossierRow]:
    now = timezone.now()
    units = None if user.is_superuser else set(user.role_agency_ids())
    rows = []
    for d in dossiers:
        due = d.effective_due_at
        ended = d.processed_at or d.returned_at or d.closed_at
        if d.timeliness:
            timeliness = d.get_timeliness_display()
            late = d.timeliness == Timeliness.LATE
        elif d.is_open and due is not None and due < now:
            timeliness, late = _("Quá hạn"), True
        elif d.is_open:
            timeliness, late = _("Trong hạn"), False
        else:
            timeliness, late = "—", False
        rows.append(DossierRow(d.code, str(d.uuid), d.procedure.name, d.submitted_at,
                               d.received_at, due, ended, d.get_status_display(), d.status,
                               str(timeliness), late,
                               units is None or bool({d.agency_id, d.current_agency_id} & units)))
    return rows


def _page(request: HttpRequest, queryset):
    paginator = Paginator(queryset, DRILLDOWN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _page_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def drilldown(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure of the dashboard, paginated."""
    form, scope = _dashboard_form(request)
    code = (request.GET.get("code") or "").strip()
    part = (request.GET.get("part") or "numerator").strip()
    context = {"form": form, "scope": scope, "code": code, "part": part}
    if scope is None:
        return render(request, "reports/drilldown.html", context, status=400)
    period, filters = form.selected_period, form.filters
    try:
        dossiers = index.drilldown(scope, period, code, part, filters)
    except InvalidInput as refused:
        context["error"] = refused.message
        return render(request, "reports/drilldown.html", context, status=400)
    page = _page(request, dossiers.select_related("procedure").order_by("-submitted_at", "pk"))
    label = dict(HEADLINES + COUNTS).get(code)
    if label is None:
        indicator = definitions.BY_CODE.get(code)
        label = f"{code} {indicator.name}" if indicator else code
    context.update({
        "period": period, "filters": filters, "label": label,
        "part_label": PARTS.get(part, part), "page": page,
        "rows": _dossier_rows(page.object_list, request.user), "page_query": _page_query(request),
        "back_url": reverse("reports:dashboard") + "?" + query(scope, period, filters),
        "other_part_url": reverse("reports:drilldown") + "?" + query(
            scope, period, filters, code=code,
            part="denominator" if part == "numerator" else "numerator"),
    })
    return render(request, "reports/drilldown.html", context)


@login_required
def late(request: HttpRequest) -> HttpResponse:
    """Every open dossier of the scope already past its due date, most overdue first."""
    form, scope = _dashboard_form(request)
    context = {"form": form, "scope": scope}
    if scope is None:
        return render(request, "reports/late.html", context, status=400)
    period, filters = form.selected_period, form.filters
    page = _page(request, index.late_open_dossiers(scope).select_related("procedure"))
    context.update({
        "period": period, "page": page, "rows": _dossier_rows(page.object_list, request.user),
        "page_query": _page_query(request),
        "back_url": reverse("reports:dashboard") + "?" + query(scope, period, filters),
    })
    return render(request, "reports/late.html", context)


# -- exports ----------------------------------------------------------------------------------
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Any scope and period as a file: aggregate figures only, open to everyone."""
    if fmt not in exports.FORMATS:
        raise Http404(_("Không có định dạng này."))
    form = DashboardForm(request.GET, unit_choices=[])
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404(form.errors["unit"][0])
        return render(request, "reports/scoreboard.html", {"form": form}, status=400)
    report = exports.build(form.cleaned_data["unit"], form.selected_period, form.filters)
    return exports.response(report, fmt)
