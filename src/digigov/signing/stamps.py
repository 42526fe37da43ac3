"""Visible signature marks (Decree 30/2020, DOMAIN.md section 6).

* the signer's personal mark fills the area between the signer's title and name;
* the agency seal is a red round seal overlapping the left third of that mark;
* a separate-file attachment carries the agency signature at the top right of
  page 1, with the number-notation and the signing time (ISO 8601, Vietnam time).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from . import conf

logger = logging.getLogger(__name__)

SEAL_RED = (0.85, 0.05, 0.05)
SIGNATURE_BLUE = (0.05, 0.15, 0.6)
ATTACHMENT_BOX = (200.0, 54.0)  # width, height in points
ATTACHMENT_MARGIN = 18.0


@dataclass(frozen=True)
class SignatureArea:
    """Where the personal signature goes: the blank between the signer's title and name.

    Coordinates in PDF points from the bottom-left corner of the page (0-based index).
    """

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))

    def seal_box(self) -> tuple[int, int, int, int]:
        """A square seal centred on the middle of the mark's left third, so that it
        covers that third (and a little beyond), as a seal stamped over a signature."""
        side = max(self.y2 - self.y1, 40.0) * 1.15
        width = self.x2 - self.x1
        cx = self.x1 + width / 6
        cy = (self.y1 + self.y2) / 2
        return (round(cx - side / 2), round(cy - side / 2),
                round(cx + side / 2), round(cy + side / 2))


@dataclass(frozen=True)
class Placement:
    page: int
    signer: tuple[int, int, int, int]
    seal: tuple[int, int, int, int]


def _rounded(box) -> tuple[int, int, int, int]:
    return (round(box.x0), round(box.y0), round(box.x1), round(box.y1))


def placement(area) -> Placement:
    """Where the two marks go, from a ``SignatureArea`` or from the boxes that
    ``digigov.pdfs`` measured while laying out the document (``.signer``, ``.seal``)."""
    if hasattr(area, "signer") and hasattr(area, "seal"):
        return Placement(page=area.signer.page, signer=_rounded(area.signer),
                         seal=_rounded(area.seal))
    return Placement(page=area.page, signer=area.box, seal=area.seal_box())


def attachment_box(page_width: float, page_height: float) -> tuple[int, int, int, int]:
    w, h = ATTACHMENT_BOX
    x2, y2 = page_width - ATTACHMENT_MARGIN, page_height - ATTACHMENT_MARGIN
    return (round(x2 - w), round(y2 - h), round(x2), round(y2))


# Letters the marks can need: ASCII, Latin-1 and every Vietnamese letter with its tones.
_VIETNAMESE = ("ăâđêôơưĂÂĐÊÔƠƯ" "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
               "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ")
_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in range(0xA0, 0x100)) + _VIETNAMESE + "–—‘’“”…•№"


@functools.lru_cache(maxsize=4)
def _reduced_font(path: str) -> str:
    """The font cut down once to the characters above, at 1000 units per em (a file
    in the temp dir).

    pyHanko parses and subsets the font file for every mark; a few hundred glyphs
    instead of thousands makes that several times cheaper. pyHanko also writes glyph
    widths in font units where PDF wants thousandths of an em, so a TrueType font
    at 2048 units per em would show spread-out letters; scaling the font fixes it."""
    from fontTools import subset, ttLib
    from fontTools.ttLib.scaleUpem import scale_upem

    source = Path(path)
    digest = hashlib.sha256(source.read_bytes() + _CHARACTERS.encode()
                            + b"upem1000").hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "digigov-stamp-fonts" / f"{digest}{source.suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = ttLib.TTFont(str(source))
        options = subset.Options(layout_closure=False, retain_gids=False)
        options.drop_tables += ["GPOS", "GDEF", "GSUB"]
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(text=_CHARACTERS)
        subsetter.subset(font)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        os.replace(partial, target)  # atomic: concurrent workers never read half a file
    return str(target)


@functools.lru_cache(maxsize=16)
def _font_factory(path: str, size: int):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    return GlyphAccumulatorFactory(_reduced_font(path), font_size=size)


def font_path() -> str:
    """The font for the marks: SIGNING_STAMP_FONT, else the one digigov.pdfs ships."""
    configured = conf.get("SIGNING_STAMP_FONT")
    if configured:
        return configured
    try:
        import digigov.pdfs as pdfs_package
    except ImportError:  # pragma: no cover - the app is part of the project
        return ""
    fonts = sorted(Path(pdfs_package.__file__).parent.rglob("*.[ot]tf"))
    regular = [f for f in fonts if "regular" in f.name.lower()]
    return str((regular or fonts)[0]) if fonts else ""


def _text_style(size: int, color) -> TextBoxStyle:
    """Without a Unicode font, marks use a standard PDF font and their text loses its
    diacritics (see ``plain``), rather than showing wrong glyphs."""
    path = font_path()
    if path:
        return TextBoxStyle(font=_font_factory(path, size), font_size=size, text_color=color)
    logger.warning("No font for signature marks (SIGNING_STAMP_FONT); using plain Latin text.")
    return TextBoxStyle(font_size=size, text_color=color)


def plain(text: str) -> str:
    """The text as the marks' font can show it."""
    if font_path():
        return text
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (f"{cx + r:.2f} {cy:.2f} m "
            f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
            f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
            f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
            f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c S ")


@functools.lru_cache(maxsize=1)
def _seal_ring() -> RawContent:
    size = 100
    c = size / 2
    r, g, b = SEAL_RED
    star = []
    for i in range(10):  # the small star at the centre of a Vietnamese seal
        radius = 9.0 if i % 2 == 0 else 3.6
        angle = math.pi / 2 + i * math.pi / 5
        star.append((c + radius * math.cos(angle), c + 4 + radius * math.sin(angle)))
    star_path = " ".join(f"{x:.2f} {y:.2f} {'m' if i == 0 else 'l'}"
                         for i, (x, y) in enumerate(star))
    ops = (f"q {r} {g} {b} RG {r} {g} {b} rg 2.5 w " + _circle(c, c, 48)
           + "1 w " + _circle(c, c, 42) + star_path + " h f Q")
    return RawContent(data=ops.encode(), box=BoxConstraints(size, size))


def seal_style(agency_name: str) -> TextStampStyle:
    return TextStampStyle(
        stamp_text=plain(agency_name) + "\n\n\n",
        text_box_style=_text_style(6, SEAL_RED),
        background=_seal_ring(),
        background_opacity=0.9,
        border_width=0,
    )


def personal_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text=plain("Ký bởi: %(signer)s\nThời gian ký: %(vn_time)s"),
        text_box_style=_text_style(7, SIGNATURE_BLUE),
        border_width=1,
    )


def attachment_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text=plain("%(signer)s\nSố: %(number)s\nThời gian ký: %(vn_time)s"),
        text_box_style=_text_style(7, SEAL_RED),
        border_width=1,
    )
