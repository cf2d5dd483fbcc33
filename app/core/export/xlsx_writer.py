"""The 任务分工表 (.xlsx): one row per clause, readable back by `Library.import_tasks` (app/core/links/tasktable).

The importer finds its columns by header text (序号/重点任务/牵头单位/配合单位/完成时限/备注) and matches rows
by task heading or text, so 重点任务 holds the clause's heading + text. The last column, 条款编号 (hidden),
keeps the exact clause id for tools that want it.
"""

from __future__ import annotations

from typing import Any

import app.core.export.xlsx_common as xlsx_common
from app.core.export.model import ClauseSummary, ExportSet, clean_text
from app.core.export.xlsx_common import FONT_PT as FONT_PT  # re-exported (tests read it here)
from app.core.export.xlsx_common import MARGINS_IN as MARGINS_IN  # re-exported (tests read it here)
from app.core.models import HEADED_LEVELS
from app.core.progress import CancelToken, Progress

COLUMNS = ("序号", "重点任务", "条款出处", "牵头单位", "配合单位", "指标", "目标值", "完成时限", "状态", "备注",
           "条款编号")
# Widths in Excel's units (about 7 px = 5.25 pt each): the visible columns total 140, about the 271 mm (770 pt)
# between the margins of landscape A4, so fit-to-width prints at about 100 % and the 11 pt text stays 11 pt
# (it was 210 units: printed at 69 %, about 7.5 pt). 重点任务 holds about 20 characters a line.
WIDTHS = (5, 42, 20, 12, 14, 14, 9, 9, 6, 9, 30)
UNIT_PT = 5.25  # one column-width unit, printed
SHEET = "任务分工表"
HEADER_ROW = 2
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


def render_xlsx(data: ExportSet, *, progress: Progress | None = None, cancel: CancelToken | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    style = xlsx_common.cell_style(border_color="808080", vertical="top")
    last = get_column_letter(len(COLUMNS) - 1)  # the title spans the visible columns

    xlsx_common.merged_row(ws, 1, clean_text(data.title), font=Font(name=xlsx_common.HEAD_FONT, size=16),
                           alignment=Alignment(horizontal="center", vertical="center"), last=last)
    ws.row_dimensions[1].height = 32

    xlsx_common.header_row(ws, HEADER_ROW, COLUMNS, WIDTHS, style, fill=xlsx_common.HEAD_FILL)
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True

    total = len(data.items)
    for n, it in enumerate(data.items, 1):
        if cancel is not None and n % 50 == 0:
            cancel.check()
        values = [clean_text(v) if isinstance(v, str) else v for v in _cells(n, it)]  # openpyxl raises otherwise
        # the row's height leaves out the hidden 条款编号
        xlsx_common.body_row(ws, HEADER_ROW + n, values, WIDTHS[:-1], style, centred=(1, 8, 9))
        if progress is not None:
            progress(n, total, "正在生成任务分工表…")

    # Printing: only the visible columns.
    xlsx_common.print_setup(ws, header_row=HEADER_ROW, last=last, end=HEADER_ROW + max(1, total),
                            auto_filter=True)
    return xlsx_common.finish(wb, data.title)
