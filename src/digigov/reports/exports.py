"""The index of a scope and period as files: Excel, CSV, JSON and the periodic report PDF.

Exports are filed records, so they are always in Vietnamese whatever the
reader's page language (like the one-stop forms and receipts). They carry
aggregate figures only: no applicant, no dossier.

- Excel: three sheets laid out like an agency's report (title block with the
  agency, the national title, the period; bordered tables with a frozen
  header): the indicators, the headline rates with the average processing
  time per procedure, and the ranking of sub-units.
- CSV: UTF-8 with a byte-order mark (so that Excel reads Vietnamese), comma
  separated, decimal point; one row per figure, the first column says which
  table the row belongs to.
- JSON: ``IndexResult.as_dict()`` under ``index``, and the ranking.
- PDF: a report (BÁO CÁO) in the Decree 30/2020 layout of every document of
  digigov, with the tables of scores; the number is left for the clerk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .index import Filters, IndexResult

INDEX_NAME = ("Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, "
              "doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công")
REPORT_TITLE = "BÁO CÁO KẾT QUẢ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"
HEADLINE_ROWS = (
    ("online_share", "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("online_payment", "Tỷ lệ hồ sơ thanh toán trực tuyến"),
    ("digitisation", "Tỷ lệ hồ sơ được số hóa"),
    ("electronic_result", "Tỷ lệ hồ sơ có kết quả điện tử"),
    ("reuse", "Tỷ lệ hồ sơ tái sử dụng dữ liệu"),
    ("on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn"),
)
COUNT_ROWS = (
    ("received", "Số hồ sơ tiếp nhận trong kỳ"),
    ("resolved", "Số hồ sơ đã giải quyết trong kỳ"),
    ("open_late", "Số hồ sơ còn tồn cuối kỳ đã quá hạn"),
)
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass
class Report:
    """What an export holds: the index of a scope and period, and its sub-units ranked."""

    result: IndexResult
    ranking: list[IndexResult] = field(default_factory=list)
    generated_at: dt.datetime | None = None

    def __post_init__(self):
        if self.generated_at is None:
            self.generated_at = timezone.now()


# -- text helpers -----------------------------------------------------------------------------
def vi_number(value: Decimal | int | None, places: int = 2) -> str:
    """Vietnamese notation: 1.234,56; an em dash for no value."""
    if value is None:
        return "—"
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vi_count(value: int | None) -> str:
    return vi_number(value, 0)


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def period_text(result: IndexResult) -> str:
    period = result.period
    return (f"{period.label} (từ ngày {_date(period.start)} đến ngày {_date(period.end)})")


def filters_text(filters: Filters | None) -> str:
    if filters is None or not (filters.sector or filters.procedure):
        return "Tất cả lĩnh vực, thủ tục"
    from digigov.catalog.models import Procedure, Sector

    parts = []
    if filters.sector:
        sector = Sector.objects.filter(code=filters.sector).first()
        parts.append(f"Lĩnh vực: {sector.name if sector else filters.sector}")
    if filters.procedure:
        procedure = Procedure.objects.filter(national_code=filters.procedure).first()
        name = f"{filters.procedure} {procedure.name}" if procedure else filters.procedure
        parts.append(f"Thủ tục: {name}")
    return "; ".join(parts)


def agency_lines(result: IndexResult) -> tuple[str, str]:
    """(parent agency, agency) as written at the top left of the report."""
    agency = result.scope.agency
    if agency is None:
        return "", str(result.scope.label)
    return (agency.parent.name if agency.parent_id else ""), agency.name


def slug(report: Report) -> str:
    result = report.result
    return f"chi-so-phuc-vu_{result.scope.code or 'toan-he-thong'}_{result.period.slug}"


def filename(report: Report, fmt: str) -> str:
    return f"{slug(report)}.{FORMATS[fmt][1]}"


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _group_scores(result: IndexResult) -> dict[str, Decimal]:
    return {group.code: group.score for group in result.groups}


# -- Excel ------------------------------------------------------------------------------------
def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    with translation.override("vi"):
        result = report.result
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header_fill = PatternFill("solid", fgColor="DDE4EE")
        group_fill = PatternFill("solid", fgColor="F1F4F8")
        bold = Font(name="Times New Roman", bold=True, size=12)
        normal = Font(name="Times New Roman", size=12)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wrap = Alignment(vertical="center", wrap_text=True)
        count_fmt, rate_fmt = "#,##0", "0.00"

        def title_block(ws, columns: int, subtitle: str) -> int:
            parent, agency = agency_lines(result)
            half = max(columns // 2, 2)
            right = f"{get_column_letter(half + 1)}1:{get_column_letter(columns)}1"
            ws.merge_cells(f"A1:{get_column_letter(half)}1")
            ws.merge_cells(f"A2:{get_column_letter(half)}2")
            ws.merge_cells(right)
            ws.merge_cells(right.replace("1", "2"))
            ws["A1"], ws["A2"] = parent.upper(), agency.upper()
            ws["A1"].font, ws["A2"].font = normal, bold
            first_right = f"{get_column_letter(half + 1)}"
            ws[f"{first_right}1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ws[f"{first_right}2"] = "Độc lập - Tự do - Hạnh phúc"
            ws[f"{first_right}1"].font = bold
            ws[f"{first_right}2"].font = Font(name="Times New Roman", bold=True, size=12,
                                              underline="single")
            for cell in ("A1", "A2", f"{first_right}1", f"{first_right}2"):
                ws[cell].alignment = centre
            lines = [
                (REPORT_TITLE, Font(name="Times New Roman", bold=True, size=14)),
                (subtitle, bold),
                (f"Kỳ báo cáo: {period_text(result)}", normal),
                (f"Phạm vi: {filters_text(result.filters)}", normal),
            ]
            row = 4
            for text, font in lines:
                ws.merge_cells(f"A{row}:{get_column_letter(columns)}{row}")
                ws[f"A{row}"] = text
                ws[f"A{row}"].font = font
                ws[f"A{row}"].alignment = centre
                row += 1
            ws.merge_cells(f"A{row}:{get_column_letter(columns)}{row}")
            stamp = timezone.localtime(report.generated_at)
            ws[f"A{row}"] = f"Số liệu lập lúc {stamp:%H:%M} ngày {stamp:%d/%m/%Y}"
            ws[f"A{row}"].font = Font(name="Times New Roman", italic=True, size=11)
            ws[f"A{row}"].alignment = centre
            return row + 2

        def header(ws, row: int, titles: list[str]) -> None:
            for col, text in enumerate(titles, start=1):
                cell = ws.cell(row=row, column=col, value=text)
                cell.font, cell.alignment, cell.border, cell.fill = bold, centre, border, \
                    header_fill
            ws.row_dimensions[row].height = 48
            ws.freeze_panes = ws.cell(row=row + 1, column=1)
            ws.print_title_rows = f"{row}:{row}"

        def put(ws, row: int, values: list, formats: list[str | None], *, strong=False,
                fill=None) -> None:
            pairs = zip(values, formats, strict=True)
            for col, (value, number_format) in enumerate(pairs, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.border = border
                cell.font = bold if strong else normal
                cell.alignment = wrap if isinstance(value, str) else \
                    Alignment(horizontal="right", vertical="center")
                if number_format:
                    cell.number_format = number_format
                if fill is not None:
                    cell.fill = fill

        def widths(ws, values: list[int]) -> None:
            for col, width in enumerate(values, start=1):
                ws.column_dimensions[get_column_letter(col)].width = width

        def page_setup(ws, landscape: bool = True) -> None:
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.orientation = "landscape" if landscape else "portrait"
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True

        wb = Workbook()
        # Sheet 1: indicators -------------------------------------------------------------
        ws = wb.active
        ws.title = "Chỉ số"
        titles = ["STT", "Mã chỉ số", "Nhóm, chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)",
                  "Ngưỡng (%)", "Điểm tối đa", "Điểm đạt", "Ghi chú"]
        formats = [None, None, None, count_fmt, count_fmt, rate_fmt, rate_fmt, rate_fmt,
                   rate_fmt, None]
        row = title_block(ws, len(titles), INDEX_NAME)
        header(ws, row, titles)
        row += 1
        number = 0
        for group in result.groups:
            put(ws, row, [group.code, f"Nhóm {group.code}", group.name, None, None, None, None,
                          _float(group.points), _float(group.score), ""],
                formats, strong=True, fill=group_fill)
            row += 1
            for item in group.indicators:
                number += 1
                put(ws, row, [number, item.code, str(item.name), item.numerator,
                              item.denominator, _float(item.rate), _float(item.threshold),
                              _float(item.points), _float(item.score),
                              "" if item.available else str(item.note)], formats)
                row += 1
        put(ws, row, ["", "", "Tổng điểm", None, None, None, None,
                      _float(sum((g.points for g in result.groups), Decimal(0))),
                      _float(result.total), f"Điểm các chỉ số tính được: "
                      f"{vi_number(result.available_points)}"], formats, strong=True)
        widths(ws, [6, 10, 52, 11, 11, 11, 11, 11, 11, 36])
        page_setup(ws)

        # Sheet 2: headline rates and processing time per procedure ------------------------
        ws = wb.create_sheet("Tỷ lệ, thời gian")
        titles = ["STT", "Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)"]
        formats = [None, None, count_fmt, count_fmt, rate_fmt]
        row = title_block(ws, len(titles), "Một số chỉ tiêu chính và thời gian giải quyết")
        header(ws, row, titles)
        row += 1
        headline = result.headline
        for number, (key, label) in enumerate(HEADLINE_ROWS, start=1):
            rate = getattr(headline, key)
            put(ws, row, [number, label, rate.numerator, rate.denominator, _float(rate.rate)],
                formats)
            row += 1
        for key, label in COUNT_ROWS:
            number += 1
            put(ws, row, [number, label, getattr(headline, key), None, None], formats)
            row += 1
        row += 1
        ws.cell(row=row, column=1, value="Thời gian giải quyết bình quân theo thủ tục "
                                          "(ngày làm việc)").font = bold
        row += 1
        for col, text in enumerate(["STT", "Mã thủ tục", "Tên thủ tục", "Số ngày làm việc"],
                                   start=1):
            cell = ws.cell(row=row, column=col, value=text)
            cell.font, cell.alignment, cell.border, cell.fill = bold, centre, border, header_fill
        row += 1
        if not headline.avg_processing_days:
            ws.merge_cells(f"A{row}:E{row}")
            ws.cell(row=row, column=1, value="Chưa có hồ sơ giải quyết xong trong kỳ.").font = \
                normal
        for number, (code, name, days) in enumerate(headline.avg_processing_days, start=1):
            put(ws, row, [number, code, str(name), _float(days)], [None, None, None, rate_fmt])
            row += 1
        widths(ws, [6, 46, 48, 16, 12])
        page_setup(ws, landscape=False)

        # Sheet 3: ranking of sub-units ---------------------------------------------------
        ws = wb.create_sheet("Xếp hạng")
        groups = [(g.code, g.name) for g in result.groups]
        titles = ["Hạng", "Mã định danh", "Đơn vị", "Tổng điểm"] + [
            f"Nhóm {code}: {name}" for code, name in groups] + ["Điểm tính được"]
        formats = [None, None, None, rate_fmt] + [rate_fmt] * len(groups) + [rate_fmt]
        row = title_block(ws, len(titles), "Xếp hạng các đơn vị trực thuộc")
        header(ws, row, titles)
        row += 1
        if not report.ranking:
            ws.merge_cells(f"A{row}:{get_column_letter(len(titles))}{row}")
            ws.cell(row=row, column=1, value="Không có đơn vị trực thuộc.").font = normal
        for rank, child in enumerate(report.ranking, start=1):
            scores = _group_scores(child)
            put(ws, row, [rank, child.scope.code or "", str(child.scope.label),
                          _float(child.total)] + [_float(scores.get(code)) for code, _ in groups]
                + [_float(child.available_points)], formats)
            row += 1
        widths(ws, [7, 18, 40, 11] + [14] * len(groups) + [12])
        page_setup(ws)

        wb.properties.title = REPORT_TITLE
        wb.properties.creator = "digigov"
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()


# -- CSV --------------------------------------------------------------------------------------
CSV_HEADER = ["bang", "ma", "ten", "tu_so", "mau_so", "ty_le", "nguong", "diem_toi_da", "diem",
              "ghi_chu"]


def _plain(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def csv_rows(report: Report) -> list[list[str]]:
    """Rows of the CSV: ``bang`` is tong, nhom, chi_so, ty_le, so_luong, thoi_gian or xep_hang."""
    with translation.override("vi"):
        result = report.result
        rows = [["tong", result.scope.code or "", str(result.scope.label), "", "", "", "",
                 _plain(sum((g.points for g in result.groups), Decimal(0))),
                 _plain(result.total), f"{period_text(result)}; {filters_text(result.filters)}"]]
        for group in result.groups:
            rows.append(["nhom", group.code, str(group.name), "", "", "", "",
                         _plain(group.points), _plain(group.score), ""])
            for item in group.indicators:
                rows.append(["chi_so", item.code, str(item.name), _plain(item.numerator),
                             _plain(item.denominator), _plain(item.rate),
                             _plain(item.threshold), _plain(item.points), _plain(item.score),
                             "" if item.available else str(item.note)])
        headline = result.headline
        for key, label in HEADLINE_ROWS:
            rate = getattr(headline, key)
            rows.append(["ty_le", key, label, _plain(rate.numerator), _plain(rate.denominator),
                         _plain(rate.rate), "", "", "", ""])
        for key, label in COUNT_ROWS:
            rows.append(["so_luong", key, label, _plain(getattr(headline, key)), "", "", "", "",
                         "", ""])
        for code, name, days in headline.avg_processing_days:
            rows.append(["thoi_gian", code, str(name), "", "", "", "", "", "",
                         f"{days} ngày làm việc"])
        for child in report.ranking:
            rows.append(["xep_hang", child.scope.code or "", str(child.scope.label), "", "", "",
                         "", _plain(child.available_points), _plain(child.total), ""])
        return rows


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- JSON -------------------------------------------------------------------------------------
def summary(result: IndexResult) -> dict:
    """A ranked unit in a few figures: its code, name, total and group scores."""
    return {
        "code": result.scope.code, "name": str(result.scope.label),
        "total": str(result.total), "available_points": str(result.available_points),
        "groups": {g.code: str(g.score) for g in result.groups},
    }


def to_json(report: Report) -> bytes:
    with translation.override("vi"):
        body = {
            "index": report.result.as_dict(),
            "ranking": [dict(summary(child), rank=rank)
                        for rank, child in enumerate(report.ranking, start=1)],
            "generated_at": report.generated_at,
        }
        return json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder,
                          indent=1).encode("utf-8")


# -- PDF --------------------------------------------------------------------------------------
def to_pdf(report: Report) -> bytes:
    from digigov.pdfs import layout
    from digigov.pdfs.context import date_line, place_of

    with translation.override("vi"):
        result = report.result
        parent, agency = agency_lines(result)
        headline = result.headline
        body = render_to_string("reports/report_pdf_body.html", {
            "result": result,
            "index_name": INDEX_NAME,
            "period_text": period_text(result),
            "filters_text": filters_text(result.filters),
            "total": vi_number(result.total),
            "max_points": vi_number(sum((g.points for g in result.groups), Decimal(0))),
            "available_points": vi_number(result.available_points),
            "groups": [{
                "code": g.code, "name": g.name, "points": vi_number(g.points),
                "score": vi_number(g.score),
                "indicators": [{
                    "code": i.code, "name": i.name, "numerator": vi_count(i.numerator),
                    "denominator": vi_count(i.denominator), "rate": vi_number(i.rate),
                    "threshold": vi_number(i.threshold), "points": vi_number(i.points),
                    "score": vi_number(i.score), "available": i.available, "note": i.note,
                } for i in g.indicators],
            } for g in result.groups],
            "rates": [{"label": label, "numerator": vi_count(getattr(headline, key).numerator),
                       "denominator": vi_count(getattr(headline, key).denominator),
                       "rate": vi_number(getattr(headline, key).rate)}
                      for key, label in HEADLINE_ROWS],
            "counts": [{"label": label, "value": vi_count(getattr(headline, key))}
                       for key, label in COUNT_ROWS],
            "times": [{"code": code, "name": name, "days": vi_number(days)}
                      for code, name, days in headline.avg_processing_days],
            "ranking": [{"rank": rank, "code": child.scope.code or "",
                         "name": child.scope.label, "total": vi_number(child.total),
                         "groups": [vi_number(_group_scores(child).get(g.code))
                                    for g in result.groups]}
                        for rank, child in enumerate(report.ranking, start=1)],
            "group_codes": [g.code for g in result.groups],
        })
        scope_agency = result.scope.agency
        page = layout.Page(
            agency=agency, parent_agency=parent,
            number_line="Số:        /BC",
            date_line=date_line(place_of(scope_agency), report.generated_at),
            title=f"BÁO CÁO\nKết quả chỉ số phục vụ người dân, doanh nghiệp\n{result.period.label}",
            body_html=body,
            signer=layout.Signer(title="THỦ TRƯỞNG CƠ QUAN", name=""),
            recipients=["- Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính);",
                        "- Lưu: VT."],
            document_title=f"Báo cáo chỉ số phục vụ {result.scope.label} {result.period.label}",
        )
        return layout.render(page).pdf


WRITERS = {"xlsx": to_xlsx, "csv": to_csv, "json": to_json, "pdf": to_pdf}


def export(report: Report, fmt: str) -> bytes:
    return WRITERS[fmt](report)


def build(scope, period, filters: Filters | None = None) -> Report:
    """The report of a scope and period: its index and the ranking of its sub-units."""
    from . import index

    return Report(result=index.compute_index(scope, period, filters),
                  ranking=index.ranking(scope, period, filters))


def response(report: Report, fmt: str):
    """The file as an HTTP response, named after the scope and period."""
    from django.http import HttpResponse

    content_type, _ext = FORMATS[fmt]
    answer = HttpResponse(export(report, fmt), content_type=content_type)
    disposition = "inline" if fmt in ("pdf", "json") else "attachment"
    answer["Content-Disposition"] = f'{disposition}; filename="{filename(report, fmt)}"'
    return answer
