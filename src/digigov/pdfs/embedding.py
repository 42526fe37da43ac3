"""Embedding the document faces, subset once per process instead of once per document.

fpdf2 subsets each face with fontTools for every document it writes (about 4 ms a
face, 17 ms of a 47 ms birth-certificate extract). Every document here uses the same
four faces of one family, so the subset is taken over a fixed repertoire instead:
printable ASCII and the Vietnamese alphabet with its punctuation, plus whatever
other glyphs a document uses. That subset, compressed, is computed once per
process (and once per set of extra glyphs) and shared by every document; only the
small per-document tables (character codes to glyphs, widths, ToUnicode) are
written each time. A document is about 50 KB larger than with a tight subset.

``FaceCachingOutputProducer`` replaces fpdf2's ``OutputProducer._add_fonts`` for
TrueType faces and writes the same PDF objects fpdf2 would (Type0 font with
Identity-H encoding, CIDFontType2 descendant, ToUnicode CMap, CIDToGIDMap,
FontFile2); it refuses other kinds of font rather than writing them wrongly.
"""

from __future__ import annotations

import copy
import io
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache

from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf.fonts import TTFFont
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFContentStream,
    PDFFont,
    PDFFontStream,
    _build_cmap_blocks,
    _tt_font_widths,
)
from fpdf.syntax import Name, PDFArray

_VIETNAMESE_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # ` ´ ~ hook dot
REPERTOIRE = frozenset(
    {chr(c) for c in range(0x20, 0x7F)}
    | {unicodedata.normalize("NFC", vowel + mark)
       for vowel in _VIETNAMESE_VOWELS for mark in _TONE_MARKS}
    | set("đĐ–—‘’“”…•·°№×₫")
)

# Tables fpdf2 drops from its subsets: layout and colour tables a PDF viewer never
# reads from an embedded font.
_DROPPED_TABLES = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT",
                   "CBLC", "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR"]


@dataclass(frozen=True)
class FaceSubset:
    stream: bytes  # the subset TrueType file, deflated
    length: int  # its size before deflating (the stream's /Length1)
    glyph_ids: dict[str, int]  # glyph name in the full face -> glyph id in the subset


@cache
def _repertoire_glyphs(path: str) -> frozenset[str]:
    cmap = ttLib.TTFont(path, lazy=True).getBestCmap()
    return frozenset(cmap[ord(char)] for char in REPERTOIRE if ord(char) in cmap)


@lru_cache(maxsize=64)
def _subset(path: str, extra_glyphs: frozenset[str]) -> FaceSubset:
    face = ttLib.TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    names = _repertoire_glyphs(path) | extra_glyphs
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += _DROPPED_TABLES
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=sorted(names))
    subsetter.subset(face)
    glyph_ids = {name: face.getGlyphID(name) for name in face.getGlyphOrder()}
    out = io.BytesIO()
    face.save(out)
    data = out.getvalue()
    return FaceSubset(stream=zlib.compress(data), length=len(data), glyph_ids=glyph_ids)


def face_subset(font: TTFFont) -> FaceSubset:
    """The shared subset of ``font``'s face that holds every glyph the document uses."""
    path = str(font.ttffile)
    used = frozenset(font.subset.get_all_glyph_names())
    return _subset(path, used - _repertoire_glyphs(path))


def _deflated_stream(data: bytes, length: int) -> PDFFontStream:
    stream = PDFFontStream(b"")
    stream._contents = data
    stream.filter = Name("FlateDecode")
    stream.length = len(data)
    stream.length1 = length
    return stream


def _to_unicode_cmap(font: TTFFont) -> PDFContentStream:
    """Which characters each code stands for, so that text can be searched and copied."""
    entries = []
    for glyph, code in font.subset.items():
        if glyph is None or not isinstance(glyph.unicode, tuple) or not glyph.unicode:
            continue
        text = "".join(chr(c) for c in glyph.unicode).encode("utf-16-be").hex().upper()
        entries.append(f"<{code:04X}> <{text}>\n")
    return PDFContentStream((
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{_build_cmap_blocks(entries, 'bfchar')}"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("latin-1"))


def _cid_to_gid_map(code_to_glyph: dict[int, int]) -> PDFContentStream:
    """Two bytes per code up to the highest one used; codes beyond map to glyph 0."""
    table = bytearray(2 * (max(code_to_glyph, default=0) + 1))
    for code, glyph_id in code_to_glyph.items():
        table[2 * code:2 * code + 2] = glyph_id.to_bytes(2, "big")
    return PDFContentStream(bytes(table), compress=True)


class FaceCachingOutputProducer(OutputProducer):
    def _add_fonts(self, image_objects_per_index, gfxstate_objs_per_name,
                   pattern_objs_per_name):
        font_objs_per_index = {}
        for font in sorted(self.fpdf.fonts.values(), key=lambda font: font.i):
            if not isinstance(font, TTFFont) or font.color_font or font.is_cff:
                raise TypeError(f"Only TrueType outline faces are embedded here: {font.fontkey}")
            shared = face_subset(font)
            fontname = f"MPDFAA+{font.name}"
            composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
            self._add_pdf_obj(composite, "fonts")
            font_objs_per_index[font.i] = composite

            cid_font = PDFFont(subtype="CIDFontType2", base_font=fontname,
                               d_w=font.desc.missing_width, w=_tt_font_widths(font))
            self._add_pdf_obj(cid_font, "fonts")
            composite.descendant_fonts = PDFArray([cid_font])

            to_unicode = _to_unicode_cmap(font)
            self._add_pdf_obj(to_unicode, "fonts")
            composite.to_unicode = to_unicode

            system_info = CIDSystemInfo()
            self._add_pdf_obj(system_info, "fonts")
            cid_font.c_i_d_system_info = system_info

            # The descriptor is shared by every document of the process: each gets a copy.
            descriptor = copy.copy(font.desc)
            descriptor.font_name = Name(fontname)
            self._add_pdf_obj(descriptor, "fonts")
            cid_font.font_descriptor = descriptor

            code_to_glyph = {code: shared.glyph_ids[glyph.glyph_name]
                             for glyph, code in font.subset.items() if glyph is not None}
            cid_to_gid = _cid_to_gid_map(code_to_glyph)
            self._add_pdf_obj(cid_to_gid, "fonts")
            cid_font.c_i_d_to_g_i_d_map = cid_to_gid

            font_file = _deflated_stream(shared.stream, shared.length)
            self._add_pdf_obj(font_file, "fonts")
            descriptor.font_file2 = font_file
            # fpdf2 memoises these per SubsetMap on the class: clear them, as it does.
            font.subset.pick.cache_clear()
            font.subset.get_glyph.cache_clear()
        return font_objs_per_index
