"""PDF characters and lines from PDFium (pypdfium2): every visible character with its box, size and font facts,
grouped into lines, and Kangxi radicals mapped back to ideographs (`fix_radicals`). The layout pass that turns
the lines into Markdown is `pdf_layout`; the entry point is `pdf.read_pdf`."""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A page with fewer visible characters than this has "no text layer" (a scan may carry a page number).
_MIN_PAGE_CHARS = 20
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(r"[,\-_ ]?(?:bold|black|heavy|semibold|demibold|medium|regular|light|italic|oblique)$",
                           re.IGNORECASE)
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|粗", re.IGNORECASE)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag 19
_FILL_STROKE_MODES = frozenset({2, 6})  # text render modes that stroke the filled glyph: "fake bold"

# Radical code points that a font shares with an ideograph (Noto CJK SC's cmap; measured: fontTools, same
# glyph). PDF writers that build ToUnicode from the font's cmap may emit them instead of the ideograph.
# Kangxi radicals (U+2F00–U+2FD5) and compatibility ideographs are mapped by NFKC; the radicals supplement
# (U+2E80–U+2EFF) mostly has no decomposition, hence this table.
_RADICALS_SUPPLEMENT = dict(
    zip(
        map(ord, "⺂⺃⺅⺉⺋⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺟⺠⺡⺣⺤⺦⺨⺭⺯⺰⺱⺳⺹⺺⺾⻂⻅⻆⻈⻉⻋⻌⻐⻑⻒⻓⻔⻖⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⻳"),
        "乛乚亻刂㔾尣尢巳幺彑彐忄扌攵旡歺母民氵灬爫丬犭礻糹纟罓㓁耂肀艹衤见角讠贝车辶钅長镸长门阝青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀龟",
        strict=True,
    )
)
_RADICALS_SUPPLEMENT[0x2F3E] = "户"  # ⼾: NFKC gives the traditional 戶; simplified-Chinese fonts draw 户
_RADICAL_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


def fix_radicals(text: str) -> tuple[str, int]:
    """Map Kangxi/supplement radicals and compatibility ideographs to the unified ideographs; return the count."""
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        ch = m.group()
        mapped = _RADICALS_SUPPLEMENT.get(ord(ch)) or unicodedata.normalize("NFKC", ch)
        if mapped != ch:
            count += 1
        return mapped

    return _RADICAL_RE.sub(repl, text), count


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# --- characters and lines ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Font:
    family: str
    bold: bool


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    font: _Font


@dataclass(slots=True)
class _Line:
    page: int
    chars: list[_Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    base: float = 0.0  # the line's lower edge, used as its baseline
    size: float = 0.0

    def finish(self) -> None:
        cs = self.chars
        self.x0 = min(c.x0 for c in cs)
        self.x1 = max(c.x1 for c in cs)
        self.top = max(c.top for c in cs)
        self.bottom = min(c.bottom for c in cs)
        self.base = statistics.median(c.bottom for c in cs)
        visible = [c.size for c in cs if not c.ch.isspace()] or [cs[0].size]
        self.size = statistics.median(visible)
        self.text = _line_text(cs)


def _line_text(chars: list[_Char]) -> str:
    """Join a line's characters; a gap wider than a space between Latin words or cells becomes a space."""
    out: list[str] = []
    prev: _Char | None = None
    for c in chars:
        if c.ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None and out and out[-1] != " ":
            gap = c.x0 - prev.x1
            em = max(prev.size, c.size, 1.0)
            if gap > 1.5 * em or (gap > 0.2 * em and (_is_word(prev.ch[-1]) or _is_word(c.ch[0]))):
                out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out).strip()


