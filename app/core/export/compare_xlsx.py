"""The 新旧对照表 as Excel (.xlsx): one row per changed clause (every clause with 包括未变条文).

Columns 序号 / 变化 / 原条文位置 / 原条文 / 新条文位置 / 新条文 / 变化说明, so the table filters by status and
sorts by location. The texts are rich text: deleted runs struck through (red) in 原条文, added runs underlined
and bold (blue) in 新条文. Fonts, print setup and row heights as `xlsx_writer` does them: 仿宋 cells, 黑体
header, landscape A4 fitted to the page width, the header row repeated on every printed page, page numbers.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from app.core.export.compare_writer import side_segments, title_of, version_line
from app.core.export.model import clean_text

if TYPE_CHECKING:
    from app.core.compare import ClausePair, Comparison

COLUMNS = ("序号", "变化", "原条文位置", "原条文", "新条文位置", "新条文", "变化说明")
WIDTHS = (5, 7, 12, 42, 12, 42, 24)  # Excel units; 144 in all, about the width of landscape A4
FONT_PT = 11
HEADER_ROW = 3
SHEET = "新旧对照表"
BODY_FONT, HEAD_FONT = "仿宋", "黑体"
DELETED, ADDED = "C00000", "003EA0"


def _lines(text: str, width: int) -> int:
    total = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        total += max(1, math.ceil(units / max(1, width - 1)))
    return total


def _rich(runs: list[tuple[str, str]]) -> Any:
    """A cell value: plain text when nothing is marked, else rich text with struck / underlined runs."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    runs = [(k, clean_text(t)) for k, t in runs if t]
    if all(k == "same" for k, _ in runs):
        return "".join(t for _, t in runs)
    body = dict(rFont=BODY_FONT, sz=FONT_PT)
    parts: list[Any] = []
    for kind, text in runs:
        if kind == "del":
            parts.append(TextBlock(InlineFont(strike=True, color=DELETED, **body), text))
        elif kind == "ins":
            parts.append(TextBlock(InlineFont(u="single", b=True, color=ADDED, **body), text))
        else:
            parts.append(TextBlock(InlineFont(**body), text))
    return CellRichText(parts)


def _cells(n: int, pair: ClausePair) -> list[Any]:
    return [
        n, pair.label,
        pair.old.location if pair.old else "", _rich(side_segments(pair, "old")) if pair.old else "",
        pair.new.location if pair.new else "", _rich(side_segments(pair, "new")) if pair.new else "",
        clean_text(pair.explain()),
    ]


def render_xlsx(cmp: Comparison, rows: list[ClausePair]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(COLUMNS))
    for row, text, size in ((1, title_of(cmp), 16), (2, f"{version_line(cmp)}　{cmp.summary_line()}", FONT_PT)):
        cell = ws.cell(row=row, column=1, value=clean_text(text))
        cell.data_type = "s"
        cell.font = Font(name=HEAD_FONT if row == 1 else BODY_FONT, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(f"A{row}:{last}{row}")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 32
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(name=HEAD_FONT, size=FONT_PT)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    body_font = Font(name=BODY_FONT, size=FONT_PT)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for n, pair in enumerate(rows, 1):
        r = HEADER_ROW + n
        values = _cells(n, pair)
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.font = body_font
            cell.alignment = centre if col in (1, 2) else wrap
            cell.border = border
        lines = max(_lines(str(v), w) for v, w in zip(values, WIDTHS, strict=True))
        ws.row_dimensions[r].height = min(409, 14.5 * lines + 4)
    end = HEADER_ROW + max(1, len(rows))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{end}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10
    wb.properties.title = title_of(cmp)
    wb.properties.creator = "政策案头 PolicyDesk"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
