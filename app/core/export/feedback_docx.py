"""The 意见反馈表 as Word (.docx): A4 landscape, one table per document (each from a new page, with its own title
and 填报单位 line), the header row repeated on every page (w:tblHeader), fixed column widths that fill the
type area, single-line borders, page numbers in the footer.

Fonts as `docx_writer` writes them (every script named on styles and runs, theme fonts removed, the font table
naming fallbacks): title 方正小标宋简体 二号, 填报 line 仿宋_GB2312 四号, header 黑体 小四, cells 仿宋_GB2312 小四.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

import app.core.export.docx_table as docx_table
from app.core.export.docx_writer import Role, _run
from app.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from app.core.export.feedback_model import FeedbackTable

MARGINS_MM = (25, 22, 22, 22)  # top, bottom, left, right: a type area 253 mm wide
COLUMNS_MM = (12, 46, 82, 57, 56)  # 序号, 位置, 原文内容, 修改意见, 修改理由: 253 mm
TITLE = Role("方正小标宋简体", 22)
FIELDS = Role("仿宋_GB2312", 14)
HEAD = Role("黑体", 12)
BODY = Role("仿宋_GB2312", 12)
PAGE = Role("宋体", 12)
BODY_LINE_PT = 19  # exact line height in the cells
PT_PER_MM = 72 / 25.4
CELL_MARGIN_MM = 3  # left + right padding of a cell
# A short row (a quarter page or less) never breaks across pages; longer ones may, rather than leave half a
# page blank before them (a whole clause can outgrow a page anyway).
KEEP_ROW_PT = 0.25 * (docx_table.LANDSCAPE_A4_MM[1] - MARGINS_MM[0] - MARGINS_MM[1]) * PT_PER_MM


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
    """Roughly how high a row prints (see `docx_table.row_height_pt`)."""
    return docx_table.row_height_pt(cells, COLUMNS_MM, size_pt=size_pt, line_pt=BODY_LINE_PT,
                                    cell_margin_mm=CELL_MARGIN_MM)


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
    from app.core.export.feedback_model import HEADERS

    table = docx_table.add_table(doc, HEADERS, COLUMNS_MM, HEAD, cell_margin_twips=85)  # 1.5 mm padding
    for r in t.rows:
        if cancel is not None and done % 20 == 0:
            cancel.check()
        cells = docx_table.add_row(table, COLUMNS_MM, keep=row_height_pt(r.cells) <= KEEP_ROW_PT)
        for i, (cell, value) in enumerate(zip(cells, r.cells, strict=True)):
            # left, not justified: a narrow column would stretch the gaps around quotes and 《》
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _fill(cell, value, BODY, align=align, span=r.emphasis if i == 2 else None)
        done += 1
        if progress is not None:
            progress(done, total, "正在生成意见反馈表…")
    return done


def render_docx(tables: Sequence[FeedbackTable], *, progress: Progress | None = None,
                cancel: CancelToken | None = None) -> bytes:
    doc = docx_table.new_document(tables[0].title if len(tables) == 1 else "意见反馈表", body=BODY,
                                  body_line_pt=BODY_LINE_PT, margins_mm=MARGINS_MM, header_footer_mm=12,
                                  page_role=PAGE)
    done, total = 0, sum(len(t.rows) for t in tables)
    for n, t in enumerate(tables):
        docx_table.paragraph(doc, t.title, TITLE, line_pt=36, align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=10,
                             page_break=n > 0)
        fields = docx_table.paragraph(doc, "", FIELDS, line_pt=28, align=WD_ALIGN_PARAGRAPH.LEFT, after_pt=6,
                                      page_break=False)
        for i, (label, value) in enumerate(t.fields):
            _run(fields, ("　　" if i else "") + f"{label}：{value}", FIELDS)
        done = _table(doc, t, done, total, progress, cancel)
    return docx_table.finish(doc)
