"""Tiny fonts built with fontTools for the PDF font tests: every glyph a square, TrueType or CFF outlines."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen


def _square(pen: object) -> None:
    pen.moveTo((100, 0))  # type: ignore[attr-defined]
    pen.lineTo((100, 700))  # type: ignore[attr-defined]
    pen.lineTo((600, 700))  # type: ignore[attr-defined]
    pen.lineTo((600, 0))  # type: ignore[attr-defined]
    pen.closePath()  # type: ignore[attr-defined]


def make_font(path: Path, chars: str, name: str, *, cff: bool = False) -> Path:
    """A font whose every glyph is a square: TrueType (glyf) or, with `cff`, CFF outlines like Noto CJK."""
    chars = "".join(dict.fromkeys(chars))
    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    if cff:
        strings = {}
        for n in names:
            pen = T2CharStringPen(1000, None)
            _square(pen)
            strings[n] = pen.getCharString()
        fb.setupCFF(name.replace(" ", ""), {"FullName": name}, strings, {})
    else:
        glyphs = {}
        for n in names:
            pen = TTGlyphPen(None)
            _square(pen)
            glyphs[n] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": name, "styleName": "Regular", "fullName": name})
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path
