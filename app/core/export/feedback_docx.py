"""The 意见反馈表 as Word (.docx): A4 landscape, one table per document (each from a new page, with its own title
and 填报单位 line), the header row repeated on every page (w:tblHeader), fixed column widths that fill the
type area, single-line borders, page numbers in the footer.

Fonts as `docx_writer` writes them (every script named on styles and runs, theme fonts removed, the font table
naming fallbacks): title 方正小标宋简体 二号, 填报 line 仿宋_GB2312 四号, header 黑体 小四, cells 仿宋_GB2312 小四.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.core.export.docx_writer import (
    Role,
    _child,
    _field_run,
    _run,
    _set_lang,
    _setup_font_table,
    _style_run_props,
    set_fonts,
)
from app.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from app.core.export.feedback import FeedbackTable

PAGE_MM = (297, 210)  # A4 landscape
MARGINS_MM = (25, 22, 22, 22)  # top, bottom, left, right: a type area 253 mm wide
COLUMNS_MM = (12, 46, 82, 57, 56)  # 序号, 位置, 原文内容, 修改意见, 修改理由: 253 mm
TITLE = Role("方正小标宋简体", 22)
FIELDS = Role("仿宋_GB2312", 14)
HEAD = Role("黑体", 12)
BODY = Role("仿宋_GB2312", 12)
PAGE = Role("宋体", 12)
BODY_LINE_PT = 19  # exact line height in the cells
TWIPS_PER_MM = 1440 / 25.4
PT_PER_MM = 72 / 25.4
CELL_MARGIN_MM = 3  # left + right padding of a cell
# A short row (a quarter page or less) never breaks across pages; longer ones may, rather than leave half a
# page blank before them (a whole clause can outgrow a page anyway).
KEEP_ROW_PT = 0.25 * (PAGE_MM[1] - MARGINS_MM[0] - MARGINS_MM[1]) * PT_PER_MM


def _twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def _setup(doc: Any) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, BODY.east_asia)
    _child(rpr, "w:sz").set(qn("w:val"), str(int(BODY.size * 2)))
    _child(rpr, "w:szCs").set(qn("w:val"), str(int(BODY.size * 2)))
    _set_lang(rpr)
    normal = doc.styles["Normal"]
    _style_run_props(normal, BODY)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(BODY_LINE_PT)
    fmt.first_line_indent = Pt(0)
    _setup_font_table(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    p = section.footer.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(p, "第 ", PAGE)
    for field in ("PAGE", "NUMPAGES"):
        for kind, text in (("begin", ""), ("instr", f" {field} "), ("separate", ""), ("text", "1"), ("end", "")):
            _field_run(p, PAGE, kind, text)
        _run(p, " 页，共 " if field == "PAGE" else " 页", PAGE)


def _paragraph(doc: Any, text: str, role: Role, *, line_pt: float, align: Any, after_pt: float = 0,
               page_break: bool = False) -> Any:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line_pt)
    fmt.space_after = Pt(after_pt)
    fmt.page_break_before = page_break
    fmt.keep_with_next = True
    if text:
        _run(p, text, role)
    return p


def _borders(tbl_pr: Any) -> None:
    borders = _child(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = _child(borders, f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")


def _table_props(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    width = _child(tbl_pr, "w:tblW")
    width.set(qn("w:w"), _twips(sum(COLUMNS_MM)))
    width.set(qn("w:type"), "dxa")
    _child(tbl_pr, "w:jc").set(qn("w:val"), "center")
    _borders(tbl_pr)
    _child(tbl_pr, "w:tblLayout").set(qn("w:type"), "fixed")
    margins = _child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        el = _child(margins, f"w:{side}")
        el.set(qn("w:w"), "85")  # 1.5 mm
        el.set(qn("w:type"), "dxa")
    for col, mm in zip(table.columns, COLUMNS_MM, strict=True):
        col.width = Mm(mm)


def _row_flag(row: Any, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def segments(text: str, span: tuple[int, int] | None) -> list[list[tuple[str, bool]]]:
    """`text` as lines of (piece, emphasised) runs: the characters inside `span` are emphasised."""
    out: list[list[tuple[str, bool]]] = []
    pos = 0
    for line in text.split("\n"):
        runs: list[tuple[str, bool]] = []
        start, end = pos, pos + len(line)
        if span is None or span[1] <= start or span[0] >= end:
            runs.append((line, False))
        else:
            a, b = max(span[0], start) - start, min(span[1], end) - start
            runs += [(piece, emph) for piece, emph in ((line[:a], False), (line[a:b], True), (line[b:], False))
                     if piece]
        out.append(runs)
        pos = end + 1
    return out


def row_height_pt(cells: Sequence[str], size_pt: float = BODY.size) -> float:
    """Roughly how high a row prints: the most wrapped lines of its cells (a CJK character is one em wide,
    a Latin letter or digit about half)."""
    most = 1
    for text, mm in zip(cells, COLUMNS_MM, strict=True):
        width = (mm - CELL_MARGIN_MM) * PT_PER_MM
        lines = 0
        for line in text.split("\n"):
            ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in line)
            lines += max(1, math.ceil(ems * size_pt / width))
        most = max(most, lines)
    return most * BODY_LINE_PT


def _fill(cell: Any, text: str, role: Role, *, align: Any, span: tuple[int, int] | None = None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = segments(text, span) or [[("", False)]]
    for i, runs in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.paragraph_format.alignment = align
        for piece, emph in runs or [("", False)]:
            run = _run(p, piece, role)
            if emph:
                run.font.bold = True
                run.font.underline = True


def _table(doc: Any, t: FeedbackTable, done: int, total: int, progress: Progress | None,
           cancel: CancelToken | None) -> int:
    from app.core.export.feedback import HEADERS

    table = doc.add_table(rows=1, cols=len(HEADERS))
    _table_props(table)
    head = table.rows[0]
    _row_flag(head, "w:tblHeader")  # repeated at the top of every page
    _row_flag(head, "w:cantSplit")
    for cell, name, mm in zip(head.cells, HEADERS, COLUMNS_MM, strict=True):
        cell.width = Mm(mm)
        _fill(cell, name, HEAD, align=WD_ALIGN_PARAGRAPH.CENTER)
    for r in t.rows:
        if cancel is not None and done % 20 == 0:
            cancel.check()
        row = table.add_row()
        if row_height_pt(r.cells) <= KEEP_ROW_PT:
            _row_flag(row, "w:cantSplit")
        cells = row.cells
        for i, (cell, value, mm) in enumerate(zip(cells, r.cells, COLUMNS_MM, strict=True)):
            cell.width = Mm(mm)
            # left, not justified: a narrow column would stretch the gaps around quotes and 《》
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _fill(cell, value, BODY, align=align, span=r.emphasis if i == 2 else None)
        done += 1
        if progress is not None:
            progress(done, total, "正在生成意见反馈表…")
    return done


def render_docx(tables: Sequence[FeedbackTable], *, progress: Progress | None = None,
                cancel: CancelToken | None = None) -> bytes:
    doc = Document()
    _setup(doc)
    body = doc.element.body
    for p in list(doc.paragraphs):  # the template's empty first paragraph
        body.remove(p._p)
    doc.core_properties.title = tables[0].title if len(tables) == 1 else "意见反馈表"
    doc.core_properties.author = "政策案头 PolicyDesk"
    doc.core_properties.language = "zh-CN"
    done, total = 0, sum(len(t.rows) for t in tables)
    for n, t in enumerate(tables):
        _paragraph(doc, t.title, TITLE, line_pt=36, align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=10, page_break=n > 0)
        fields = _paragraph(doc, "", FIELDS, line_pt=28, align=WD_ALIGN_PARAGRAPH.LEFT, after_pt=6)
        for i, (label, value) in enumerate(t.fields):
            _run(fields, ("　　" if i else "") + f"{label}：{value}", FIELDS)
        done = _table(doc, t, done, total, progress, cancel)
    # Word wants a paragraph after a table at the end of the body; keep it one point high.
    tail = doc.add_paragraph()
    tail.paragraph_format.line_spacing_rule, tail.paragraph_format.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
