"""The 新旧对照表 of two versions (app.core.compare.Comparison) as Word (.docx) or Excel (.xlsx).

Word: A4 landscape; title 方正小标宋简体, the two versions and the counts under it (楷体_GB2312), the changed
targets and deadlines, then a table 原条文 / 新条文 / 变化说明 whose header row repeats on every page
(w:tblHeader). In 原条文 deleted text is struck through (red), in 新条文 added text underlined and bold (blue):
the whole text of a deleted or an added clause, the changed runs of a modified one. 变化说明 names the
status and every changed target: 修改；指标“生活垃圾回收利用率”由50%调整为55%. Fonts are written as
`docx_writer` writes them (every script named, theme fonts removed, fallbacks in the font table): cells
仿宋_GB2312 小四, header 黑体. Excel: see `compare_xlsx`.

Written like every export: safe name in the chosen folder, temp file, read back and checked, then moved
into place (`files.write_atomic`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from app.core.export.compare_text import NONE_TEXT, side_segments, title_of, version_line
from app.core.export.docx_table import (
    LANDSCAPE_A4_MM,
    add_row,
    add_table,
    finish,
    new_document,
    paragraph,
    row_height_pt,
)
from app.core.export.docx_writer import Role, _run
from app.core.export.errors import ExportError, NothingToExportError, VerifyError
from app.core.export.files import target_path, write_atomic
from app.core.export.model import ExportResult, clean_text

if TYPE_CHECKING:
    from app.core.compare import ClausePair, Comparison

HEADERS = ("原条文", "新条文", "变化说明")
MARGINS_MM = (22, 20, 20, 20)  # top, bottom, left, right: a type area 257 mm wide
COLUMNS_MM = (103, 103, 51)
TITLE = Role("方正小标宋简体", 20)
SUBTITLE = Role("楷体_GB2312", 14)
HEAD = Role("黑体", 12)
BODY = Role("仿宋_GB2312", 12)
LABEL = Role("黑体", 10.5)
PAGE = Role("宋体", 10.5)
BODY_LINE_PT = 19
DELETED_RGB = RGBColor(0xC0, 0x00, 0x00)
ADDED_RGB = RGBColor(0x00, 0x3E, 0xA0)
KEEP_ROW_PT = (LANDSCAPE_A4_MM[1] - MARGINS_MM[0] - MARGINS_MM[1]) * 72 / 25.4 / 3  # a third of the type area


def rows_of(cmp: Comparison, include_unchanged: bool = False) -> list[ClausePair]:
    return list(cmp.pairs) if include_unchanged else cmp.changed()


def export_comparison(cmp: Comparison, out: Path, *, fmt: str | None = None, include_unchanged: bool = False,
                      overwrite: bool = False) -> ExportResult:
    """Write the 新旧对照表 to `out` (.docx or .xlsx, by `fmt` or the suffix) and return what was written."""
    name = (fmt or out.suffix.lstrip(".")).lower()
    name = {"word": "docx", "excel": "xlsx"}.get(name, name)
    if name not in ("docx", "xlsx"):
        raise ExportError(f"新旧对照表只能导出为 docx 或 xlsx，不支持：{fmt or out.suffix or '（无扩展名）'}")
    rows = rows_of(cmp, include_unchanged)
    if not rows:
        raise NothingToExportError("两个版本的条文没有变化，没有可导出的对照内容（可选择包括未变条文）。")
    target = target_path(out.parent, out.name, name, overwrite=overwrite)
    if name == "docx":
        data = render_docx(cmp, rows)
    else:
        from app.core.export.compare_xlsx import render_xlsx

        data = render_xlsx(cmp, rows)
    write_atomic(target, data, verify=_verifier(name, cmp, len(rows)))
    return ExportResult(path=target, format=name, count=len(rows), notices=())  # type: ignore[arg-type]


def _verifier(fmt: str, cmp: Comparison, count: int) -> Any:
    want = "".join(title_of(cmp).split())[:30]

    def check(path: Path) -> None:
        if fmt == "docx":
            doc = Document(str(path))
            text = "".join(p.text for p in doc.paragraphs[:2])
            table = doc.tables[0] if doc.tables else None
            if table is None or tuple(c.text for c in table.rows[0].cells) != HEADERS or len(table.rows) != count + 1:
                raise VerifyError("导出的对照表校验失败（表头或行数不符），未保存。")
        else:
            from openpyxl import load_workbook

            from app.core.export.compare_xlsx import COLUMNS, HEADER_ROW

            wb = load_workbook(path, read_only=True)
            try:
                rows = list(wb.worksheets[0].iter_rows(values_only=True))
            finally:
                wb.close()
            if tuple(rows[HEADER_ROW - 1]) != COLUMNS or len(rows) != HEADER_ROW + count:
                raise VerifyError("导出的对照表校验失败（表头或行数不符），未保存。")
            text = str(rows[0][0])
        if want not in "".join(text.split()):
            raise VerifyError("导出文件校验失败（读回的内容与导出内容不符），未保存。")

    return check


# -- Word ------------------------------------------------------------------------------------------
def _row_height_pt(pair: ClausePair) -> float:
    """Roughly how high a row prints: its cells' wrapped lines plus the location line."""
    texts = (pair.old.text if pair.old else "", pair.new.text if pair.new else "", pair.explain().replace("；", "\n"))
    return row_height_pt(texts, COLUMNS_MM, size_pt=BODY.size, line_pt=BODY_LINE_PT, extra_lines=1)


