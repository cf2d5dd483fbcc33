"""PDF → Markdown-shaped text with PDFium (pypdfium2): characters with positions and fonts, then layout.

Why PDFium (measured on tests/data/plan.pdf, the plan typeset as 19 pages, on the shared 2-core machine):
- speed: PDFium plain text 550–1,100 pages/s, this reader with per-character boxes and fonts 70–100
  pages/s (0.2–0.3 s for the plan); pdfplumber 26–41 pages/s (`page.chars` / `extract_text`), pdfminer.six
  45–70 pages/s;
- it reads CFF-based ("CID Type 0C") CJK fonts such as Noto/Source Han as embedded by fpdf2: pdfminer.six
  (and so pdfplumber) returns *no characters at all* for them, and lost every heading set in such a font;
- character order: the same text as the Markdown (order-match 0.99 of the plan's characters, the rest is
  page furniture) for both libraries on single-column text;
- Kangxi radicals: both pass through whatever the ToUnicode map says (a Qt + Noto CJK PDF gives ⼀ U+2F00
  for 一 and ⻓ U+2ED3 for 长 in both): they are mapped back here (`fix_radicals`);
- size: pypdfium2 is one 4.0 MB wheel (9 MB installed, no dependencies); pdfplumber + pdfminer.six are
  6.7 MB plus cryptography/cffi (~16 MB installed).

The layout pass:
1. characters → lines (a new line where the baseline changes or the pen jumps back to the left);
2. running headers/footers (the same text, digits aside, at the same height at the top or bottom of many
   pages) and page numbers (`— 1 —`, `-1-`, `第 1 页 共 9 页`, `1/9`, a bare number) are dropped;
3. lines → paragraphs: a line that ends near the right edge continues on the next line (also across a page
   break); an indented first line, a numbering label (一、 （一） 1. （1） ① 第X条), a change of font size or
   weight, or a wide vertical gap starts a new paragraph;
4. a larger font becomes a `#` heading, a paragraph set wholly in bold (weight, a ",Bold" name, a stroked
   "fake bold", or another CJK typeface than the body's, e.g. 黑体 in a 仿宋 text) becomes `**…**`, and a
   bold run that opens a paragraph (a plan's task heading) becomes `**lead**rest`.

What it cannot read: scanned pages (no text layer: refused or warned, no OCR), text drawn as outlines,
vertical (竖排) text, multi-column layouts (columns come out interleaved where PDFium orders them so),
tables (cells come out as text separated by spaces, not as `|` rows), fonts without a Unicode map
(a warning: the text may be garbled).
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import re
import statistics
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.core.errors import ReadError
from app.core.read.decode import Decoded, mojibake_warnings

log = logging.getLogger("policydesk.read.pdf")
# PDFium is not thread-safe: one document at a time per process (imports may run in worker threads).
_PDFIUM_LOCK = threading.Lock()

MSG_NOT_PDF = "文件不是有效的 PDF（可能是其他格式的文件改了扩展名）"
MSG_DAMAGED = "PDF 文件已损坏，无法读取"
MSG_TRUNCATED = "PDF 文件已损坏（文件不完整，可能下载或复制未完成）"
MSG_ENCRYPTED = "PDF 已加密，无法读取，请先解除密码后再导入"
MSG_SCANNED = "该 PDF 为扫描件，没有文字层，暂不支持（需要先做文字识别 OCR）"
MSG_NO_TEXT = "PDF 中没有可提取的文字"

# A page with fewer visible characters than this has "no text layer" (a scan may carry a page number).
_MIN_PAGE_CHARS = 20
_FULL_SLACK_EM = 0.6  # a line is full when the next line's first word would not fit in its remaining space
_INDENT_EM = 0.8
_GAP_FACTOR = 1.45  # a baseline distance this much above the usual one is a paragraph gap
_HEADING_RATIO = 1.18  # font size over the body size that makes a heading
_EDGE_LINES = 2  # header/footer candidates: this many lines at the top and at the bottom of a page
_REPEAT_SHARE = 0.4  # ... repeated on at least this share of the pages (and on two pages at least)

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~_·•\s]*\d{1,4}[-—–－~_·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/／、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,/／、]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)
_DIGITS = re.compile(r"\d+")
_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十百]{1,4}\s*、|[（(]\s*[一二三四五六七八九十百\d]{1,4}\s*[）)]|\d{1,3}\s*[.．、](?!\d)"
    r"|[①-⑳⑴-⒇]|第[零〇一二三四五六七八九十百千两\d]{1,12}[编章节条款]|附件\s*\d*[:：]?$)"
)
_FINAL = frozenset("。！？；：!?;:…")
_NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%％‰,.;:?!)]}")
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


# --- running headers, footers and page numbers ------------------------------------------------------------


def _strip_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and lines repeated at the same top/bottom position on many pages."""
    n_pages = sum(1 for p in pages if p)
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p, lines in enumerate(pages):
        for line in _edge_lines(lines):
            seen[_DIGITS.sub("#", line.text.replace(" ", ""))].append((p, line.base))
    repeated: set[tuple[str, int]] = set()
    for key, hits in seen.items():
        # Same text at the same height (within a few points) on enough pages.
        heights = Counter(round(y / 4) for _, y in hits)
        for bucket, _count in heights.items():
            near = {p for p, y in hits if abs(round(y / 4) - bucket) <= 1}
            if len(near) >= 2 and len(near) >= _REPEAT_SHARE * n_pages:
                repeated.update((key, p) for p in near)
    out: list[list[_Line]] = []
    for p, lines in enumerate(pages):
        edge = {id(x) for x in _edge_lines(lines)}
        kept = [
            line
            for line in lines
            if id(line) not in edge
            or not (
                _PAGE_NUMBER.match(line.text)
                or (_DIGITS.sub("#", line.text.replace(" ", "")), p) in repeated
            )
        ]
        out.append(kept)
    return out


