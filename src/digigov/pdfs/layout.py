"""The page layout of an administrative document (Decree 30/2020/ND-CP, Annex I).

A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; a Times-metric serif
font ("Digigov Serif": Liberation Serif reduced to the Latin script, shipped
in ``fonts/``, see ``fonts/build_fonts.py``). The national title and
motto sit top right, the issuing agency (and its parent) and the number
line top left, the place and date under the motto, then the title, the
body, the signer block on the right (authority, title, reserved signature
area, name) and the recipients ("Nơi nhận:") bottom left.

Everything is measured here so that the signing service can place the
visible signature marks (DOMAIN.md section 6): ``SignatureBoxes`` gives
their rectangles in PDF points, origin at the bottom-left of the page.
"""

from __future__ import annotations

import copy
import logging
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from PIL import Image

from .embedding import FaceCachingOutputProducer

# fontTools logs every table it subsets at INFO: one line per table per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DigigovSerif"
FONT_FILES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}

MM = 72 / 25.4  # points per millimetre
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
BODY_SIZE = 13
SIGNATURE_HEIGHT = 26.0  # mm reserved between the signer's title and name
SEAL_SIZE = 32.0  # mm, a round seal of 32-36 mm is usual
QR_SIZE = 24.0  # mm


@dataclass(frozen=True)
class Box:
    """A rectangle on one page (0-based index) in PDF points, origin bottom-left."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class SignatureBoxes:
    """Where the visible marks of the electronic signatures go.

    ``signer``: the personal signature image, between the signer's title and
    name. ``seal``: the agency's seal image, overlapping the left third of the
    signer's image. ``attachment``: top right of page 1, where the agency's
    signature mark of a separate-file attachment goes (number-notation and
    signing time).
    """

    signer: Box
    seal: Box
    attachment: Box


@dataclass
class Signer:
    authority: str = ""  # TM., KT., Q., TL., TUQ. ... followed by the agency or the leader
    title: str = ""
    name: str = ""
    hint: str = ""  # e.g. "(Ký, ghi rõ họ tên)" on one-stop slips


@dataclass
class Page:
    """What goes on the document, already rendered to plain text (body: fpdf2's HTML subset)."""

    agency: str
    parent_agency: str
    number_line: str
    date_line: str
    title: str
    body_html: str
    signer: Signer | None = None
    co_signer: Signer | None = None  # left signer of two-party slips (form 01)
    recipients: list[str] = field(default_factory=list)
    landscape: bool = False
    qr_url: str = ""
    qr_caption: str = ""
    document_title: str = ""  # PDF metadata


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    boxes: SignatureBoxes | None
    pages: int


@cache
def _prototype(style: str) -> TTFFont:
    """The font's metrics and glyph maps, computed once per process (read-only after)."""
    path = FONT_DIR / f"{FONT}-{FONT_FILES[style]}.ttf"
    return TTFFont(FPDF(), path, f"{FONT.lower()}{style}", style)


def _add_fonts(pdf: FPDF) -> None:
    """Like ``FPDF.add_font`` for the four styles, without re-measuring every glyph.

    Measuring the glyphs of a face costs more than the rest of a page, so the
    measurements and the parsed face are shared (``embedding`` never changes the
    face); each document keeps its own record of the glyphs it uses.
    """
    for style in FONT_FILES:
        font = copy.copy(_prototype(style))
        font.i = len(pdf.fonts) + 1
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        pdf.fonts[font.fontkey] = font


class _Document(FPDF):
    def __init__(self, landscape: bool):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        _add_fonts(self)
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.set_font(FONT, "", BODY_SIZE)
        self.c_margin = 0

    def to_box(self, page: int, x: float, y: float, w: float, h: float) -> Box:
        """A box given in millimetres from the top-left, in points from the bottom-left."""
        return Box(page, round(x * MM, 2), round((self.h - y - h) * MM, 2),
                   round((x + w) * MM, 2), round((self.h - y) * MM, 2))


def _centered_lines(pdf: _Document, x: float, w: float, lines: list[tuple[str, str, float]],
                    line_h: float) -> float:
    """Write (text, style, size) lines centred in a column; returns the y below them."""
    for text, style, size in lines:
        pdf.set_font(FONT, style, size)
        pdf.set_x(x)
        pdf.multi_cell(w, line_h, text, align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _rule(pdf: _Document, x: float, w: float, y: float, text_w: float) -> None:
    """The short solid line under the motto and under the agency name, centred."""
    pdf.set_line_width(0.3)
    pdf.line(x + (w - text_w) / 2, y, x + (w + text_w) / 2, y)


def _header(pdf: _Document, page: Page) -> None:
    content_w = pdf.w - MARGIN_LEFT - MARGIN_RIGHT
    left_w = 75.0 if not page.landscape else 100.0
    right_w = 95.0 if not page.landscape else 120.0
    left_x, right_x = MARGIN_LEFT, MARGIN_LEFT + content_w - right_w
    top = MARGIN_TOP

    pdf.set_y(top)
    y = _centered_lines(pdf, right_x, right_w, [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 12),
        ("Độc lập - Tự do - Hạnh phúc", "B", 13),
    ], 5.8)
    pdf.set_font(FONT, "B", 13)
    _rule(pdf, right_x, right_w, y + 0.3, pdf.get_string_width("Độc lập - Tự do - Hạnh phúc"))
    right_bottom = y + 1.5

    pdf.set_y(top)
    lines = []
    if page.parent_agency:
        lines.append((page.parent_agency.upper(), "", 12))
    lines.append((page.agency.upper(), "B", 12))
    y = _centered_lines(pdf, left_x, left_w, lines, 5.8)
    _rule(pdf, left_x, left_w, y + 0.3, left_w / 3)
    y += 2.5
    if page.number_line:
        pdf.set_y(y)
        y = _centered_lines(pdf, left_x, left_w, [(page.number_line, "", 13)], 6)
    left_bottom = y

    if page.date_line:
        pdf.set_y(right_bottom + 1.5 if page.number_line else right_bottom)
        # The place and date stand level with the number line.
        pdf.set_y(max(pdf.get_y(), left_bottom - 6 if page.number_line else right_bottom))
        right_bottom = _centered_lines(pdf, right_x, right_w, [(page.date_line, "I", 13)], 6)
    pdf.set_y(max(left_bottom, right_bottom) + 6)


def _title(pdf: _Document, title: str) -> None:
    lines = [line.strip() for line in title.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        pdf.set_font(FONT, "B", 14 if i == 0 else 13)
        pdf.multi_cell(0, 6.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    if lines:
        pdf.ln(4)


class ImageNotAllowed(ValueError):
    pass


def _no_images(src: str) -> str:
    """Templates may not embed images: the renderer would read any path on the server
    or fetch any address. Seals and signatures are the signing service's marks."""
    raise ImageNotAllowed(_("Mẫu văn bản không được chèn ảnh (%(tag)s).")
                          % {"tag": f'<img src="{src[:80]}">'})


def _body(pdf: _Document, html: str) -> None:
    pdf.set_font(FONT, "", BODY_SIZE)
    if html.strip():
        # fpdf2 centres tables on the page, not between the (unequal) margins.
        html = re.sub(r"<table(?![^>]*\balign=)", '<table align="left"', html)
        pdf.write_html(html, font_family=FONT, warn_on_tags_not_matching=False,
                       li_prefix_color=(0, 0, 0), tag_styles=None, image_map=_no_images)
    pdf.ln(4)


def _signer_height(signer: Signer) -> float:
    rows = sum(1 for text in (signer.authority, signer.title, signer.hint) if text)
    return rows * 6 + SIGNATURE_HEIGHT + 7


def _signer_block(pdf: _Document, signer: Signer, x: float, w: float, y: float
                  ) -> tuple[float, float]:
    """Write one signer block; returns (top of the reserved area, y below the block)."""
    pdf.set_y(y)
    lines = []
    if signer.authority:
        lines.append((signer.authority.upper(), "B", 13))
    if signer.title:
        lines.append((signer.title.upper(), "B", 13))
    if signer.hint:
        lines.append((signer.hint, "I", 12))
    sig_top = _centered_lines(pdf, x, w, lines, 6)
    pdf.set_y(sig_top + SIGNATURE_HEIGHT)
    bottom = _centered_lines(pdf, x, w, [(signer.name, "B", 13)], 7)
    return sig_top, bottom


def _recipients(pdf: _Document, recipients: list[str], x: float, w: float, y: float) -> float:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "BI", 12)
    pdf.cell(w, 5.5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    for line in recipients:
        pdf.set_x(x)
        pdf.multi_cell(w, 5, line, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _qr_image(url: str) -> Image.Image:
    """The QR code, 8 pixels a module with a 2-module quiet zone, drawn with Pillow:
    segno's PNG writer, and fpdf2 decoding that PNG again, took a tenth of a page."""
    import segno

    rows = segno.make(url, error="m").matrix_iter(border=2)
    pixels = b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)
    size = math.isqrt(len(pixels))
    return Image.frombytes("L", (size, size), pixels).resize((size * 8, size * 8),
                                                             Image.Resampling.NEAREST)


def _qr(pdf: _Document, url: str, caption: str, x: float, y: float, width: float) -> float:
    pdf.image(_qr_image(url), x=x, y=y, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(x, y + QR_SIZE + 0.5)
    pdf.set_font(FONT, "I", 8)
    if caption:
        pdf.cell(width, 3.5, caption, new_x="LMARGIN", new_y="NEXT")
    # The address stays on one line, so that it can be read and copied whole.
    size = 8.0
    while size > 5 and pdf.get_string_width(url) > width:
        size -= 0.5
        pdf.set_font(FONT, "I", size)
    pdf.set_x(x)
    pdf.cell(width, 3.5, url, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _closing(pdf: _Document, page: Page) -> SignatureBoxes | None:
    """Signer block(s), recipients and the QR code, kept together on one page."""
    content_w = pdf.w - MARGIN_LEFT - MARGIN_RIGHT
    col_w = content_w / 2
    left_x, right_x = MARGIN_LEFT, MARGIN_LEFT + content_w - col_w
    needed = 0.0
    for signer in (page.signer, page.co_signer):
        if signer:
            needed = max(needed, _signer_height(signer))
    left_needed = (6 + 5 * len(page.recipients)) if page.recipients else 0
    if page.qr_url:
        left_needed += QR_SIZE + 12
    needed = max(needed, left_needed)
    if pdf.get_y() + needed > pdf.h - MARGIN_BOTTOM:
        pdf.add_page()
    top = pdf.get_y()
    boxes = None
    bottoms = [top]
    if page.signer:
        sig_top, bottom = _signer_block(pdf, page.signer, right_x, col_w, top)
        bottoms.append(bottom)
        sig_w = min(60.0, col_w - 10)
        sig_x = right_x + (col_w - sig_w) / 2
        page_index = pdf.page_no() - 1
        seal_x = sig_x + sig_w / 3 - SEAL_SIZE
        seal_y = sig_top + (SIGNATURE_HEIGHT - SEAL_SIZE) / 2
        boxes = SignatureBoxes(
            signer=pdf.to_box(page_index, sig_x, sig_top, sig_w, SIGNATURE_HEIGHT),
            seal=pdf.to_box(page_index, seal_x, seal_y, SEAL_SIZE, SEAL_SIZE),
            attachment=pdf.to_box(0, pdf.w - MARGIN_RIGHT - 70, 3, 70, MARGIN_TOP - 5),
        )
    left_y = top
    if page.co_signer:
        _, bottom = _signer_block(pdf, page.co_signer, left_x, col_w, top)
        left_y = bottom + 2
    if page.recipients:
        left_y = _recipients(pdf, page.recipients, left_x, col_w, left_y) + 3
    if page.qr_url:
        left_y = _qr(pdf, page.qr_url, page.qr_caption, left_x, left_y, col_w)
    bottoms.append(left_y)
    pdf.set_y(max(bottoms))
    return boxes


def render(page: Page) -> Rendered:
    pdf = _Document(page.landscape)
    first_title_line = page.title.strip().splitlines()[0] if page.title.strip() else ""
    pdf.set_title(page.document_title or first_title_line)
    pdf.set_creator("digigov")
    pdf.set_lang("vi")
    pdf.add_page()
    _header(pdf, page)
    _title(pdf, page.title)
    _body(pdf, page.body_html)
    boxes = _closing(pdf, page)
    pdf_bytes = bytes(pdf.output(output_producer_class=FaceCachingOutputProducer))
    return Rendered(pdf=pdf_bytes, boxes=boxes, pages=pdf.page_no())
