"""The 新旧对照表 as Excel (.xlsx): one row per changed clause (every clause with 包括未变条文).

Columns 序号 / 变化 / 原条文位置 / 原条文 / 新条文位置 / 新条文 / 变化说明, so the table filters by status and
sorts by location. The texts are rich text: deleted runs struck through (red) in 原条文, added runs underlined
and bold (blue) in 新条文. Fonts, print setup and row heights from `xlsx_common` (as the 任务分工表): 仿宋
cells, 黑体 header, landscape A4 fitted to the page width, the header row repeated on every printed page,
page numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import app.core.export.xlsx_common as xlsx_common
from app.core.export.compare_text import side_segments, title_of, version_line
from app.core.export.model import clean_text

if TYPE_CHECKING:
    from app.core.compare import ClausePair, Comparison

COLUMNS = ("序号", "变化", "原条文位置", "原条文", "新条文位置", "新条文", "变化说明")
WIDTHS = (5, 7, 12, 42, 12, 42, 24)  # Excel units; 144 in all, about the width of landscape A4
HEADER_ROW = 3
SHEET = "新旧对照表"
DELETED, ADDED = "C00000", "003EA0"


def _rich(runs: list[tuple[str, str]]) -> Any:
    """A cell value: plain text when nothing is marked, else rich text with struck / underlined runs."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    runs = [(k, clean_text(t)) for k, t in runs if t]
    if all(k == "same" for k, _ in runs):
        return "".join(t for _, t in runs)
    body = dict(rFont=xlsx_common.BODY_FONT, sz=xlsx_common.FONT_PT)
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
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    style = xlsx_common.cell_style(border_color="808080", vertical="top")
    last = get_column_letter(len(COLUMNS))
    lines = ((1, title_of(cmp), xlsx_common.HEAD_FONT, 16),
             (2, f"{version_line(cmp)}　{cmp.summary_line()}", xlsx_common.BODY_FONT, xlsx_common.FONT_PT))
    for row, text, font, size in lines:
        xlsx_common.merged_row(ws, row, clean_text(text), font=Font(name=font, size=size),
                               alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), last=last)
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 32
    xlsx_common.header_row(ws, HEADER_ROW, COLUMNS, WIDTHS, style, fill=xlsx_common.HEAD_FILL)
    for n, pair in enumerate(rows, 1):
        xlsx_common.body_row(ws, HEADER_ROW + n, _cells(n, pair), WIDTHS, style, centred=(1, 2))
    xlsx_common.print_setup(ws, header_row=HEADER_ROW, last=last, end=HEADER_ROW + max(1, len(rows)),
                            auto_filter=True)
    return xlsx_common.finish(wb, title_of(cmp))
