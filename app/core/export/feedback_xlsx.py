"""The 意见反馈表 as Excel (.xlsx): one sheet per document. Row 1 the title, row 2 the 填报单位 line, row 3 the
header (repeated on every printed page), then one row per comment. Printing as `xlsx_writer` does: landscape
A4, every column on the page width, text wrapped, page numbers in the footer."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.export.model import clean_text
from app.core.export.xlsx_writer import BODY_FONT, FONT_PT, HEAD_FONT, MARGINS_IN, _lines
from app.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from app.core.export.feedback import FeedbackTable

HEADER_ROW = 3
# Excel width units (about 5.25 pt printed): 140 in all, the width of landscape A4 between the margins, so
# fit-to-width prints at about 100 % (as the 任务分工表).
WIDTHS = (6, 22, 46, 33, 33)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unused sheet name (31 characters, none of []:*?/\\) from a document title."""
    base = _SHEET_BAD.sub("", title.strip("《》")).strip("' ") or "意见反馈表"
    name, n = base[:31], 2
    while name.lower() in taken:
        tag = f"({n})"
        name, n = base[:31 - len(tag)] + tag, n + 1
    taken.add(name.lower())
    return name


def render_xlsx(tables: Sequence[FeedbackTable], *, progress: Progress | None = None,
                cancel: CancelToken | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    from app.core.export.feedback import HEADERS

    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(HEADERS))
    body_font, head_font = Font(name=BODY_FONT, size=FONT_PT), Font(name=HEAD_FONT, size=FONT_PT)
    wrap = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    taken: set[str] = set()
    done, total = 0, sum(len(t.rows) for t in tables)
    for t in tables:
        ws = wb.create_sheet(sheet_name(t.doc_title, taken))
        ws["A1"] = clean_text(t.title)
        ws["A1"].data_type = "s"
        ws["A1"].font = Font(name=HEAD_FONT, size=16)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(f"A1:{last}1")
        ws.row_dimensions[1].height = 36
        ws["A2"] = clean_text("    ".join(f"{k}：{v}" for k, v in t.fields))
        ws["A2"].data_type = "s"
        ws["A2"].font = body_font
        ws["A2"].alignment = Alignment(vertical="center")
        ws.merge_cells(f"A2:{last}2")
        ws.row_dimensions[2].height = 24
        for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), 1):
            cell = ws.cell(row=HEADER_ROW, column=col, value=name)
            cell.font = head_font
            cell.alignment = centre
            cell.border = border
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[HEADER_ROW].height = 30
        for n, r in enumerate(t.rows):
            if cancel is not None and done % 50 == 0:
                cancel.check()
            row = HEADER_ROW + 1 + n
            values = [r.number, *(clean_text(v) for v in r.cells[1:])]
            for col, value in enumerate(values, 1):
                cell = ws.cell(row=row, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with (=, +, -, @)
                cell.font = body_font
                cell.alignment = centre if col == 1 else wrap
                cell.border = border
            lines = max(_lines(str(v), w) for v, w in zip(values, WIDTHS, strict=True))
            ws.row_dimensions[row].height = min(409, 14.5 * lines + 4)
            done += 1
            if progress is not None:
                progress(done, total, "正在生成意见反馈表…")
        end = HEADER_ROW + max(1, len(t.rows))
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.print_area = f"A1:{last}{end}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        left, right, top, bottom = MARGINS_IN
        ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=0.3, footer=0.3)
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 10
    wb.properties.title = tables[0].title if len(tables) == 1 else "意见反馈表"
    wb.properties.creator = "政策案头 PolicyDesk"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
