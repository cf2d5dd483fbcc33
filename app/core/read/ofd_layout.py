"""OFD text layout: glyph runs placed in millimetres → lines by baseline → paragraphs by the page's text
margins (also across pages), page numbers at the page edges dropped, headings and bold marked."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from app.core.read.ofd_package import _child, _children, _float, _floats, _local

# A TextCode never holds more glyph positions than characters; "g 100000000 1" must not allocate them.
_WIDE_RANGES = (("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\uff00", "\uffef"), ("\u3000", "\u303f"))
_LEAD_END = "。！？；：:"
_SENTENCE_END = "。！？；：:…”」』）)"
_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十百]{1,4}、|[（(][一二三四五六七八九十百\d]{1,4}[）)]|\d{1,3}[.．、](?!\d)|[①-⑳])"
)
_PAGE_NUMBER = re.compile(
    r"^[\s\-—－–·.]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—－–·.]*$"
)
_BOLD_FONT = re.compile(r"黑体|hei|bold|black|heavy|粗", re.IGNORECASE)


def _is_wide(ch: str) -> bool:
    return any(lo <= ch <= hi for lo, hi in _WIDE_RANGES)


# --- glyph runs -----------------------------------------------------------------------------------


@dataclass
class _Run:
    x0: float
    x1: float
    y: float
    size: float
    text: str
    bold: bool
    font: str


@dataclass
class _Line:
    runs: list[_Run]
    pieces: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def y(self) -> float:
        return self.runs[0].y

    @property
    def size(self) -> float:
        return max(r.size for r in self.runs)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)


def _deltas(spec: str | None, count: int) -> list[float]:
    """Expand a DeltaX/DeltaY list ("g 3 3.5" repeats 3.5 three times) to at most `count` values."""
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens) and len(out) < count:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                times, value = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([value] * max(0, min(times, count - len(out))))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


def _glyph_width(ch: str, size: float) -> float:
    return size if _is_wide(ch) else size * 0.5


def _text_object_runs(obj: ET.Element, fonts: dict[str, tuple[str, bool]], runs: list[_Run]) -> None:
    box = _floats(obj.get("Boundary"))
    ox, oy = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    ctm = _floats(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    size = (_float(obj.get("Size"), 3.5) or 3.5) * scale
    font_name, font_bold = fonts.get(obj.get("Font") or "", ("", False))
    weight = _float(obj.get("Weight"), 400.0) or 400.0
    bold = font_bold or weight >= 600  # bold-looking families are judged later against the body font
    cur_x = cur_y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        if not text:
            continue
        cur_x = _float(code.get("X"), cur_x) or 0.0
        cur_y = _float(code.get("Y"), cur_y) or 0.0
        dx = _deltas(code.get("DeltaX"), len(text) - 1)
        dy = _deltas(code.get("DeltaY"), len(text) - 1)
        if dy and not dx:  # vertical text: one run per glyph
            for i, ch in enumerate(text):
                y = cur_y + sum(dy[:i])
                px, py = ox + a * cur_x + c * y + e, oy + b * cur_x + d * y + f
                runs.append(_Run(px, px + _glyph_width(ch, size), py, size, ch, bold, font_name))
            continue
        # Split where the glyph advance leaves a wide gap (table columns drawn by one TextCode).
        chars: list[str] = []
        x = cur_x
        start_x = x
        for i, ch in enumerate(text):
            chars.append(ch)
            advance = dx[i] if i < len(dx) else _glyph_width(ch, size / scale)
            if i < len(text) - 1 and advance * scale > _glyph_width(ch, size) + 1.5 * size:
                chars.append(" ")
            x += advance
        end_x = cur_x + sum(dx[: len(text) - 1]) + _glyph_width(text[-1], size / scale)
        px0, py = ox + a * start_x + c * cur_y + e, oy + b * start_x + d * cur_y + f
        px1 = ox + a * end_x + c * cur_y + e
        runs.append(_Run(min(px0, px1), max(px0, px1), py, size, "".join(chars), bold, font_name))
        cur_x = x


def _collect_runs(content: ET.Element, fonts: dict[str, tuple[str, bool]]) -> list[_Run]:
    runs: list[_Run] = []
    body = _child(content, "Content")
    stack = list(reversed(_children(body, "Layer"))) if body is not None else []
    while stack:
        el = stack.pop()
        for child in el:
            name = _local(child.tag)
            if name == "TextObject":
                _text_object_runs(child, fonts, runs)
            elif name in ("PageBlock", "CompositeObject", "Layer"):
                stack.append(child)
    return runs


# --- lines and paragraphs -------------------------------------------------------------------------


def _lines(runs: list[_Run]) -> list[_Line]:
    """Group runs into lines by baseline; order lines top to bottom and runs left to right."""
    lines: list[_Line] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x0)):
        if lines and abs(run.y - lines[-1].y) <= 0.45 * max(run.size, lines[-1].size):
            lines[-1].runs.append(run)
        else:
            lines.append(_Line([run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x0)
        kept: list[_Run] = []
        for run in line.runs:
            # Fake bold drawn twice with a tiny offset, or a shadow copy: keep one.
            if kept and run.text == kept[-1].text and abs(run.x0 - kept[-1].x0) < 0.3 * run.size:
                kept[-1].bold = True
                continue
            if kept and run.x0 - kept[-1].x1 > 1.2 * run.size:
                line.pieces.append((" ", run.bold))
            kept.append(run)
            line.pieces.append((run.text, run.bold))
        line.runs = kept
    return lines


@dataclass
class _Page:
    lines: list[_Line]
    left: float
    right: float


def _page(runs: list[_Run], box: tuple[float, float, float, float]) -> _Page:
    top, height = box[1], box[3]
    lines = []
    for line in _lines(runs):
        edge = line.y < top + 0.12 * height or line.y > top + 0.85 * height
        if edge and _PAGE_NUMBER.match(line.text.strip()):
            continue
        if line.text.strip():
            lines.append(line)
    left = min((ln.x0 for ln in lines), default=0.0)
    right = max((ln.x1 for ln in lines), default=0.0)
    return _Page(lines, left, right)


def _continues(prev: _Line, prev_page: _Page, line: _Line, page: _Page, same_page: bool) -> bool:
    size = prev.size
    if abs(line.size - size) > 0.15 * size:
        return False
    if same_page and not 0 < line.y - prev.y <= 2.5 * size:
        return False
    if prev.x1 < prev_page.right - 1.5 * size or line.x0 > page.left + 0.5 * size:
        return False
    prev_text = prev.text.rstrip()
    return not (prev_text and prev_text[-1] in _SENTENCE_END and _ITEM.match(line.text.lstrip()))


def _render(pieces: list[tuple[str, bool]], heading: int) -> str:
    text = "".join(t for t, _ in pieces).strip()
    if heading:
        return "#" * heading + " " + text
    visible = [b for t, b in pieces if t.strip()]
    if visible and all(visible):
        return f"**{text}**"
    prefix: list[str] = []
    for t, b in pieces:
        if not b and t.strip():
            break
        prefix.append(t)
    bold_text = "".join(prefix).lstrip()
    cut = max(bold_text.rfind(ch) for ch in _LEAD_END)
    if cut >= 1:
        lead = bold_text[: cut + 1].strip()
        rest = text[len(lead) :].strip() if text.startswith(lead) else ""
        if rest:
            return f"**{lead}**{rest}"
    return text


def _paragraphs(pages: list[_Page]) -> list[str]:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for run in line.runs:
                sizes[round(run.size, 1)] += len(run.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    largest = max(sizes, default=0.0)
    out: list[str] = []
    cur: list[tuple[str, bool]] = []
    cur_heading = 0
    prev: tuple[_Line, _Page] | None = None
    for page in pages:
        for line in page.lines:
            heading = 0
            if body and line.size >= 1.25 * body:
                heading = 1 if line.size >= 0.95 * largest else 2
            pieces = line.pieces
            joined = (
                prev is not None
                and cur
                and heading == cur_heading
                and _continues(prev[0], prev[1], line, page, same_page=prev[1] is page)
            )
            if joined:
                cur.extend(pieces)
            else:
                if cur:
                    out.append(_render(cur, cur_heading))
                cur = list(pieces)
                cur_heading = heading
            prev = (line, page)
    if cur:
        out.append(_render(cur, cur_heading))
    return [p for p in out if p.strip("# *")]


def _mark_bold_fonts(page_runs: list[list[_Run]]) -> None:
    """A bold family (黑体, …Bold) marks emphasis unless it is the body font (a document set all in 黑体)."""
    fonts: Counter[str] = Counter()
    for runs in page_runs:
        for run in runs:
            fonts[run.font] += len(run.text)
    body_font = fonts.most_common(1)[0][0] if fonts else ""
    for runs in page_runs:
        for run in runs:
            if run.font != body_font and _BOLD_FONT.search(run.font):
                run.bold = True
