"""The 意见反馈表 as Excel (app.core.export.feedback_xlsx) from hand-made tables, read back with openpyxl: one
sheet per document, title and 填报 rows, header, rows as text, print setup; valid sheet names."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.core.export.feedback_model import HEADERS
from app.core.export.feedback_xlsx import HEADER_ROW, WIDTHS, render_xlsx, sheet_name
from tests.core.export.feedback_fixtures import PLAN_TITLE, tables


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("《某条例》", taken) == "某条例"
    assert sheet_name("a[b]:c*d?e/f\\g", taken) == "abcdefg"
    long = "滨海市" * 20
    assert sheet_name(long, taken) == long[:31]
    assert sheet_name(long, taken) == long[:28] + "(2)" and sheet_name(long, taken) == long[:28] + "(3)"
    assert sheet_name("某条例", taken) == "某条例(2)"  # taken is case-insensitive and shared
    assert sheet_name("《》", taken) == "意见反馈表" and sheet_name("' '", taken) == "意见反馈表(2)"
    assert all(len(n) <= 31 for n in taken)


def test_one_sheet_per_document_with_its_rows() -> None:
    wb = load_workbook(io.BytesIO(render_xlsx(tables())))
    assert wb.sheetnames == ["滨海市规划（征求意见稿）", "某条例"] and wb.properties.title == "意见反馈表"
    ws = wb.worksheets[0]
    assert ws["A1"].value == f"关于《{PLAN_TITLE}》的意见反馈表"
    assert ws["A2"].value == "填报单位：市生态环境局    联系人：张三    联系电话：021-12345678    填报日期：2026年5月8日"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:E1", "A2:E2"}
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADERS
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert rows == [
        (1, "一、总体要求", "到2027年，全覆盖。", "【修改】建议改为2028年。", "与国家要求衔接。"),
        (2, "二、（一）“推进数字化转型”", "第一行\n推进数字化转型，建设工业互联网平台。", "=SUM(A1) 建议细化。",
         "便于执行。\n依据：《某条例》第十条"),
    ]
    assert ws.cell(row=HEADER_ROW + 2, column=4).data_type == "s"  # never a formula
    assert ws.cell(row=HEADER_ROW + 1, column=1).alignment.horizontal == "center"
    assert [ws.column_dimensions[c].width for c in "ABCDE"] == list(WIDTHS)
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.auto_filter.ref is None
    assert ws.page_setup.orientation == "landscape" and ws.freeze_panes == f"A{HEADER_ROW + 1}"
    law = wb.worksheets[1]
    assert law["A1"].value == "关于《某条例》的意见反馈表" and law["A2"].value.startswith("填报单位：__________")
    assert law.max_row == HEADER_ROW + 1 and law.cell(row=HEADER_ROW + 1, column=5).value is None
    wb.close()


def test_a_single_table_names_the_workbook_after_it() -> None:
    wb = load_workbook(io.BytesIO(render_xlsx(tables()[1:])))
    assert wb.properties.title == "关于《某条例》的意见反馈表" and len(wb.worksheets) == 1
    wb.close()


def test_progress_counts_every_row() -> None:
    seen: list[tuple[int, int]] = []
    render_xlsx(tables(), progress=lambda d, t, m: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
