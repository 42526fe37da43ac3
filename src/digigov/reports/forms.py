"""Filters of the report pages: the period, and on the dashboard the unit, sector, procedure.

A period is chosen in one select (``period=month-2026-3``, ``quarter-2026-1``,
``half-2026-2``, ``year-2026``) listing the recent reporting periods with
their Decree 09/2019 cut-offs, or ``period=range`` with ``start`` and
``end`` dates. Any well-formed period is accepted, listed or not.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digigov.catalog.models import Procedure, Sector
from digigov.core.errors import InvalidInput, NotFound

from . import periods, scopes
from .index import Filters
from .periods import Period
from .scopes import Scope

TOKEN_RE = re.compile(r"^(month|quarter|half)-(\d{4})-(\d{1,2})$|^(year)-(\d{4})$|^(range)$")
RECENT = {"month": 13, "quarter": 8, "half": 4, "year": 4}
KIND_LABELS = {
    "month": _("Tháng"), "quarter": _("Quý"), "half": _("6 tháng"), "year": _("Năm"),
}
MAX_PROCEDURE_CHOICES = 500


def token(period: Period) -> str:
    """The value of the period select for a period."""
    if period.kind == "range":
        return "range"
    if period.kind == "year":
        return f"year-{period.year}"
    return f"{period.kind}-{period.year}-{period.number}"


def query(scope: Scope | None, period: Period, filters: Filters | None = None,
          **extra) -> str:
    """The query string that names a report: unit, period, filters, then ``extra``."""
    params: list[tuple[str, str]] = []
    if scope is not None and scope.code:
        params.append(("unit", scope.code))
    params.append(("period", token(period)))
    if period.kind == "range":
        params += [("start", period.start.isoformat()), ("end", period.end.isoformat())]
    if filters is not None:
        if filters.sector:
            params.append(("sector", filters.sector))
        if filters.procedure:
            params.append(("procedure", filters.procedure))
    params += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    return urlencode(params)


def period_choices(selected: Period | None = None) -> list:
    today = timezone.localdate()
    groups = []
    for kind, count in RECENT.items():
        recent = periods.previous_periods(periods.current(kind, today), count)
        options = [(token(p), str(p.label)) for p in reversed(recent)]
        if selected is not None and selected.kind == kind and \
                token(selected) not in {value for value, _label in options}:
            options.insert(0, (token(selected), str(selected.label)))
        groups.append((str(KIND_LABELS[kind]), options))
    groups.append((str(_("Tùy chọn")), [("range", str(_("Khoảng ngày")))]))
    return groups


class PeriodForm(forms.Form):
    """The reporting period; without one, the current month (Decree 09 cut-offs)."""

    period = forms.CharField(label=_("Kỳ báo cáo"), required=False, widget=forms.Select,
                             help_text=_("Chọn “Khoảng ngày” để dùng Từ ngày – Đến ngày."))
    start = forms.DateField(label=_("Từ ngày"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Đến ngày"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["period"].widget.choices = period_choices()

    def clean(self):
        data = super().clean()
        value = (data.get("period") or "").strip()
        if not value:
            value = token(periods.current("month"))
        match = TOKEN_RE.match(value)
        if not match:
            self.add_error("period", _("Kỳ báo cáo không hợp lệ."))
            return data
        try:
            if match.group(6):
                if not data.get("start") or not data.get("end"):
                    raise InvalidInput(_("Hãy chọn cả ngày bắt đầu và ngày kết thúc."),
                                       fields={"start": [_("Bắt buộc với khoảng ngày.")]})
                period = periods.parse_period("range", start=data["start"], end=data["end"])
            elif match.group(4):
                period = periods.parse_period("year", year=int(match.group(5)))
            else:
                period = periods.parse_period(match.group(1), year=int(match.group(2)),
                                              number=int(match.group(3)))
        except InvalidInput as refused:
            self._refusal(refused, "period")
            return data
        data["period_value"] = period
        self.fields["period"].widget.choices = period_choices(period)
        if period.kind != "range":
            # The dates shown are the period's own, so the form reads what is reported.
            self.data = self.data.copy()
            self.data["start"], self.data["end"] = period.start.isoformat(), period.end.isoformat()
        return data

    def _refusal(self, refused: InvalidInput, default_field: str) -> None:
        placed = False
        for name, messages in (refused.fields or {}).items():
            field = name if name in self.fields else default_field
            for message in messages:
                self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(default_field, str(refused.message))

    @property
    def selected_period(self) -> Period:
        return self.cleaned_data["period_value"]


class DashboardForm(PeriodForm):
    """Period plus unit, sector and procedure, for the leaders' dashboard."""

    unit = forms.CharField(label=_("Đơn vị"), required=False, widget=forms.Select)
    sector = forms.ModelChoiceField(label=_("Lĩnh vực"), required=False, to_field_name="code",
                                    queryset=Sector.objects.order_by("name"),
                                    empty_label=_("Tất cả lĩnh vực"))
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"), required=False, to_field_name="national_code",
        queryset=Procedure.objects.order_by("name"), empty_label=_("Tất cả thủ tục"))

    field_order = ["unit", "period", "start", "end", "sector", "procedure"]

    def __init__(self, data=None, *, unit_choices: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].widget.choices = unit_choices
        self._unit_codes = {code for code, _label in unit_choices}
        sector = (data or {}).get("sector") or ""
        procedures = Procedure.objects.order_by("name")
        if procedures.count() > MAX_PROCEDURE_CHOICES:
            procedures = procedures.filter(sector__code=sector) if sector else procedures.none()
            self.fields["procedure"].help_text = _("Chọn lĩnh vực trước để lọc theo thủ tục.")
        self.fields["procedure"].widget.choices = [("", _("Tất cả thủ tục"))] + [
            (p.national_code, p.name) for p in procedures.only("national_code", "name")]

    def clean_unit(self) -> Scope | None:
        code = (self.cleaned_data.get("unit") or "").strip()
        try:
            scope = scopes.scope_for(code or None)
        except NotFound as missing:
            raise forms.ValidationError(str(missing.message)) from None
        if code and code not in self._unit_codes:
            choices = list(self.fields["unit"].widget.choices)
            self.fields["unit"].widget.choices = choices + [(code, scope.label)]
        return scope

    @property
    def filters(self) -> Filters:
        sector = self.cleaned_data.get("sector")
        procedure = self.cleaned_data.get("procedure")
        return Filters(sector=sector.code if sector else None,
                       procedure=procedure.national_code if procedure else None)
