"""The 意见反馈表 (.docx and .xlsx) made from comments on the real library, read back with python-docx and
openpyxl: landscape A4, the five columns, the repeated header row, 仿宋 body font, rows in document order,
the quoted passage or the whole clause, one table per document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from app.core.errors import PolicyDeskError
from app.core.export import ExportError, NothingToExportError
from app.core.export.feedback import HEADERS, FeedbackOptions
from app.core.export.feedback_docx import segments
from app.core.library import Library

PLAN = "美丽上海建设十五五规划-征求意见稿"
PLAN_TITLE = "美丽上海建设“十五五”规划（征求意见稿）"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
DAY = dt.date(2026, 5, 8)
QUOTE = "全面淘汰国四柴油货车"


def _comments(lib: Library) -> dict[str, str]:
    """Comments made out of document order (the table must sort them)."""
    desk = lib.comments
    desk.set_defaults(unit="市生态环境局", contact="张三", phone="021-12345678")
    ids = {
        "four": desk.add(f"{PLAN}/四/（一）/1", proposal="建议将“全面淘汰国四柴油货车”改为“2027年底前全面淘汰国四柴油货车”。",
                         reason="明确完成时限。", quote=QUOTE).id,
        "two": desk.add(f"{PLAN}/二/（一）", proposal="", kind="删除", reason="与后文重复。").id,
        "three": desk.add(f"{PLAN}/三/（一）/1", proposal="增加“建立碳排放统计核算体系”。", kind="补充",
                          reason="与国家要求衔接。", cited=[f"{WASTE}/第十条"]).id,
        "other": desk.add(f"{PLAN}/一", proposal="其他意见", kind="其他", unit="市交通委", contact="李四").id,
    }
    return ids


def _cell_fonts(cell: object) -> set[str]:
    out = set()
    for p in cell.paragraphs:  # type: ignore[attr-defined]
        for r in p.runs:
            fonts = r._r.rPr.find(qn("w:rFonts"))
            out.add(fonts.get(qn("w:eastAsia")))
    return out


def test_docx_layout_header_fonts_and_order(library: Library, tmp_path: Path) -> None:
    _comments(library)
    result = library.export_comments(tmp_path / "意见反馈表.docx", options=FeedbackOptions(generated=DAY))
    assert result.count == 4 and result.format == "docx" and result.path.name == "意见反馈表.docx"
    doc = Document(str(result.path))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 0.5 and abs(section.page_height.mm - 210) < 0.5
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == f"关于《{PLAN_TITLE}》的意见反馈表"
    assert paragraphs[1].split() == ["填报单位：市生态环境局", "联系人：张三", "联系电话：021-12345678",
                                     "填报日期：2026年5月8日"]
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS
    head_pr = table.rows[0]._tr.trPr
    assert head_pr is not None and head_pr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    # the columns fill the type area of the landscape page (253 mm), widths fixed
    grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    type_area = section.page_width - section.left_margin - section.right_margin
    assert len(grid) == 5 and abs(sum(grid) * 635 - type_area) < 635 * 20  # twips -> EMU
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
    # body font: 仿宋 for east-asian text, in the defaults, the Normal style and every body cell run
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")).startswith("仿宋")
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")).startswith("仿宋")
    for row in table.rows[1:]:
        for cell in row.cells:
            assert {f[:2] for f in _cell_fonts(cell)} == {"仿宋"}
    assert {f for c in table.rows[0].cells for f in _cell_fonts(c)} == {"黑体"}
    # rows in the order of the document, numbered 1…; the positions cite the plan's own numbering
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert [r[1] for r in rows] == ["一、总体要求", "二、（一）构建各美其美、美美与共的美丽建设新格局",
                                    "三、（一）“健全碳排放双控制度体系”", "四、（一）“加强移动源清洁化攻坚”"]
    assert rows[3][2] == QUOTE  # the passage commented on
    assert rows[3][3].startswith("【修改】建议将") and rows[3][4] == "明确完成时限。"
    assert rows[1][3] == "【删除】建议删除该条。"
    assert rows[2][3].startswith("【补充】") and rows[2][4] == "与国家要求衔接。\n依据：《上海市生活垃圾管理条例》第十条"
    assert rows[0][3] == "其他意见\n（提出单位：市交通委，李四，021-12345678）"  # whose comment it is
    whole = library.clause(f"{PLAN}/二/（一）").full_text
    assert rows[1][2] == whole.strip()
    # page numbers in the footer
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_docx_whole_clause_emphasises_the_passage(library: Library, tmp_path: Path) -> None:
    ids = _comments(library)
    result = library.export_comments(tmp_path / "整条.docx", doc_id=PLAN,
                                     options=FeedbackOptions(whole_clause=True, generated=DAY))
    table = Document(str(result.path)).tables[0]
    cell = table.rows[4].cells[2]
    clause = library.clause(f"{PLAN}/四/（一）/1").full_text
    assert cell.text == clause.strip() and QUOTE in cell.text
    emphasised = [r.text for p in cell.paragraphs for r in p.runs if r.bold and r.underline]
    assert emphasised == [QUOTE]
    assert library.comments.get(ids["four"]).quote == QUOTE


def test_segments_split_lines_and_emphasis() -> None:
    assert segments("甲乙丙\n丁戊", (1, 5)) == [[("甲", False), ("乙丙", True)], [("丁", True), ("戊", False)]]
    assert segments("甲乙", None) == [[("甲乙", False)]]
    assert segments("甲乙\n丙", (3, 4)) == [[("甲乙", False)], [("丙", True)]]


def test_several_documents_one_table_each(library: Library, tmp_path: Path) -> None:
    _comments(library)
    library.comments.add(f"{WASTE}/第十二条", proposal="建议细化。", reason="便于执行。")
    out = library.export_comments(tmp_path / "全部.docx", options=FeedbackOptions(generated=DAY))
    assert out.count == 5 and any("2 个文件" in n for n in out.notices)
    doc = Document(str(out.path))
    assert len(doc.tables) == 2
    titles = [p for p in doc.paragraphs if p.text.endswith("的意见反馈表")]
    assert [p.text for p in titles] == [f"关于《{PLAN_TITLE}》的意见反馈表", "关于《上海市生活垃圾管理条例》的意见反馈表"]
    assert not titles[0].paragraph_format.page_break_before and titles[1].paragraph_format.page_break_before
    assert [c.text for c in doc.tables[1].rows[1].cells][:2] == ["1", "第十二条"]
    only = library.export_comments(tmp_path / "条例.docx", doc_id=WASTE, options=FeedbackOptions(generated=DAY))
    assert only.count == 1 and len(Document(str(only.path)).tables) == 1


def test_xlsx_sheets_headers_and_print_setup(library: Library, tmp_path: Path) -> None:
    _comments(library)
    library.comments.add(f"{WASTE}/第十二条", proposal="建议细化。")
    result = library.export_comments(tmp_path / "意见反馈表.xlsx", options=FeedbackOptions(generated=DAY))
    assert result.format == "xlsx" and result.count == 5
    wb = load_workbook(result.path)
    assert len(wb.worksheets) == 2
    ws = wb.worksheets[0]
    assert ws.title == PLAN_TITLE[:31]
    assert ws["A1"].value == f"关于《{PLAN_TITLE}》的意见反馈表"
    assert ws["A2"].value.startswith("填报单位：市生态环境局") and "填报日期：2026年5月8日" in ws["A2"].value
    assert tuple(c.value for c in ws[3]) == HEADERS
    assert [ws.cell(row=r, column=2).value for r in range(4, 8)][1:] == [
        "二、（一）构建各美其美、美美与共的美丽建设新格局", "三、（一）“健全碳排放双控制度体系”",
        "四、（一）“加强移动源清洁化攻坚”"]
    assert ws.cell(row=7, column=3).value == QUOTE and ws.cell(row=4, column=1).value == 1
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.cell(row=5, column=3).alignment.wrap_text
    second = wb.worksheets[1]
    assert second["A1"].value == "关于《上海市生活垃圾管理条例》的意见反馈表" and second.max_row == 4
    whole = library.export_comments(tmp_path / "整条.xlsx", doc_id=PLAN,
                                    options=FeedbackOptions(whole_clause=True, generated=DAY))
    ws = load_workbook(whole.path).worksheets[0]
    assert ws.cell(row=7, column=3).value == library.clause(f"{PLAN}/四/（一）/1").full_text.strip()


def test_nothing_to_export_and_wrong_format(library: Library, tmp_path: Path) -> None:
    with pytest.raises(NothingToExportError, match="没有可导出的意见"):
        library.export_comments(tmp_path / "x.docx")
    _comments(library)
    with pytest.raises(ExportError, match="只能导出为"):
        library.export_comments(tmp_path / "x.md")
    with pytest.raises(PolicyDeskError, match="《上海市生活垃圾管理条例》还没有意见"):
        library.export_comments(tmp_path / "x.docx", doc_id=WASTE)
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".policydesk-*"))


def test_missing_clause_keeps_its_recorded_position(library: Library, tmp_path: Path) -> None:
    desk = library.comments
    c = desk.add(f"{WASTE}/第十条", proposal="建议保留。", quote=library.clause(f"{WASTE}/第十条").full_text[:8])
    library.user.comments.reanchor([{"comment_id": c.id, "clause_id": c.clause_id, "state": "missing"}])
    result = library.export_comments(tmp_path / "x.docx", options=FeedbackOptions(generated=DAY))
    row = [cell.text for cell in Document(str(result.path)).tables[0].rows[1].cells]
    assert row[1].endswith("（原条款已变更或删除）") and row[2] == c.quote
    assert any("已变更或删除" in n for n in result.notices)
