"""The renderer: Vietnamese text survives the round trip, and the page follows Decree 30."""

import io
import re

import pytest
from pypdf import PdfReader

from digigov.pdfs import layout
from digigov.pdfs.documents import render_form

from .conftest import one_line, pdf_text, poppler_text

VIETNAMESE = ("Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc, "
              "Đăng ký khai sinh, ỹ ự ữ ẵ ậ Đ")
A4_POINTS = (595.28, 841.89)


def _page(**kwargs) -> layout.Page:
    values = {"agency": "UBND xã A", "parent_agency": "UBND tỉnh Lạng Sơn",
              "number_line": "Số: 05/TB-UBND", "date_line": "Lạng Sơn, ngày 02 tháng 3 năm 2026",
              "title": "THÔNG BÁO", "body_html": f"<p>{VIETNAMESE}</p>",
              "signer": layout.Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Chủ"),
              "recipients": ["- Như trên;", "- Lưu: VT."]}
    values.update(kwargs)
    return layout.Page(**values)


def test_every_vietnamese_glyph_extracts_back_with_pypdf():
    text = pdf_text(layout.render(_page()).pdf)
    assert VIETNAMESE in one_line(text)


def test_every_vietnamese_glyph_extracts_back_with_poppler():
    text = poppler_text(layout.render(_page()).pdf)
    assert VIETNAMESE in one_line(text)


def test_the_font_is_the_shipped_one_embedded():
    data = layout.render(_page()).pdf
    assert layout.FONT_DIR.is_relative_to(layout.Path(layout.__file__).parent)
    assert (layout.FONT_DIR / "OFL.txt").exists()
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    assert any("DigigovSerif" in n for n in names), names
    assert b"/FontFile2" in data  # embedded TrueType, not a reference to a system font


def _positions(data: bytes, page_index: int = 0) -> dict[str, tuple[float, float]]:
    """Where each text run starts on the page, in PDF points."""
    found: dict[str, tuple[float, float]] = {}
    page = PdfReader(io.BytesIO(data)).pages[page_index]

    def visit(text, cm, tm, font_dict, font_size):
        text = text.strip()
        if text and text not in found:
            found[text] = (tm[4], tm[5])

    page.extract_text(visitor_text=visit)
    return found


def test_a4_portrait_with_the_national_title_top_right_and_agency_top_left():
    data = layout.render(_page()).pdf
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) \
        == A4_POINTS
    at = _positions(data)
    width, height = A4_POINTS
    nation_x, nation_y = at["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    agency_x, agency_y = at["UBND XÃ A"]
    assert nation_x > width * 0.45 and nation_y > height - 25 * layout.MM - 20
    assert agency_x < width * 0.45 and agency_x >= layout.MARGIN_LEFT * layout.MM
    assert at["Độc lập - Tự do - Hạnh phúc"][0] > width * 0.45
    # The number line is on the left, the place and date on the right, both under the header.
    assert at["Số: 05/TB-UBND"][0] < width * 0.45
    assert at["Lạng Sơn, ngày 02 tháng 3 năm 2026"][0] > width * 0.45
    # Title below the header, then the signer on the right, recipients on the left.
    assert at["THÔNG BÁO"][1] < at["Số: 05/TB-UBND"][1]
    assert at["TM. ỦY BAN NHÂN DÂN"][0] > width / 2
    assert at["Nơi nhận:"][0] < width / 2
    assert at["Nguyễn Văn Chủ"][1] < at["CHỦ TỊCH"][1] - layout.SIGNATURE_HEIGHT * layout.MM


def test_landscape_page_for_wide_registers():
    data = layout.render(_page(landscape=True)).pdf
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_signature_boxes_lie_between_title_and_name_with_the_seal_over_the_left_third():
    rendered = layout.render(_page())
    boxes = rendered.boxes
    at = _positions(rendered.pdf)
    signer, seal = boxes.signer, boxes.seal
    assert signer.page == 0 and seal.page == 0
    # Between the title line and the name line, in the right half of the page.
    assert at["Nguyễn Văn Chủ"][1] < signer.y0 < signer.y1 <= at["CHỦ TỊCH"][1]
    assert signer.x0 > A4_POINTS[0] / 2 - 50
    # The seal covers the signature's left third and no more.
    assert seal.x0 < signer.x0 < seal.x1
    assert seal.x1 == pytest.approx(signer.x0 + signer.width / 3, abs=0.05)
    # The attachment mark sits top right of page 1, inside the page, above the content.
    attach = boxes.attachment
    assert attach.page == 0 and attach.x1 <= A4_POINTS[0] and attach.y1 <= A4_POINTS[1]
    assert attach.y0 > A4_POINTS[1] - layout.MARGIN_TOP * layout.MM
    assert attach.x0 > A4_POINTS[0] / 2


def test_a_long_body_moves_the_signer_block_to_the_next_page_whole():
    body = "".join(f"<p>Đoạn {i}: {VIETNAMESE}.</p>" for i in range(40))
    rendered = layout.render(_page(body_html=body))
    assert rendered.pages >= 2
    last = rendered.pages - 1
    assert rendered.boxes.signer.page == last
    at = _positions(rendered.pdf, last)
    assert "CHỦ TỊCH" in at and "Nguyễn Văn Chủ" in at


def test_a_form_is_a_pdf_with_the_dossier_facts(received):
    data = render_form(received, "01")
    assert data.startswith(b"%PDF-")
    text = one_line(pdf_text(data))
    assert received.code in text


def test_decomposed_vietnamese_is_composed_before_rendering(received):
    import unicodedata

    from digigov.dossiers.models import Dossier

    Dossier.objects.filter(pk=received.pk).update(
        applicant_name=unicodedata.normalize("NFD", "Nguyễn Thị Ánh Hường"))
    received.refresh_from_db()
    text = one_line(pdf_text(render_form(received, "01")))
    assert "Nguyễn Thị Ánh Hường" in text


def test_every_shipped_face_covers_every_vietnamese_letter():
    from fontTools.ttLib import TTFont

    letters = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ"
               "uùúủũụưừứửữựyỳýỷỹỵđ")
    letters += letters.upper() + "₫№"
    for suffix in layout.FONT_FILES.values():
        face = TTFont(layout.FONT_DIR / f"{layout.FONT}-{suffix}.ttf")
        cmap = face.getBestCmap()
        assert [c for c in letters if ord(c) not in cmap] == [], suffix
        assert not any("Liberation" in n.toUnicode() for n in face["name"].names
                       if n.nameID in (1, 4, 6, 16))  # the OFL reserved name is not used


