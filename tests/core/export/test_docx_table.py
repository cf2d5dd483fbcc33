"""Word pieces shared by the table exports (app.core.export.docx_table), on a real document written with
`finish` and read back with python-docx: landscape A4, fonts, footer fields, the table's XML properties."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.export import docx_table
from app.core.export.docx_writer import Role

BODY = Role("仿宋_GB2312", 12)
HEAD = Role("黑体", 12)
PAGE = Role("宋体", 10.5)
COLUMNS = (100, 100, 57)


def _new() -> Any:
    return docx_table.new_document("对照表", body=BODY, body_line_pt=19, margins_mm=(22, 20, 20, 20),
                                   header_footer_mm=10, page_role=PAGE)


def _reopen(doc: Any) -> Any:
    return Document(io.BytesIO(docx_table.finish(doc)))


def test_twips() -> None:
    assert docx_table.twips(25.4) == "1440" and docx_table.twips(0) == "0" and docx_table.twips(10) == "567"


def test_new_document_page_fonts_and_footer() -> None:
    doc = _reopen(_new())
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == docx_table.LANDSCAPE_A4_MM
    assert tuple(round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)) == \
        (22, 20, 20, 20)
    assert round(sec.footer_distance.mm) == 10
    normal = doc.styles["Normal"]
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(19)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "24"
    footer = sec.footer.paragraphs[0]
    instr = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instr == ["PAGE", "NUMPAGES"] and footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert footer.text == "第 1 页，共 1 页"
    assert doc.core_properties.title == "对照表" and doc.core_properties.author == docx_table.AUTHOR
    # the template's empty paragraph is gone; `finish` adds one 1 pt paragraph after the content
    assert len(doc.paragraphs) == 1 and doc.paragraphs[0].paragraph_format.line_spacing == Pt(1)


def test_paragraph_lines_and_page_breaks() -> None:
    doc = _new()
    docx_table.paragraph(doc, "标题", HEAD, line_pt=32, align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=6)
    docx_table.paragraph(doc, "第二个", BODY, line_pt=20, align=WD_ALIGN_PARAGRAPH.LEFT, page_break=True)
    docx_table.paragraph(doc, "", BODY, line_pt=8, align=WD_ALIGN_PARAGRAPH.LEFT, page_break=False)
    first, second, empty, _tail = _reopen(doc).paragraphs
    fmt = first.paragraph_format
    assert first.text == "标题" and fmt.line_spacing == Pt(32) and fmt.space_after == Pt(6)
    assert fmt.keep_with_next and fmt.page_break_before is None and fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first.runs[0].font.size == Pt(12)
    assert first.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert second.paragraph_format.page_break_before is True
    assert empty.text == "" and not empty.runs and empty.paragraph_format.page_break_before is False


@pytest.mark.parametrize("fill", [None, "D9D9D9"])
def test_table_header_borders_widths_and_rows(fill: str | None) -> None:
    doc = _new()
    table = docx_table.add_table(doc, ("原条文", "新条文", "变化说明"), COLUMNS, HEAD, fill=fill, cell_margin_twips=85)
    docx_table.add_row(table, COLUMNS, keep=True)[0].text = "短"
    docx_table.add_row(table, COLUMNS, keep=False)[0].text = "长"
    t = _reopen(doc).tables[0]
    assert [c.text for c in t.rows[0].cells] == ["原条文", "新条文", "变化说明"]
    head = t.rows[0]._tr.trPr
    assert head.find(qn("w:tblHeader")) is not None and head.find(qn("w:cantSplit")) is not None
    assert t.rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None
    assert t.rows[2]._tr.trPr is None or t.rows[2]._tr.trPr.find(qn("w:cantSplit")) is None
    pr = t._tbl.tblPr
    assert pr.find(qn("w:tblW")).get(qn("w:w")) == docx_table.twips(sum(COLUMNS))
    assert pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed" and pr.find(qn("w:jc")).get(qn("w:val")) == "center"
    borders = pr.find(qn("w:tblBorders"))
    assert [b.tag.split("}")[1] for b in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert {(b.get(qn("w:val")), b.get(qn("w:sz"))) for b in borders} == {("single", "6")}
    assert pr.find(qn("w:tblCellMar")).find(qn("w:left")).get(qn("w:w")) == "85"
    assert [round(c.width.mm) for c in t.rows[1].cells] == list(COLUMNS)
    shd = t.rows[0].cells[0]._tc.tcPr.find(qn("w:shd"))
    assert (shd is None) if fill is None else shd.get(qn("w:fill")) == fill
    assert t.rows[0].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_row_height_counts_wrapped_lines() -> None:
    # 100 mm − 3 mm padding ≈ 275 pt: 22 CJK characters of 12 pt a line, twice as many digits
    assert docx_table.row_height_pt(["字" * 22, "", ""], COLUMNS, size_pt=12, line_pt=19) == 19
    assert docx_table.row_height_pt(["字" * 23, "", ""], COLUMNS, size_pt=12, line_pt=19) == 38
    assert docx_table.row_height_pt(["1" * 41, "", ""], COLUMNS, size_pt=12, line_pt=19) == 19
    assert docx_table.row_height_pt(["甲\n乙\n丙", "丁", ""], COLUMNS, size_pt=12, line_pt=19) == 57
    assert docx_table.row_height_pt(["", "", ""], COLUMNS, size_pt=12, line_pt=19, extra_lines=1) == 38
