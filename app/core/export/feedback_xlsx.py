"""The 意见反馈表 as Excel (.xlsx): one sheet per document. Row 1 the title, row 2 the 填报单位 line, row 3 the
header (repeated on every printed page), then one row per comment. Printing from `xlsx_common` (as the
任务分工表): landscape A4, every column on the page width, text wrapped, page numbers in the footer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import app.core.export.xlsx_common as xlsx_common
from app.core.export.model import clean_text
from app.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from app.core.export.feedback_model import FeedbackTable

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
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from app.core.export.feedback_model import HEADERS

    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    style = xlsx_common.cell_style(border_color="000000", vertical="center")
    last = get_column_letter(len(HEADERS))
    taken: set[str] = set()
    done, total = 0, sum(len(t.rows) for t in tables)
    for t in tables:
        ws = wb.create_sheet(sheet_name(t.doc_title, taken))
        xlsx_common.merged_row(ws, 1, clean_text(t.title), font=Font(name=xlsx_common.HEAD_FONT, size=16),
                               alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                               last=last)
        ws.row_dimensions[1].height = 36
        fields = clean_text("    ".join(f"{k}：{v}" for k, v in t.fields))
        xlsx_common.merged_row(ws, 2, fields, font=style.body_font, alignment=Alignment(vertical="center"),
                               last=last)
        ws.row_dimensions[2].height = 24
        xlsx_common.header_row(ws, HEADER_ROW, HEADERS, WIDTHS, style)
        ws.row_dimensions[HEADER_ROW].height = 30
        for n, r in enumerate(t.rows):
            if cancel is not None and done % 50 == 0:
                cancel.check()
            values = [r.number, *(clean_text(v) for v in r.cells[1:])]
            xlsx_common.body_row(ws, HEADER_ROW + 1 + n, values, WIDTHS, style, centred=(1,))
            done += 1
            if progress is not None:
                progress(done, total, "正在生成意见反馈表…")
        xlsx_common.print_setup(ws, header_row=HEADER_ROW, last=last, end=HEADER_ROW + max(1, len(t.rows)),
                                auto_filter=False)
    return xlsx_common.finish(wb, tables[0].title if len(tables) == 1 else "意见反馈表")
