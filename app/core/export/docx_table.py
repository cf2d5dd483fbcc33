"""Word (.docx) pieces shared by the table exports (新旧对照表, 意见反馈表): an A4 landscape document with a
page-number footer, exact-height paragraphs, a fixed-width bordered table whose header row repeats on every
page (w:tblHeader), body rows kept together when short, and the rough printed height of a row.

Fonts as `docx_writer` writes them: every script named on the defaults, styles and runs, theme fonts removed,
the font table naming fallbacks.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

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

LANDSCAPE_A4_MM = (297, 210)
AUTHOR = "政策案头 PolicyDesk"


def twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def new_document(title: str, *, body: Role, body_line_pt: float, margins_mm: tuple[float, float, float, float],
                 header_footer_mm: float, page_role: Role) -> Any:
    """An empty A4 landscape document: `body` as the default and Normal font with exact `body_line_pt` lines,
    `margins_mm` (top, bottom, left, right), 第 N 页，共 M 页 centred in the footer."""
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, body.east_asia)
    _child(rpr, "w:sz").set(qn("w:val"), str(int(body.size * 2)))
    _child(rpr, "w:szCs").set(qn("w:val"), str(int(body.size * 2)))
    _set_lang(rpr)
    normal = doc.styles["Normal"]
    _style_run_props(normal, body)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(body_line_pt)
    fmt.first_line_indent = Pt(0)
    _setup_font_table(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(LANDSCAPE_A4_MM[0]), Mm(LANDSCAPE_A4_MM[1])
    top, bottom, left, right = margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(header_footer_mm), Mm(header_footer_mm)
    page_number_footer(section.footer.paragraphs[0], page_role)
    for p in list(doc.paragraphs):  # the template's empty first paragraph
        doc.element.body.remove(p._p)
    doc.core_properties.title = title
    doc.core_properties.author = AUTHOR
    doc.core_properties.language = "zh-CN"
    return doc


def page_number_footer(p: Any, role: Role) -> None:
    """第 PAGE 页，共 NUMPAGES 页, centred, as fields."""
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(p, "第 ", role)
    for field in ("PAGE", "NUMPAGES"):
        for kind, text in (("begin", ""), ("instr", f" {field} "), ("separate", ""), ("text", "1"), ("end", "")):
            _field_run(p, role, kind, text)
        _run(p, " 页，共 " if field == "PAGE" else " 页", role)


def finish(doc: Any) -> bytes:
    """The document's bytes, after the paragraph Word wants after a table at the end of the body (1 pt high)."""
    tail = doc.add_paragraph()
    tail.paragraph_format.line_spacing_rule, tail.paragraph_format.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def paragraph(doc: Any, text: str, role: Role, *, line_pt: float, align: Any, after_pt: float = 0,
              page_break: bool | None = None) -> Any:
    """A paragraph of exact `line_pt` lines kept with the next one; `page_break` None leaves page-break-before
    unset."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line_pt)
    fmt.space_after = Pt(after_pt)
    if page_break is not None:
        fmt.page_break_before = page_break
    fmt.keep_with_next = True
    if text:
        _run(p, text, role)
    return p


def table_props(table: Any, columns_mm: Sequence[float], *, cell_margin_twips: int | None = None) -> None:
    """Fixed column widths filling `columns_mm`, centred, single 0.75 pt black borders; left and right cell
    padding when `cell_margin_twips` is given."""
    tbl_pr = table._tbl.tblPr
    width = _child(tbl_pr, "w:tblW")
    width.set(qn("w:w"), twips(sum(columns_mm)))
    width.set(qn("w:type"), "dxa")
    _child(tbl_pr, "w:jc").set(qn("w:val"), "center")
    borders = _child(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = _child(borders, f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    _child(tbl_pr, "w:tblLayout").set(qn("w:type"), "fixed")
    if cell_margin_twips is not None:
        margins = _child(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            el = _child(margins, f"w:{side}")
            el.set(qn("w:w"), str(cell_margin_twips))
            el.set(qn("w:type"), "dxa")
    for col, mm in zip(table.columns, columns_mm, strict=True):
        col.width = Mm(mm)


def row_flag(row: Any, tag: str) -> None:
    """Set a true row property such as w:tblHeader or w:cantSplit."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def shade(cell: Any, fill: str) -> None:
    shd = _child(cell._tc.get_or_add_tcPr(), "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def add_table(doc: Any, headers: Sequence[str], columns_mm: Sequence[float], role: Role, *,
              fill: str | None = None, cell_margin_twips: int | None = None) -> Any:
    """A table of fixed columns with one header row: repeated at the top of every page, never split, its
    names centred in `role` (on `fill` when given)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table_props(table, columns_mm, cell_margin_twips=cell_margin_twips)
    head = table.rows[0]
    row_flag(head, "w:tblHeader")  # repeated at the top of every page
    row_flag(head, "w:cantSplit")
    for cell, name, mm in zip(head.cells, headers, columns_mm, strict=True):
        cell.width = Mm(mm)
        if fill is not None:
            shade(cell, fill)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], name, role)
    return table


def add_row(table: Any, columns_mm: Sequence[float], *, keep: bool) -> Any:
    """A new body row's cells, each its column's width; `keep`: the row moves to the next page whole rather
    than break (for short rows; a long one may break, rather than leave a page half blank)."""
    row = table.add_row()
    if keep:
        row_flag(row, "w:cantSplit")
    cells = row.cells
    for cell, mm in zip(cells, columns_mm, strict=True):
        cell.width = Mm(mm)
    return cells


def row_height_pt(texts: Sequence[str], columns_mm: Sequence[float], *, size_pt: float, line_pt: float,
                  cell_margin_mm: float = 3, extra_lines: int = 0) -> float:
    """Roughly how high a row prints: the most wrapped lines of its cells (a CJK character one em wide, a
    Latin letter or digit about half), plus `extra_lines` in every cell."""
    most = 1
    for text, mm in zip(texts, columns_mm, strict=True):
        width = (mm - cell_margin_mm) * 72 / 25.4
        lines = 0
        for line in text.split("\n"):
            ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in line)
            lines += max(1, math.ceil(ems * size_pt / width))
        most = max(most, lines + extra_lines)
    return most * line_pt