def _edge_lines(lines: list[_Line]) -> list[_Line]:
    if len(lines) <= 2 * _EDGE_LINES:
        return list(lines)
    by_height = sorted(lines, key=lambda x: -x.top)
    return by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]


# --- paragraphs ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Layout:
    body_size: float
    body_family: str
    left: dict[int, float]  # page → left edge of the text block
    right: dict[int, float]  # page → right edge
    pitch: float  # usual baseline distance between two lines of a paragraph


def _quantile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def _layout(pages: list[list[_Line]]) -> _Layout:
    sizes: Counter[float] = Counter()
    families: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            for c in line.chars:
                if not c.ch.isspace():
                    sizes[round(c.size * 2) / 2] += 1
                    if not c.ch.isascii():
                        families[c.font.family] += 1
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    body_family = families.most_common(1)[0][0] if families else ""
    body = [ln for lines in pages for ln in lines if abs(ln.size - body_size) <= 0.6]
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    all_x0 = Counter(round(ln.x0) for ln in body)
    glob_left = float(all_x0.most_common(1)[0][0]) if all_x0 else 0.0
    glob_right = _quantile([ln.x1 for ln in body], 0.9) if body else 0.0
    by_parity: dict[int, list[_Line]] = defaultdict(list)
    for ln in body:
        by_parity[ln.page % 2].append(ln)
    parity_right = {k: _quantile([ln.x1 for ln in v], 0.9) for k, v in by_parity.items() if len(v) >= 20}
    parity_left = {k: float(Counter(round(ln.x0) for ln in v).most_common(1)[0][0])
                   for k, v in by_parity.items() if len(v) >= 20}
    for p in range(len(pages)):
        left[p] = parity_left.get(p % 2, glob_left)
        right[p] = parity_right.get(p % 2, glob_right)
    pitches = [
        round(a.base - b.base, 1)
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and abs(a.size - body_size) <= 0.6 and abs(b.size - body_size) <= 0.6 and a.base > b.base
    ]
    pitch = statistics.median(pitches) if pitches else body_size * 1.5
    return _Layout(body_size, body_family, left, right, pitch)