def _embedded_faces(data: bytes) -> list[dict]:
    """Per embedded face: its font file (fontTools), code -> glyph id, code -> text."""
    from fontTools import ttLib

    faces = []
    for ref in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values():
        composite = ref.get_object()
        cid_font = composite["/DescendantFonts"][0].get_object()
        face = ttLib.TTFont(io.BytesIO(
            cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
        table = cid_font["/CIDToGIDMap"].get_object().get_data()
        gids = {code: int.from_bytes(table[2 * code:2 * code + 2], "big")
                for code in range(len(table) // 2)}
        cmap = composite["/ToUnicode"].get_object().get_data().decode("latin-1")
        texts = {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
                 for code, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)}
        faces.append({"face": face, "gids": gids, "texts": texts})
    return faces


def test_every_code_draws_the_glyph_of_its_character():
    """Codes, glyph ids in the embedded face and ToUnicode agree for every character."""
    page = _page(body_html="<p>Họ tên: NGUYỄN THỊ Ỷ LAN, sinh tại Łódź (Straße 5) © ½</p>")
    for embedded in _embedded_faces(layout.render(page).pdf):
        face_cmap = embedded["face"].getBestCmap()
        for code, text in embedded["texts"].items():
            if text.isprintable() and text.strip():
                assert embedded["gids"][code] == embedded["face"].getGlyphID(
                    face_cmap[ord(text)]), (code, text)


def test_characters_beyond_vietnamese_are_embedded_too():
    data = layout.render(_page(body_html="<p>Łódź Straße © ½</p>")).pdf
    assert "Łódź Straße © ½" in one_line(pdf_text(data))
    regular = next(e for e in _embedded_faces(data) if "ß" in e["texts"].values())
    assert ord("ß") in regular["face"].getBestCmap()


def test_documents_share_one_embedded_face_per_style():
    """The faces are subset once per process, over Vietnamese, not per document."""
    first = _embedded_faces(layout.render(_page(body_html="<p>Lê Văn Tám</p>")).pdf)
    second = _embedded_faces(layout.render(_page(body_html="<p>Đỗ Thị Hương</p>")).pdf)
    assert [sorted(f["face"].getGlyphOrder()) for f in first] == \
        [sorted(f["face"].getGlyphOrder()) for f in second]
    assert all(len(f["face"].getGlyphOrder()) < 300 for f in first)
