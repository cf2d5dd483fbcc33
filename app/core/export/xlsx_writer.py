"""The 任务分工表 (.xlsx): one row per clause, readable back by `Library.import_tasks` (app/core/links/tasktable).

The importer finds its columns by header text (序号/重点任务/牵头单位/配合单位/完成时限/备注) and matches rows
by task heading or text, so 重点任务 holds the clause's heading + text. The last column, 条款编号 (hidden),
keeps the exact clause id for tools that want it.
"""

from __future__ import annotations

import io
import math
from typing import Any

from app.core.export.model import ClauseSummary, ExportSet, clean_text
from app.core.models import HEADED_LEVELS
from app.core.progress import CancelToken, Progress

COLUMNS = ("序号", "重点任务", "条款出处", "牵头单位", "配合单位", "指标", "目标值", "完成时限", "状态", "备注",
           "条款编号")
# Widths in Excel's units (about 7 px = 5.25 pt each): the visible columns total 140, about the 271 mm (770 pt)
# between the margins of landscape A4, so fit-to-width prints at about 100 % and the 11 pt text stays 11 pt
# (it was 210 units: printed at 69 %, about 7.5 pt). 重点任务 holds about 20 characters a line.
WIDTHS = (5, 42, 20, 12, 14, 14, 9, 9, 6, 9, 30)
FONT_PT = 11
MARGINS_IN = (0.5, 0.5, 0.6, 0.6)  # left, right, top, bottom
UNIT_PT = 5.25  # one column-width unit, printed
SHEET = "任务分工表"
HEADER_ROW = 2
BODY_FONT, HEAD_FONT = "仿宋", "黑体"  # present on every Chinese Windows (the _GB2312 variants are not)
INFERRED_NOTE = "部门为系统推断，请核实"
PLAN_DEADLINE_NOTE = "完成时限按规划期限推定，原文未写明"


def _cells(n: int, it: ClauseSummary) -> list[Any]:
    notes = []
    if it.task is not None and it.task.note:
        notes.append(it.task.note)
    if any(d.source == "inferred" for d in (*it.lead, *it.support)):
        notes.append(INFERRED_NOTE)
    notes += [f"{i.name}进度：{i.progress}" for i in it.indicators if i.progress]
    own_due = it.task.due if it.task is not None and it.task.due else ""
    deadline = own_due or it.deadline
    if not own_due and it.deadline and it.deadline_source == "inherited":
        notes.append(PLAN_DEADLINE_NOTE)  # the cell stays a plain date for re-import; the note says what it is
    return [
        n,
        _task_text(it),
        it.citation,
        "、".join(d.name for d in it.lead),
        "、".join(d.name for d in it.support),
        "\n".join(i.name for i in it.indicators),
        "\n".join(i.target or "—" for i in it.indicators),
        deadline,
        it.task.status if it.task is not None else "",
        "\n".join(notes),
        it.clause_id,
    ]


def _task_text(it: ClauseSummary) -> str:
    """重点任务: the clause as written (a task's heading first: the importer matches on it)."""
    if not it.excerpt:
        return it.full_text
    if it.level not in HEADED_LEVELS or not it.heading:
        return it.text
    sep = "" if it.heading.endswith(("。", "：", "；", "！", "？")) else "。"
    return f"{it.heading}{sep}{it.text}"


def _lines(text: str, width: int) -> int:
    """Rough count of wrapped lines: a CJK character takes about two width units."""
    total = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        total += max(1, math.ceil(units / max(1, width - 1)))
    return total


def render_xlsx(data: ExportSet, *, progress: Progress | None = None, cancel: CancelToken | None = None) -> bytes:
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
    last = get_column_letter(len(COLUMNS) - 1)  # the title spans the visible columns

    ws["A1"] = clean_text(data.title)
    ws["A1"].data_type = "s"
    ws["A1"].font = Font(name=HEAD_FONT, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 32

    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(name=HEAD_FONT, size=FONT_PT)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True

    body_font = Font(name=BODY_FONT, size=FONT_PT)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    total = len(data.items)
    for n, it in enumerate(data.items, 1):
        if cancel is not None and n % 50 == 0:
            cancel.check()
        row = HEADER_ROW + n
        values = [clean_text(v) if isinstance(v, str) else v for v in _cells(n, it)]  # openpyxl raises otherwise
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with (=, +, -, @)
            cell.font = body_font
            cell.alignment = centre if col in (1, 8, 9) else wrap
            cell.border = border
        lines = max(_lines(str(v), w) for v, w in zip(values[:-1], WIDTHS[:-1], strict=True))
        ws.row_dimensions[row].height = min(409, 14.5 * lines + 4)
        if progress is not None:
            progress(n, total, "正在生成任务分工表…")

    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(1, total)}"
    # Printing: landscape A4, every column on the page width (as many pages down as needed), the header row on
    # every page, page numbers in the footer, only the visible columns.
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{HEADER_ROW + max(1, total)}"
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
    wb.properties.title = data.title
    wb.properties.creator = "政策案头 PolicyDesk"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