@dataclass(slots=True)
class _Para:
    lines: list[_Line] = field(default_factory=list)


def _first_token_width(line: _Line) -> float:
    """Width of what a line breaker had to move to this line: a Latin word, or a character plus the
    punctuation that may not start a line (避头尾)."""
    cs = [c for c in line.chars if not c.ch.isspace()]
    if not cs:
        return 0.0
    end = 1
    if _is_word(cs[0].ch):
        while end < len(cs) and (_is_word(cs[end].ch) or cs[end].ch in ".,%-/") and cs[end].x0 - cs[end - 1].x1 < 0.2 * cs[end].size:
            end += 1
    while end < len(cs) and cs[end].ch in _NO_START:
        end += 1
    return cs[end - 1].x1 - cs[0].x0


def _is_big(line: _Line, lay: _Layout) -> bool:
    return line.size >= lay.body_size * _HEADING_RATIO


def _emphasis(c: _Char, lay: _Layout) -> bool | None:
    """True: bold or another CJK typeface than the body's; False: plain; None: neutral (space, ASCII)."""
    if c.ch.isspace():
        return None
    if c.font.bold:
        return True
    if c.ch.isascii():
        return None
    return bool(lay.body_family) and c.font.family != lay.body_family


def _style(line: _Line, lay: _Layout) -> str:
    if _is_big(line, lay):
        return f"big{round(line.size)}"
    flags = [_emphasis(c, lay) for c in line.chars]
    marked = [f for f in flags if f is not None]
    return "bold" if marked and all(marked) else "text"


def _opens_bold(line: _Line, lay: _Layout) -> bool:
    first = next((f for f in (_emphasis(c, lay) for c in line.chars) if f is not None), None)
    return bool(first)


def _continues(prev: _Line, line: _Line, para: _Para, lay: _Layout) -> bool:
    """Whether `line` continues the paragraph that `prev` (its last line so far) belongs to."""
    style = _style(line, lay)
    prev_style = _style(prev, lay)
    if style != prev_style and not (prev_style == "bold" and style == "text" and _opens_bold(line, lay)):
        return False  # (a bold lead that wraps onto a mixed line is one paragraph)
    em = max(line.size, 1.0)
    if style.startswith("big"):
        # Title lines: same size, close together, same page.
        return prev.page == line.page and prev.base - line.base <= 1.8 * prev.size
    if _LABEL.match(line.text):
        return False
    if prev.page == line.page and prev.base - line.base > _GAP_FACTOR * lay.pitch:
        return False
    if prev.page == line.page and prev.base <= line.base:
        return False  # the pen moved up: another block (a column, a text box)
    room = lay.right[prev.page] - prev.x1
    if room > _first_token_width(line) + _FULL_SLACK_EM * em:
        return False  # the previous line stopped short of the edge: it ended its paragraph
    base_left = lay.left[line.page]
    if len(para.lines) >= 2:
        base_left = para.lines[1].x0 if para.lines[1].page == line.page else base_left
    if line.x0 > base_left + _INDENT_EM * em:
        # Indented: a new paragraph's first line, unless the paragraph is a block indented as a whole.
        one_line_block = len(para.lines) == 1 and abs(line.x0 - prev.x0) <= 0.5 * em
        return one_line_block and prev.text[-1] not in _FINAL
    return True


