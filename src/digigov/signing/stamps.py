"""Visible signature marks (Decree 30/2020, DOMAIN.md section 6).

* the signer's personal mark fills the area between the signer's title and name;
* the agency seal is a red round seal overlapping the left third of that mark;
* a separate-file attachment carries the agency signature at the top right of
  page 1, with the number-notation and the signing time (ISO 8601, Vietnam time).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from . import conf, glyphs

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


class NoStampFont(Exception):
    """No font to write the marks with (SIGNING_STAMP_FONT, or the one digigov.pdfs ships)."""


def _font() -> glyphs.OutlineFont:
    path = font_path()
    if not path or not Path(path).is_file():
        raise NoStampFont(f"no font file for the signature marks ({path or 'none found'}); "
                          "set SIGNING_STAMP_FONT to a TrueType font with Vietnamese letters")
    return glyphs.outline_font(path)


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (f"{cx + r:.2f} {cy:.2f} m "
            f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
            f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
            f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
            f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c S ")


def _star(cx: float, cy: float, radius: float) -> str:
    points = []
    for i in range(10):  # the five-pointed star at the centre of a Vietnamese seal
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return " ".join(f"{x:.2f} {y:.2f} {'m' if i == 0 else 'l'}"
                    for i, (x, y) in enumerate(points)) + " h f"


def _rgb(color) -> str:
    return "{} {} {}".format(*color)


def _text_block(lines: list[str], width: float, height: float, color, *, largest: float,
                pad: float = 4.0, left: float = 0.0) -> str:
    """Left-aligned lines from ``left``, vertically centred, shrunk to fit the box."""
    font = _font()
    size = min(font.fit(lines, width - left - 2 * pad, largest),
               (height - 2 * pad) / (1.25 * len(lines)))
    leading = size * 1.25
    top = (height + leading * len(lines)) / 2 - size
    ops = [f"{_rgb(color)} rg"]
    ops += [font.draw(line, left + pad, top - i * leading, size)
            for i, line in enumerate(lines)]
    return " ".join(ops)


def _split_two(text: str) -> list[str]:
    words = text.split()
    if len(words) < 3:
        return [text]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i]))
                                                        - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def draw_personal(params: dict, width: float, height: float) -> str:
    """The text starts after the left third, which the agency seal covers."""
    lines = [f"Ký bởi: {params['signer']}", f"Thời gian ký: {params['vn_time']}"]
    return (f"{_rgb(SIGNATURE_BLUE)} RG 0.8 w 0.4 0.4 {width - 0.8:.2f} {height - 0.8:.2f} re S "
            + _text_block(lines, width, height, SIGNATURE_BLUE, largest=9, left=width / 3))


def draw_seal(params: dict, width: float, height: float) -> str:
    side = min(width, height)
    cx, cy = width / 2, height / 2
    outer = side / 2 - 1.5
    ops = [f"{_rgb(SEAL_RED)} RG {_rgb(SEAL_RED)} rg", f"{side * 0.025:.2f} w",
           _circle(cx, cy, outer), f"{side * 0.01:.2f} w", _circle(cx, cy, outer * 0.86),
           _star(cx, cy + side * 0.1, side * 0.11)]
    font = _font()
    lines = _split_two(params["signer"])
    size = font.fit(lines, side * 0.62, side * 0.1)
    for i, line in enumerate(lines):
        y = cy - side * 0.12 - i * size * 1.2
        ops.append(font.draw(line, cx - font.width(line, size) / 2, y, size))
    return " ".join(ops)


def draw_attachment(params: dict, width: float, height: float) -> str:
    lines = [params["signer"], f"Số: {params['number']}", f"Thời gian ký: {params['vn_time']}"]
    return (f"{_rgb(SEAL_RED)} RG 0.8 w 0.4 0.4 {width - 0.8:.2f} {height - 0.8:.2f} re S "
            + _text_block(lines, width, height, SEAL_RED, largest=8))


@dataclass(frozen=True)
class DrawnStampStyle(BaseStampStyle):
    """A mark drawn in vector paths by ``draw(text_params, width, height)``."""

    draw: Callable[[dict, float, float], str] = draw_personal
    border_width: int = 0

    def create_stamp(self, writer, box, text_params) -> DrawnStamp:
        return DrawnStamp(writer, self, box, text_params)


class DrawnStamp(BaseStamp):
    def __init__(self, writer, style: DrawnStampStyle, box, text_params: dict):
        super().__init__(writer=writer, style=style, box=box)
        self.text_params = text_params

    def _render_inner_content(self):
        return [self.style.draw(self.text_params, self.box.width, self.box.height).encode()]


def personal_style() -> DrawnStampStyle:
    return DrawnStampStyle(draw=draw_personal)


def seal_style() -> DrawnStampStyle:
    return DrawnStampStyle(draw=draw_seal)


def attachment_style() -> DrawnStampStyle:
    return DrawnStampStyle(draw=draw_attachment)
