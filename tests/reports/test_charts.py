"""Server-side SVG charts: well-formed, accessible, escaped, honest about missing values."""

from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from digigov.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg))  # noqa: S314 - our own output


def test_bars_are_accessible_and_scaled_to_their_maximum():
    chart = charts.bars("g", "Điểm theo nhóm", "Mô tả", [
        charts.Bar("Công khai", Decimal("9"), Decimal("18"), href="#nhom-1"),
        charts.Bar("Tiến độ", Decimal("20"), Decimal("20")),
        charts.Bar("Hài lòng", None, Decimal("18")),
    ], item_label="Nhóm", value_label="Điểm", maximum_label="Tối đa")
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g-title g-desc"
    assert root.find(f"{SVG}title").text == "Điểm theo nhóm"
    assert root.find(f"{SVG}desc").text == "Mô tả"
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.PALETTE[0]]
    assert [float(r.get("width")) for r in rects] == [150.0, 300.0]  # half, full; none for None
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
    assert "9,00 / 18,00" in texts and "— / 18,00" in texts
    assert root.find(f"{SVG}g/{SVG}text/{SVG}a").get("href") == "#nhom-1"
    # The same figures as a table.
    assert chart.columns == ["Nhóm", "Điểm", "Tối đa"]
    assert [[c.text for c in row] for row in chart.rows] == [
        ["Công khai", "9,00", "18,00"], ["Tiến độ", "20,00", "20,00"], ["Hài lòng", "—", "18,00"]]
    assert chart.rows[0][0].href == "#nhom-1"


def test_lines_break_at_missing_values_and_tell_series_apart():
    chart = charts.lines("t", "Tỷ lệ", "Mô tả", ["T1", "T2", "T3", "T4"], [
        charts.Series("Đúng hạn", [Decimal(50), Decimal(75), None, Decimal(100)]),
        charts.Series("Trực tuyến", [Decimal(10), Decimal(20), Decimal(30), Decimal(40)]),
    ], period_label="Kỳ", unit="%")
    root = parse(chart)
    lines = list(root.iter(f"{SVG}polyline"))
    # Series 1 has a gap: two points, then one alone (not drawn as a line); series 2 whole.
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == 2
    assert len(lines[1].get("points").split()) == 4
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray")
    assert lines[0].get("stroke") != lines[1].get("stroke")
    # A value of 100 sits on the top grid line, 50 half-way down.
    ys = [float(p.split(",")[1]) for p in lines[0].get("points").split()]
    assert ys[0] > ys[1]
    assert chart.columns == ["Kỳ", "Đúng hạn", "Trực tuyến"]
    assert [c.text for c in chart.rows[2]] == ["T3", "—", "30,00"]
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert "Đúng hạn, T2: 75,00%" in tooltips


def test_text_is_escaped():
    chart = charts.bars("x", "<b>tiêu đề</b>", "a & b", [
        charts.Bar('Xã "A" <script>', Decimal(1), Decimal(2))],
        item_label="", value_label="", maximum_label="")
    assert "<script>" not in str(chart.svg) and "<b>" not in str(chart.svg)
    root = parse(chart)
    assert root.find(f"{SVG}title").text == "<b>tiêu đề</b>"


def test_numbers_follow_the_reader_language():
    assert charts.fmt(Decimal("85.714")) == "85,71"
    with translation.override("en"):
        assert charts.fmt(Decimal("85.714")) == "85.71"
    assert charts.fmt(None) == "—"


def test_a_single_period_and_an_empty_chart():
    chart = charts.lines("one", "A", "B", ["T1"], [charts.Series("S", [Decimal(40)])],
                         period_label="Kỳ")
    root = parse(chart)
    assert not list(root.iter(f"{SVG}polyline"))
    assert list(root.iter(f"{SVG}circle"))
    empty = charts.bars("e", "A", "B", [], item_label="", value_label="", maximum_label="")
    assert parse(empty).get("height")
