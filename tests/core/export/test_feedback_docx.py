"""The 意见反馈表 as Word (app.core.export.feedback_docx) from hand-made tables, read back with python-docx: one
table per document from a new page, the 填报 line, the emphasised passage, fonts; `segments`, row heights."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from app.core.export.feedback_docx import (
    COLUMNS_MM,
    KEEP_ROW_PT,
    MARGINS_MM,
    render_docx,
    row_height_pt,
    segments,
)
from app.core.export.feedback_model import HEADERS
from tests.core.export.feedback_fixtures import PLAN_TITLE, tables


def _east_asia(run: Any) -> str:
    return str(run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")))


def test_segments() -> None:
    assert segments("甲乙丙\n丁戊", (1, 5)) == [[("甲", False), ("乙丙", True)], [("丁", True), ("戊", False)]]
    assert segments("甲乙", None) == [[("甲乙", False)]]
    assert segments("甲乙", (0, 2)) == [[("甲乙", True)]]
    assert segments("甲\n\n乙", (3, 4)) == [[("甲", False)], [("", False)], [("乙", True)]]
    assert segments("", None) == [[("", False)]]


def test_row_height_and_the_keep_threshold() -> None:
    assert sum(COLUMNS_MM) == 297 - MARGINS_MM[2] - MARGINS_MM[3]  # the columns fill the landscape type area
    short = row_height_pt(["1", "一、", "短", "意见", "理由"])
    tall = row_height_pt(["1", "一、", "字" * 2000, "", ""])
    assert short == 19 and short <= KEEP_ROW_PT < tall


def test_tables_titles_fields_and_rows() -> None:
    doc = Document(io.BytesIO(render_docx(tables())))
    assert doc.core_properties.title == "意见反馈表" and len(doc.tables) == 2
    titles = [p for p in doc.paragraphs if p.text.endswith("的意见反馈表")]
    assert [p.text for p in titles] == [f"关于《{PLAN_TITLE}》的意见反馈表", "关于《某条例》的意见反馈表"]
    assert not titles[0].paragraph_format.page_break_before and titles[1].paragraph_format.page_break_before
    assert _east_asia(titles[0].runs[0]) == "方正小标宋简体"
    fields = [p.text for p in doc.paragraphs if p.text.startswith("填报单位")]
    assert fields[0] == "填报单位：市生态环境局　　联系人：张三　　联系电话：021-12345678　　填报日期：2026年5月8日"
    assert fields[1].startswith("填报单位：__________")
    plan = doc.tables[0]
    assert tuple(c.text for c in plan.rows[0].cells) == HEADERS
    assert {_east_asia(r) for c in plan.rows[0].cells for p in c.paragraphs for r in p.runs} == {"黑体"}
    assert [[c.text for c in r.cells] for r in plan.rows[1:]] == [
        ["1", "一、总体要求", "到2027年，全覆盖。", "【修改】建议改为2028年。", "与国家要求衔接。"],
        ["2", "二、（一）“推进数字化转型”", "第一行\n推进数字化转型，建设工业互联网平台。", "=SUM(A1) 建议细化。",
         "便于执行。\n依据：《某条例》第十条"],
    ]
    cell = plan.rows[2].cells[2]
    assert [p.text for p in cell.paragraphs] == ["第一行", "推进数字化转型，建设工业互联网平台。"]
    marked = [r.text for p in cell.paragraphs for r in p.runs if r.bold and r.underline]
    assert marked == ["一行", "推进"]  # characters 1..6 of the cell text, across its line break
    assert all(_east_asia(r) == "仿宋_GB2312" for p in cell.paragraphs for r in p.runs)
    assert plan.rows[1].cells[0].paragraphs[0].alignment == 1  # 序号 centred
    assert plan.rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None  # a short row is kept whole
    assert [[c.text for c in r.cells] for r in doc.tables[1].rows[1:]] == [["1", "第十条", "条文。", "【删除】建议删除该条。", ""]]


def test_progress_counts_every_row() -> None:
    seen: list[tuple[int, int]] = []
    render_docx(tables(), progress=lambda d, t, m: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
