"""Exports of the index: the figures in the Excel, CSV, JSON and PDF files equal compute_index."""
# ruff: noqa: F811 - the month_data fixture is imported from ui_support

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from digigov.reports import exports, index

from .ui_support import MARCH, month_data, month_query, scope  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(month_data, province):
    return exports.Report(result=index.compute_index(scope(province.code), MARCH),
                          ranking=index.ranking(scope(province.code), MARCH))


def as_float(value):
    return None if value is None else float(value)


def test_xlsx_has_three_formatted_sheets_with_the_figures(report, province):
    book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    assert book.sheetnames == ["Chỉ số", "Tỷ lệ, thời gian", "Xếp hạng"]
    sheet = book["Chỉ số"]
    # Title block: parent agency / agency, the national title, the report title, the period.
    assert sheet["A2"].value == province.name.upper()
    assert sheet["F1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["A4"].value == exports.REPORT_TITLE
    assert "Tháng 3/2026" in sheet["A6"].value and "15/02/2026" in sheet["A6"].value
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.cell(header_row, 1).border.top.style == "thin"
    rows = {sheet.cell(r, 2).value: r for r in range(header_row + 1, sheet.max_row + 1)}
    for item in report.result.indicators:
        r = rows[item.code]
        assert sheet.cell(r, 3).value == item.name
        assert sheet.cell(r, 4).value == item.numerator
        assert sheet.cell(r, 5).value == item.denominator
        assert sheet.cell(r, 6).value == as_float(item.rate)
        assert sheet.cell(r, 9).value == as_float(item.score)
        assert sheet.cell(r, 6).number_format == "0.00"
    total_row = max(rows.values())
    assert sheet.cell(total_row, 3).value == "Tổng điểm"
    assert sheet.cell(total_row, 9).value == float(report.result.total)
    assert sheet.column_dimensions["C"].width >= 40

    rates = book["Tỷ lệ, thời gian"]
    values = {rates.cell(r, 2).value: r for r in range(1, rates.max_row + 1)}
    on_time = report.result.headline.on_time
    r = values["Tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn"]
    assert (rates.cell(r, 3).value, rates.cell(r, 4).value) == (on_time.numerator,
                                                                on_time.denominator)
    assert rates.cell(r, 5).value == as_float(on_time.rate)
    codes = [rates.cell(r, 2).value for r in range(1, rates.max_row + 1)]
    for code, _name, days in report.result.headline.avg_processing_days:
        r = codes.index(code) + 1
        assert rates.cell(r, 4).value == float(days)

    ranking = book["Xếp hạng"]
    names = [ranking.cell(r, 3).value for r in range(1, ranking.max_row + 1)]
    for rank, child in enumerate(report.ranking, start=1):
        r = names.index(child.scope.label) + 1
        assert ranking.cell(r, 1).value == rank
        assert ranking.cell(r, 4).value == float(child.total)


def test_csv_is_utf8_with_bom_and_holds_every_figure(report):
    data = exports.to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    total = next(r for r in rows if r["bang"] == "tong")
    assert Decimal(total["diem"]) == report.result.total
    indicators = {r["ma"]: r for r in rows if r["bang"] == "chi_so"}
    for item in report.result.indicators:
        row = indicators[item.code]
        assert row["ten"] == item.name
        assert row["tu_so"] == ("" if item.numerator is None else str(item.numerator))
        assert row["ty_le"] == ("" if item.rate is None else str(item.rate))
        assert row["diem"] == ("" if item.score is None else str(item.score))
    ranking = [r for r in rows if r["bang"] == "xep_hang"]
    assert [r["ma"] for r in ranking] == [c.scope.code for c in report.ranking]
    rates = {r["ma"]: r for r in rows if r["bang"] == "ty_le"}
    assert rates["online_share"]["tu_so"] == str(report.result.headline.online_share.numerator)


def test_json_is_the_index_as_dict(report):
    body = json.loads(exports.to_json(report))
    assert body["index"] == json.loads(json.dumps(report.result.as_dict(), default=str))
    assert [r["code"] for r in body["ranking"]] == [c.scope.code for c in report.ranking]
    assert body["ranking"][0]["rank"] == 1


def test_pdf_report_in_the_decree_30_layout(report, province):
    reader = PdfReader(io.BytesIO(exports.to_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert province.name.upper() in flat
    assert "BÁO CÁO" in flat and "Tháng 3/2026" in flat
    assert f"{exports.vi_number(report.result.total)}/100" in flat
    for group in report.result.groups:
        assert exports.vi_number(group.score) in flat
    for child in report.ranking:
        assert child.scope.label in flat
    item = report.result.indicator("2.1")
    assert exports.vi_number(item.rate) in flat


def test_vietnamese_number_notation():
    assert exports.vi_number(Decimal("1234.5")) == "1.234,50"
    assert exports.vi_number(None) == "—"
    assert exports.vi_count(12345) == "12.345"


def test_export_downloads_through_the_site(client, month_data, commune_a):
    query = month_query(unit=commune_a.code)
    for fmt, content_type in (("xlsx", "spreadsheetml"), ("csv", "text/csv"),
                              ("json", "application/json"), ("pdf", "application/pdf")):
        response = client.get(reverse("reports:export", args=[fmt]), query)
        assert response.status_code == 200, fmt
        assert content_type in response["Content-Type"]
        assert f"chi-so-phuc-vu_{commune_a.code}_2026-m03.{fmt}" in \
            response["Content-Disposition"]
    body = json.loads(client.get(reverse("reports:export", args=["json"]), query).content)
    assert body["index"]["total"] == str(index.compute_index(scope(commune_a.code), MARCH).total)
    assert client.get(reverse("reports:export", args=["csv"]),
                      month_query(unit="999.99.99.X99")).status_code == 404
    assert client.get(reverse("reports:export", args=["csv"]),
                      {"period": "bad"}).status_code == 400
