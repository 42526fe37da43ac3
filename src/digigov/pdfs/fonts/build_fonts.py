"""Build the shipped "Digigov Serif" faces from Liberation Serif 2.x.

    python -m digigov.pdfs.fonts.build_fonts /usr/share/fonts/truetype/liberation2

(Debian package fonts-liberation2.) Keeps the Latin script in full (Vietnamese
included: Latin Extended Additional) with punctuation and currency signs, so
each document subsets a face of about 600 glyphs instead of a 2,600-glyph one, which
halves rendering time. The SIL Open Font License lets a modified version be
shipped only under another name than the reserved "Liberation": the family
is renamed "Digigov Serif". Outlines and metrics are unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
FAMILY = "Digigov Serif"
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}
BLOCKS = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A (foreign names)
    (0x01A0, 0x01A1),  # Ơ ơ
    (0x01AF, 0x01B0),  # Ư ư
    (0x0300, 0x0303),  # combining grave, acute, circumflex, tilde
    (0x0309, 0x0309),  # combining hook above
    (0x0323, 0x0323),  # combining dot below
    (0x1E00, 0x1EFF),  # Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ ... ỹ
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, primes, angle quotes
    (0x20AB, 0x20AC),  # ₫ €
    (0x2116, 0x2116),  # №
    (0x2122, 0x2122),  # ™
    (0x2212, 0x2212),  # minus sign
]


def build(source_dir: Path) -> None:
    unicodes = [c for first, last in BLOCKS for c in range(first, last + 1)]
    for suffix, subfamily in STYLES.items():
        font = TTFont(source_dir / f"LiberationSerif-{suffix}.ttf")
        # No OpenType layout tables: fpdf2 positions glyphs itself and never embeds them.
        options = subset.Options(layout_features=[], name_IDs=["*"], name_languages=["*"],
                                 notdef_outline=True, glyph_names=True,
                                 drop_tables=["FFTM", "GSUB", "GPOS", "GDEF"])
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        rename(font, subfamily)
        font.save(HERE / f"DigigovSerif-{suffix}.ttf")


def rename(font: TTFont, subfamily: str) -> None:
    full = FAMILY if subfamily == "Regular" else f"{FAMILY} {subfamily}"
    postscript = f"DigigovSerif-{subfamily.replace(' ', '')}"
    names = {1: FAMILY, 3: f"{postscript};digigov", 4: full, 6: postscript,
             16: FAMILY, 17: subfamily}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names or "Liberation" in record.toUnicode():
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    table.setName(f"{FAMILY} is derived from Liberation Serif 2.1.5 (SIL Open Font License "
                  "1.1); the reserved font name Liberation is not used.", 10, 3, 1, 0x409)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
