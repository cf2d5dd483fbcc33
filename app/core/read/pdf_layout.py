"""The layout pass of the PDF reader: lines (`pdf_text`) → Markdown-shaped paragraphs.

Running headers/footers and page numbers are dropped; lines join into paragraphs where a line ends near the
right edge; a larger font becomes a `#` heading, a paragraph set wholly in bold `**…**`, a bold lead
`**lead**rest` (see the steps in `pdf`'s docstring).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from app.core.read.pdf_text import _Char, _is_cjk, _is_word, _Line, _line_text

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


def layout_text(pages: list[list[_Line]]) -> str:
    """The Markdown-shaped text of a document's lines (one list per page): page furniture dropped, lines
    joined into paragraphs, headings and bold marked."""
    pages = _strip_furniture(pages)
    lay = _layout(pages)
    first_page = next((lines for lines in pages if lines), [])
    big = [ln.size for ln in first_page if _is_big(ln, lay)]
    title_size = max(big) if big else None
    paras = _paragraphs(pages, lay)
    return "\n\n".join(_render(p, lay, title_size) for p in paras) + "\n"