def _join(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        if out and part and _is_word(out[-1]) and _is_word(part[0]):
            out += " " + part
        else:
            out += part
    return out


def _render(para: _Para, lay: _Layout, title_size: float | None) -> str:
    lines = para.lines
    text = _join([ln.text for ln in lines])
    first = lines[0]
    if _is_big(first, lay):
        level = 1 if title_size is not None and first.size >= title_size - 0.5 else 2
        return "#" * level + " " + text
    chars = [c for ln in lines for c in ln.chars]
    flags = [_emphasis(c, lay) for c in chars]
    marked = [f for f in flags if f is not None]
    if not marked or not any(marked):
        return text
    if all(marked):
        return f"**{text}**"
    # A leading bold run (a task heading such as **健全碳排放双控制度体系。**): up to its last bold character.
    last = -1
    for i, f in enumerate(flags):
        if f is False:
            break
        if f:
            last = i
    lead_chars = chars[: last + 1]
    if sum(1 for c in lead_chars if _is_cjk(c.ch)) < 2:
        return text
    lead = _line_text(lead_chars)
    if not text.startswith(lead):
        return text
    return f"**{lead}**{text[len(lead):]}"


def _paragraphs(pages: list[list[_Line]], lay: _Layout) -> list[_Para]:
    paras: list[_Para] = []
    cur: _Para | None = None
    for lines in pages:
        for line in lines:
            if cur is not None and _continues(cur.lines[-1], line, cur, lay):
                cur.lines.append(line)
            else:
                cur = _Para([line])
                paras.append(cur)
    return paras


# --- the document ----------------------------------------------------------------------------------------


def _open(data: bytes) -> Any:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(MSG_NOT_PDF, detail="no %PDF- header")
    # PDF 1.7 §7.5.5 (implementation note): readers look for %%EOF in the last 1024 bytes. Without it the
    # file was cut off; PDFium may still "repair" it and silently return only the first pages.
    if b"%%EOF" not in data.rstrip(b" \t\r\n\x00")[-1024:]:
        raise ReadError(MSG_TRUNCATED, detail="no %%EOF at the end")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ReadError(MSG_ENCRYPTED, detail=str(exc)) from exc
        raise ReadError(MSG_DAMAGED, detail=str(exc)) from exc


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


def _pages_text(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown + ("等" if len(numbers) > 10 else "")


def read_pdf(path: Path, data: bytes) -> Decoded:
    """Read a PDF's text layer as Markdown-shaped text (headings, bold paragraphs, one paragraph a line).

    Raises:
        ReadError: not a PDF, damaged or truncated, encrypted, scanned (no text layer) or without text.
    """
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            n_pages = len(pdf)
            if n_pages == 0:
                raise ReadError(MSG_DAMAGED, detail="no pages")
            scan = _scan(pdf)
        finally:
            pdf.close()
    if len(scan.broken) == n_pages:
        raise ReadError(MSG_DAMAGED, detail="no page could be loaded")
    if scan.total < _MIN_PAGE_CHARS * n_pages / 4 and scan.scanned:
        raise ReadError(MSG_SCANNED, detail=f"{scan.total} characters on {n_pages} pages")
    if not scan.total:
        raise ReadError(MSG_NO_TEXT, detail=f"{n_pages} pages")
    warnings: list[str] = []
    if scan.broken:
        warnings.append(f"PDF 第 {_pages_text(scan.broken)} 页已损坏，这些页的内容未导入")
    if scan.scanned:
        warnings.append(f"PDF 第 {_pages_text(scan.scanned)} 页没有文字层（可能是扫描页），这些页的内容未导入")
    if scan.unmapped > 0.02 * scan.total:
        warnings.append("PDF 的部分字体缺少文字编码映射，提取的文字可能是乱码，请核对")
    pages = scan.pages
    pages = _strip_furniture(pages)
    lay = _layout(pages)
    first_page = next((lines for lines in pages if lines), [])
    big = [ln.size for ln in first_page if _is_big(ln, lay)]
    title_size = max(big) if big else None
    paras = _paragraphs(pages, lay)
    text = "\n\n".join(_render(p, lay, title_size) for p in paras) + "\n"
    text, radicals = fix_radicals(text)
    if radicals:
        log.info("%s: %d radical/compatibility code points mapped to ideographs", path.name, radicals)
    warnings.extend(mojibake_warnings(text))
    return Decoded(text, "pdf", tuple(warnings))
