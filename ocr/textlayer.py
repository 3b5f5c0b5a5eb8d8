"""The invisible text layer: a glyph-less font and words placed on their boxes, in reading order.

Every character is drawn with one blank glyph (CID = UTF-16 code unit, mapped to glyph 1; the
ToUnicode map gives the character back), in text render mode 3 (invisible), stretched
horizontally to the word's width. Words of one line share one baseline, so extractors rebuild
lines without splitting words; explicit spaces separate words, so phrase search works.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

GLYPH_ADVANCE = 500  # in 1/1000 em: every character is half an em wide before stretching
FONT_NAME = "GlyphLessFont"


@dataclass(frozen=True)
class Word:
    text: str
    left: float  # pixels, in the upright (deskewed) page image
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    baseline: float  # pixels from the top
    height: float  # pixels: the font size of this line


@functools.lru_cache(maxsize=1)
def glyphless_font() -> bytes:
    """A TrueType font with one blank glyph (and .notdef), built with fontTools."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "blank"])
    fb.setupCharacterMap({})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf({".notdef": empty, "blank": TTGlyphPen(None).glyph()})
    fb.setupHorizontalMetrics({".notdef": (GLYPH_ADVANCE, 0), "blank": (GLYPH_ADVANCE, 0)})
    fb.setupHorizontalHeader(ascent=1000, descent=-200)
    fb.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=1000, sTypoDescender=-200, usWinAscent=1000, usWinDescent=200)
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


def cid_to_gid_map() -> bytes:
    """Every CID (0..65535) drawn with glyph 1."""
    return b"\x00\x01" * 65536


def to_unicode_cmap() -> bytes:
    """CID = UTF-16 code unit, so the map is the identity over the whole BMP."""
    return (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        b"2 beginbfrange\n<0000> <D7FF> <0000>\n<E000> <FFFF> <E000>\nendbfrange\n"
        b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _fmt(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def content_stream(lines: Sequence[Line], *, scale: float, page_height_pt: float, font: str = "/F1") -> bytes:
    """PDF operators drawing `lines` invisibly; `scale` turns image pixels into points."""
    out = ["BT", "3 Tr"]
    for line in lines:
        size = max(line.height * scale, 1.0)
        y = page_height_pt - line.baseline * scale
        words = [w for w in line.words if w.text.strip()]
        for i, word in enumerate(words):
            text = unicodedata.normalize("NFC", word.text.strip())
            x0 = word.left * scale
            x1 = (words[i + 1].left if i + 1 < len(words) else word.right) * scale
            if i + 1 < len(words):
                text += " "
            natural = len(text) * size * GLYPH_ADVANCE / 1000.0
            stretch = 100.0 * max(x1 - x0, 0.5) / natural if natural > 0 else 100.0
            out.append(
                f"{font} {_fmt(size)} Tf {_fmt(stretch)} Tz 1 0 0 1 {_fmt(x0)} {_fmt(y)} Tm <{_hex(text)}> Tj"
            )
    out.append("ET")
    return ("\n".join(out) + "\n").encode("ascii")