class _FontCache:
    """Font facts per PDFium text object (one object shares one font and one render mode).

    Handles are addresses that PDFium reuses once a page is closed: make one cache per page.
    """

    def __init__(self) -> None:
        self._by_obj: dict[int, _Font] = {}
        self._by_font: dict[int, tuple[str, bool]] = {}

    def get(self, obj: Any) -> _Font:
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        font = self._by_obj.get(key)
        if font is None:
            font = self._by_obj[key] = self._read(obj) if key else _Font("", False)
        return font

    def _read(self, obj: Any) -> _Font:
        handle = pdfium_c.FPDFTextObj_GetFont(obj)
        fkey = ctypes.cast(handle, ctypes.c_void_p).value or 0
        known = self._by_font.get(fkey)
        if known is None:
            name = ""
            n = pdfium_c.FPDFFont_GetBaseFontName(handle, None, 0) if fkey else 0
            if n > 0:
                buf = ctypes.create_string_buffer(n)
                pdfium_c.FPDFFont_GetBaseFontName(handle, buf, n)
                name = buf.value.decode("utf-8", "replace")
            name = _SUBSET.sub("", name)
            weight = pdfium_c.FPDFFont_GetWeight(handle) if fkey else -1
            flags = pdfium_c.FPDFFont_GetFlags(handle) if fkey else 0
            bold = weight >= 600 or bool(flags & _FORCE_BOLD) or bool(_BOLD_NAME.search(name))
            family = _STYLE_SUFFIX.sub("", name.split(",")[0]).lower()
            known = self._by_font[fkey] = (family, bold)
        family, bold = known
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
        return _Font(family, bold or mode in _FILL_STROKE_MODES)


def _page_chars(textpage: Any, fonts: _FontCache) -> tuple[list[_Char], int]:
    """The visible characters of a page in PDFium's order, and how many had no Unicode mapping."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    chars: list[_Char] = []
    unmapped = 0
    for i in range(max(0, n)):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code < 0x20 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or code > 0x10FFFF:
            continue
        if pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1:
            unmapped += 1
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, i)
        if pdfium_c.FPDFText_GetMatrix(raw, i, matrix):
            size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        chars.append(_Char(chr(code), rect.left, rect.right, rect.bottom, rect.top, size, fonts.get(obj)))
    return chars, unmapped


def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Group characters into lines: a new line where the baseline moves or the pen jumps back left."""
    lines: list[_Line] = []
    cur: list[_Char] = []
    lo = hi = 0.0
    for c in chars:
        if cur:
            mid = (c.bottom + c.top) / 2
            last = cur[-1]
            same_row = lo - 0.1 * (hi - lo) <= mid <= hi + 0.1 * (hi - lo)
            back = c.x0 < last.x0 - 0.5 * max(c.size, 1.0)
            if same_row and not back:
                cur.append(c)
                lo, hi = min(lo, c.bottom), max(hi, c.top)
                continue
            lines.append(_Line(page, cur))
        cur = [c]
        lo, hi = c.bottom, c.top
    if cur:
        lines.append(_Line(page, cur))
    out: list[_Line] = []
    for line in lines:
        line.finish()
        if line.text:
            out.append(line)
    return out


def _has_images(page: Any) -> bool:
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i))
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


@dataclass(slots=True)
class _Scan:
    pages: list[list[_Line]] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)  # 1-based numbers of image pages without text
    broken: list[int] = field(default_factory=list)  # pages PDFium could not load
    unmapped: int = 0  # characters without a Unicode mapping
    total: int = 0  # visible characters


def _scan(pdf: Any) -> _Scan:
    out = _Scan()
    for p in range(len(pdf)):
        try:
            page = pdf[p]
        except pdfium.PdfiumError:
            out.broken.append(p + 1)
            out.pages.append([])
            continue
        try:
            textpage = page.get_textpage()
            try:
                chars, bad = _page_chars(textpage, _FontCache())
            finally:
                textpage.close()
            visible = sum(1 for c in chars if not c.ch.isspace())
            if visible < _MIN_PAGE_CHARS and _has_images(page):
                out.scanned.append(p + 1)
        finally:
            page.close()
        out.unmapped += bad
        out.total += visible
        out.pages.append(_lines(chars, p))
    return out
