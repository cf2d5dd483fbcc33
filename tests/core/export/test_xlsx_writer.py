"""The 任务分工表 (app.core.export.xlsx_writer) from a hand-made ExportSet, read back with openpyxl: one row per
clause, the cells the importer reads, the notes that say what a value is, the hidden 条款编号."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from app.core.export.model import ClauseSummary, DeptRef, ExportSet, IndicatorRef, TaskFields
from app.core.export.xlsx_writer import (
    COLUMNS,
    HEADER_ROW,
    INFERRED_NOTE,
    PLAN_DEADLINE_NOTE,
    SHEET,
    WIDTHS,
    render_xlsx,
)


def _item(cid: str, **kw: Any) -> ClauseSummary:
    base: dict[str, Any] = dict(clause_id=cid, doc_id="p", doc_title="规划", doc_kind="规划", level="task",
                                heading="加强移动源清洁化攻坚", location="四、（一）“加强移动源清洁化攻坚”",
                                text="全面淘汰国四柴油货车。", full_text="加强移动源清洁化攻坚。全面淘汰国四柴油货车。")
    base.update(kw)
    return ClauseSummary(**base)


def _rows(data: ExportSet) -> tuple[Any, list[dict[str, Any]]]:
    wb = load_workbook(io.BytesIO(render_xlsx(data)))
    ws = wb.worksheets[0]
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    return wb, rows


def test_a_row_per_clause_with_what_the_importer_reads() -> None:
    items = (
        _item("p/四/（一）/1", lead=(DeptRef("市生态环境局", "lead", "explicit"),),
              support=(DeptRef("市交通委", "support", "table"), DeptRef("市公安局", "support", "explicit")),
              indicators=(IndicatorRef("淘汰率", "100%", "%", 2030), IndicatorRef("文明指数", "", "", None)),
              deadline="2030年", deadline_source="explicit",
              task=TaskFields(status="进行中", note="=1+1 每月报送")),
        _item("law/第四十条", doc_title="某条例", level="article", heading="第四十条", location="第四十条",
              text="应当……", full_text="应当……"),
    )
    wb, rows = _rows(ExportSet(title="任务清单", items=items, scope="tasks"))
    ws = wb.worksheets[0]
    assert ws.title == SHEET and ws["A1"].value == "任务清单" and wb.properties.title == "任务清单"
    assert tuple(c.value for c in ws[HEADER_ROW]) == COLUMNS
    first, second = rows
    assert first == {
        "序号": 1, "重点任务": "加强移动源清洁化攻坚。全面淘汰国四柴油货车。",
        "条款出处": "《规划》四、（一）“加强移动源清洁化攻坚”", "牵头单位": "市生态环境局", "配合单位": "市交通委、市公安局",
        "指标": "淘汰率\n文明指数", "目标值": "100%\n—", "完成时限": "2030年", "状态": "进行中", "备注": "=1+1 每月报送",
        "条款编号": "p/四/（一）/1",
    }
    assert ws.cell(row=HEADER_ROW + 1, column=COLUMNS.index("备注") + 1).data_type == "s"  # never a formula
    assert second["序号"] == 2 and second["条款出处"] == "《某条例》第四十条" and second["牵头单位"] is None
    assert ws.column_dimensions["K"].hidden and not ws.column_dimensions["J"].hidden
    assert [ws.column_dimensions[chr(65 + i)].width for i in range(len(COLUMNS))] == list(WIDTHS)
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:J1"}  # the title spans the visible columns
    assert ws.print_area == f"'{SHEET}'!$A$1:$J${HEADER_ROW + 2}"
    wb.close()


def test_notes_say_what_a_value_is() -> None:
    items = (
        _item("a/1", lead=(DeptRef("市水务局", "lead", "inferred"),), deadline="2030年", deadline_source="inherited",
              indicators=(IndicatorRef("回收利用率", "55%", "%", 2030, progress="2024年 44.6%，完成46%，进度正常"),)),
        _item("a/2", deadline="2030年", deadline_source="inherited", task=TaskFields(due="2026-06-30")),
        _item("a/3", deadline="2028年6月30日", deadline_source="explicit"),
    )
    wb, rows = _rows(ExportSet(title="t", items=items, scope="clauses"))
    wb.close()
    assert rows[0]["备注"] == f"{INFERRED_NOTE}\n回收利用率进度：2024年 44.6%，完成46%，进度正常\n{PLAN_DEADLINE_NOTE}"
    assert rows[0]["完成时限"] == "2030年"
    assert rows[1]["完成时限"] == "2026-06-30" and rows[1]["备注"] is None  # the task's own due date wins
    assert rows[2]["完成时限"] == "2028年6月30日" and rows[2]["备注"] is None


def test_an_excerpt_keeps_the_heading_first() -> None:
    items = (_item("a/1", excerpt=True, text="……淘汰国四……"),
             _item("a/2", excerpt=True, heading="推进治理：", text="……治理……"),
             _item("a/3", excerpt=True, level="article", heading="第一条", text="……条文……"))
    wb, rows = _rows(ExportSet(title="t", items=items, scope="query"))
    wb.close()
    assert [r["重点任务"] for r in rows] == ["加强移动源清洁化攻坚。……淘汰国四……", "推进治理：……治理……", "……条文……"]
