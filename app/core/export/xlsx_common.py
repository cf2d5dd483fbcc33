"""Excel (.xlsx) pieces shared by the table exports (任务分工表, 新旧对照表, 意见反馈表): fonts, a merged title
row, the header row and column widths, bordered body rows whose height follows their wrapped text, and the
print setup (landscape A4 fitted to the page width, the header row on every printed page, page numbers).

openpyxl is imported inside the functions, as by the writers: it is only loaded when a workbook is written.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

FONT_PT = 11
MARGINS_IN = (0.5, 0.5, 0.6, 0.6)  # left, right, top, bottom
BODY_FONT, HEAD_FONT = "仿宋", "黑体"  # present on every Chinese Windows (the _GB2312 variants are not)
HEAD_FILL = "D9D9D9"
AUTHOR = "政策案头 PolicyDesk"


def _lines(text: str, width: int) -> int:
    """Rough count of wrapped lines: a CJK character takes about two width units."""
    total = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        total += max(1, math.ceil(units / max(1, width - 1)))
    return total


@dataclass(frozen=True)
class CellStyle:
    """The body and header look of one sheet (openpyxl style objects)."""

    border: Any
    body_font: Any
    head_font: Any
    wrap: Any  # body text
    centre: Any  # centred body cells and the header


def cell_style(*, border_color: str, vertical: str) -> CellStyle:
    """Thin `border_color` borders, 仿宋 body / 黑体 header at FONT_PT, text wrapped and aligned `vertical`."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color=border_color)
    return CellStyle(
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        body_font=Font(name=BODY_FONT, size=FONT_PT),
        head_font=Font(name=HEAD_FONT, size=FONT_PT),
        wrap=Alignment(vertical=vertical, wrap_text=True),
        centre=Alignment(horizontal="center", vertical=vertical, wrap_text=True),
    )


def merged_row(ws: Any, row: int, text: str, *, font: Any, alignment: Any, last: str) -> None:
    """`text` (as a string, never a formula) in column A of `row`, merged across to column `last`."""
    cell = ws.cell(row=row, column=1, value=text)
    cell.data_type = "s"
    cell.font = font
    cell.alignment = alignment
    ws.merge_cells(f"A{row}:{last}{row}")


def header_row(ws: Any, row: int, names: Sequence[str], widths: Sequence[float], style: CellStyle, *,
               fill: str | None = None) -> None:
    """The header: centred 黑体 names with borders (on `fill` when given); sets the column widths."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, (name, width) in enumerate(zip(names, widths, strict=True), 1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = style.head_font
        if fill is not None:
            cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = centre
        cell.border = style.border
        ws.column_dimensions[get_column_letter(col)].width = width


def body_row(ws: Any, row: int, values: Sequence[Any], widths: Sequence[int], style: CellStyle, *,
             centred: Collection[int]) -> None:
    """One body row: bordered cells (columns in `centred` centred, the rest wrapped), text always a string,
    the row as high as its most wrapped cell among the first len(`widths`) columns."""
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with (=, +, -, @)
        cell.font = style.body_font
        cell.alignment = style.centre if col in centred else style.wrap
        cell.border = style.border
    lines = max(_lines(str(v), w) for v, w in zip(values[:len(widths)], widths, strict=True))
    ws.row_dimensions[row].height = min(409, 14.5 * lines + 4)


def print_setup(ws: Any, *, header_row: int, last: str, end: int, auto_filter: bool) -> None:
    """Frozen header (with an auto filter when `auto_filter`); printing: landscape A4, every column up to
    `last` on the page width (as many pages down as needed), the header row on every page, page numbers in
    the footer."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.freeze_panes = f"A{header_row + 1}"
    if auto_filter:
        ws.auto_filter.ref = f"A{header_row}:{last}{end}"
    ws.print_title_rows = f"{header_row}:{header_row}"
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


def finish(wb: Any, title: str) -> bytes:
    """The workbook's bytes, titled `title`."""
    wb.properties.title = title
    wb.properties.creator = AUTHOR
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
