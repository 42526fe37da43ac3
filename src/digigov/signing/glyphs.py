"""Text drawn as glyph outlines (PDF path operators), for the signature marks.

A mark is redrawn for every signature (it holds the signing time), and pyHanko's
text engine parses, subsets and embeds the font each time, which costs more than
the signature itself. Outlines need no embedded font: each glyph is converted once
per process and then only placed. The text remains machine-readable where it
matters: in the signature's certificate and signing time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont


class _PdfPathPen(BasePen):
    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, p):  # noqa: N802 - fontTools' pen protocol
        self.ops.append(f"{p[0]:g} {p[1]:g} m")

    def _lineTo(self, p):  # noqa: N802
        self.ops.append(f"{p[0]:g} {p[1]:g} l")

    def _curveToOne(self, p1, p2, p3):  # noqa: N802
        self.ops.append(f"{p1[0]:g} {p1[1]:g} {p2[0]:g} {p2[1]:g} {p3[0]:g} {p3[1]:g} c")

    def _closePath(self):  # noqa: N802
        self.ops.append("h")


@dataclass
class OutlineFont:
    font: TTFont

    def __post_init__(self):
        self.units = self.font["head"].unitsPerEm
        self.cmap = self.font.getBestCmap()
        self.glyph_set = self.font.getGlyphSet()
        self.metrics = self.font["hmtx"].metrics
        self._paths: dict[str, str] = {}

    def _glyph(self, char: str) -> str:
        name = self.cmap.get(ord(char)) or self.cmap.get(ord("?"), ".notdef")
        return name

    def _path(self, name: str) -> str:
        if name not in self._paths:
            pen = _PdfPathPen(self.glyph_set)
            self.glyph_set[name].draw(pen)
            self._paths[name] = " ".join(pen.ops)
        return self._paths[name]

    def width(self, text: str, size: float) -> float:
        return sum(self.metrics[self._glyph(c)][0] for c in text) * size / self.units

    def draw(self, text: str, x: float, y: float, size: float) -> str:
        """Operators that fill ``text`` with its baseline starting at (x, y)."""
        scale = size / self.units
        ops = [f"q {scale:.6g} 0 0 {scale:.6g} {x:.2f} {y:.2f} cm"]
        advance = 0
        for char in text:
            name = self._glyph(char)
            path = self._path(name)
            if path:
                ops.append(f"1 0 0 1 {advance} 0 cm {path} f")
                advance = 0
            advance += self.metrics[name][0]
        ops.append("Q")
        return " ".join(ops)

    def fit(self, lines: list[str], width: float, largest: float) -> float:
        """The largest size up to ``largest`` at which every line fits ``width``."""
        widest = max((self.width(line, 1) for line in lines), default=0)
        return min(largest, width / widest) if widest else largest


@functools.lru_cache(maxsize=4)
def outline_font(path: str) -> OutlineFont:
    return OutlineFont(TTFont(path, lazy=True))
