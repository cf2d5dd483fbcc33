"""The 新旧对照表 as Excel (app.core.export.compare_xlsx), rendered from a hand-made comparison and read back with
openpyxl: columns, one row per changed pair, rich-text runs struck or underlined, print setup."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from app.core.export import xlsx_common
from app.core.export.compare_xlsx import ADDED, COLUMNS, DELETED, HEADER_ROW, SHEET, WIDTHS, render_xlsx
from tests.core.export.compare_fixtures import comparison


@pytest.fixture
def sheet() -> Any:
    cmp = comparison()
    wb = load_workbook(io.BytesIO(render_xlsx(cmp, cmp.changed())), rich_text=True)
    yield wb
    wb.close()


def _blocks(value: Any) -> list[tuple[str, str]]:
    """(mark, text) of a rich-text cell: del (struck, red), ins (underlined, bold, blue) or same."""
    assert isinstance(value, CellRichText)
    out = []
    for b in value:
        if isinstance(b, TextBlock) and b.font.strike:
            assert b.font.color.rgb.endswith(DELETED)
            out.append(("del", b.text))
        elif isinstance(b, TextBlock) and b.font.u == "single":
            assert b.font.b and b.font.color.rgb.endswith(ADDED)
            out.append(("ins", b.text))
        else:
            out.append(("same", b.text if isinstance(b, TextBlock) else str(b)))
    return out


def test_title_lines_header_and_one_row_per_change(sheet: Any) -> None:
    ws = sheet.worksheets[0]
    assert ws.title == SHEET and sheet.properties.title == "《滨海市规划》新旧对照表"
    assert ws["A1"].value == "《滨海市规划》新旧对照表"
    assert ws["A2"].value.startswith("原：《滨海市规划（征求意见稿）》（2021-08-25）　新：《滨海市规划》（2024-12-31）")
    assert ws["A2"].value.endswith("共比对 5 条：修改 1 条，新增 1 条，删除 1 条，移动 1 条，未变 1 条")
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:G1", "A2:G2"}
    assert tuple(c.value for c in ws[HEADER_ROW]) == COLUMNS
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert [r[:3] for r in rows] == [[1, "修改", "一、1."], [2, "新增", None], [3, "删除", "一、3."], [4, "移动", "一、4."]]
    assert [r[6] for r in rows] == ["修改；指标“回收利用率”由50%调整为55%", "新增", "删除", "移动（原位于一、4.）"]
    assert rows[1][3] is None and rows[2][4] is None and rows[2][5] is None  # no counterpart: empty cells
    assert rows[3][3] == rows[3][5] == "加强监管。"  # nothing marked: plain text, not rich text


def test_changed_runs_are_rich_text(sheet: Any) -> None:
    ws = sheet.worksheets[0]
    r = HEADER_ROW + 1
    assert _blocks(ws.cell(row=r, column=4).value) == [("same", "回收利用率达到"), ("del", "50"), ("same", "%。")]
    assert _blocks(ws.cell(row=r, column=6).value) == [("same", "回收利用率达到"), ("ins", "55"), ("same", "%。")]
    assert _blocks(ws.cell(row=r + 1, column=6).value) == [("ins", "新建站点10个。")]
    assert _blocks(ws.cell(row=r + 2, column=4).value) == [("del", "取消试点。")]


def test_columns_fonts_and_print_setup(sheet: Any) -> None:
    ws = sheet.worksheets[0]
    assert [ws.column_dimensions[chr(65 + i)].width for i in range(len(COLUMNS))] == list(WIDTHS)
    assert ws.cell(row=HEADER_ROW, column=1).font.name == xlsx_common.HEAD_FONT
    assert ws.cell(row=HEADER_ROW, column=1).fill.fgColor.rgb.endswith(xlsx_common.HEAD_FILL)
    assert ws.cell(row=HEADER_ROW + 1, column=7).font.name == xlsx_common.BODY_FONT
    assert ws.cell(row=HEADER_ROW + 1, column=2).alignment.horizontal == "center"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:G{HEADER_ROW + 4}" and ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.page_setup.orientation == "landscape"


def test_unchanged_rows_when_asked() -> None:
    cmp = comparison()
    wb = load_workbook(io.BytesIO(render_xlsx(cmp, list(cmp.pairs))))
    rows = list(wb.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    wb.close()
    assert len(rows) == len(cmp.pairs) == 5
    assert rows[3][1:] == ("未变", "二、", "保障措施。", "二、", "保障措施。", "未变")