def _marked(run: Any, kind: str) -> None:
    if kind == "del":
        run.font.strike = True
        run.font.color.rgb = DELETED_RGB
    elif kind == "ins":
        run.font.underline = True
        run.font.bold = True
        run.font.color.rgb = ADDED_RGB


def _fill_text(cell: Any, label: str, segments: list[tuple[str, str]]) -> None:
    """A clause cell: its location on the first line, then the text, each run marked by its kind; （无）
    alone when the clause is not in this version."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if not label:
        _run(p, NONE_TEXT, BODY)
        return
    _run(p, label, LABEL)
    p = cell.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for kind, text in segments:
        for n, line in enumerate(text.split("\n")):
            if n:
                p = cell.add_paragraph()
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if line:
                _marked(_run(p, line, BODY), kind)


def render_docx(cmp: Comparison, rows: list[ClausePair]) -> bytes:
    doc = new_document(title_of(cmp), body=BODY, body_line_pt=BODY_LINE_PT, margins_mm=MARGINS_MM,
                       header_footer_mm=10, page_role=PAGE)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(doc, clean_text(title_of(cmp)), TITLE, line_pt=32, align=centre, after_pt=6)
    paragraph(doc, clean_text(version_line(cmp)), SUBTITLE, line_pt=24, align=centre)
    paragraph(doc, cmp.summary_line(), SUBTITLE, line_pt=24, align=centre, after_pt=6)
    changes = cmp.changes
    if changes:
        paragraph(doc, f"指标与完成时限变化（{len(changes)} 项）：", HEAD, line_pt=22, align=WD_ALIGN_PARAGRAPH.LEFT)
        for c in changes:  # the location ends in its own mark (2.  第三十条): a space, not a colon, follows
            paragraph(doc, clean_text(f"　　{c.where}　{c.describe()}"), BODY, line_pt=BODY_LINE_PT,
                      align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph(doc, "", BODY, line_pt=8, align=WD_ALIGN_PARAGRAPH.LEFT)
    table = add_table(doc, HEADERS, COLUMNS_MM, HEAD, fill="D9D9D9")
    for pair in rows:
        # a short row moves to the next page whole; a long one may break
        cells = add_row(table, COLUMNS_MM, keep=_row_height_pt(pair) <= KEEP_ROW_PT)
        old_label = pair.old.location if pair.old else ""
        new_label = pair.new.location if pair.new else ""
        _fill_text(cells[0], clean_text(old_label), [(k, clean_text(t)) for k, t in side_segments(pair, "old")])
        _fill_text(cells[1], clean_text(new_label), [(k, clean_text(t)) for k, t in side_segments(pair, "new")])
        cells[2].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        for n, part in enumerate(pair.explain().split("；")):
            p = cells[2].paragraphs[0] if n == 0 else cells[2].add_paragraph()
            run = _run(p, clean_text(part), BODY if n else LABEL)
            if n == 0:
                run.font.size = Pt(BODY.size)
    return finish(doc)
