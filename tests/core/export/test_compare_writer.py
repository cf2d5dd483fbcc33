"""The 新旧对照表 read back: Word (three columns, landscape, repeated header, struck and underlined runs, the
east-asian font named) and Excel (columns, print setup, rich-text runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from app.core.compare import Comparison
from app.core.export import ExportError, NothingToExportError
from app.core.export.compare_writer import HEADERS
from app.core.export.compare_xlsx import COLUMNS, HEADER_ROW
from app.core.library import Library
from tests.core.versions_fixtures import FINAL, LAW_NEW, LAW_OLD, PLAN, versions_dir, vlib

__all__ = ["versions_dir", "vlib"]  # fixtures used here


@pytest.fixture
def plan_cmp(vlib: Library) -> Comparison:
    return vlib.compare(PLAN, FINAL)


def _runs(cell: object) -> list[object]:
    return [r for p in cell.paragraphs for r in p.runs]  # type: ignore[attr-defined]


def test_docx_three_columns_landscape_marked_runs(vlib: Library, plan_cmp: Comparison, tmp_path: Path) -> None:
    res = vlib.export_comparison(plan_cmp, tmp_path / "对照表.docx")
    assert res.path.name == "对照表.docx" and res.count == len(plan_cmp.changed()) == 13
    doc = open_docx(str(res.path))
    texts = [p.text for p in doc.paragraphs]
    assert "　　五、（五）2.　指标“生活垃圾回收利用率”由50%（2030年）调整为55%（2028年）" in texts  # the change list
    assert not any(sep in t for t in texts for sep in (".：", "。：", "、："))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert abs(section.page_width.mm - 297) < 1 and abs(section.page_height.mm - 210) < 1
    assert doc.paragraphs[0].text == "《美丽上海建设“十五五”规划》新旧对照表"
    table = doc.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS == ("原条文", "新条文", "变化说明")
    assert len(table.rows) == 14
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    struck = [r.text for row in table.rows[1:] for r in _runs(row.cells[0]) if r.font.strike]
    marked = [r.text for row in table.rows[1:] for r in _runs(row.cells[1]) if r.font.underline and r.font.bold]
    assert "实施" in struck and "50%" in struck and "2030" in struck
    assert "落实" in marked and "55%" in marked and "2028" in marked
    assert not any(r.font.strike for row in table.rows[1:] for r in _runs(row.cells[1]))
    notes = [row.cells[2].text for row in table.rows[1:]]
    assert any("指标“生活垃圾回收利用率”由50%（2030年）调整为55%（2028年）" in n for n in notes)
    assert {n.split("\n")[0].split("（")[0] for n in notes} >= {"新增", "删除", "修改", "移动"}
    deleted = next(row for row in table.rows[1:] if row.cells[2].text.startswith("删除"))
    assert deleted.cells[1].text == "（无）" and all(r.font.strike for r in _runs(deleted.cells[0])[1:])
    body = next(r for r in _runs(table.rows[3].cells[0]) if r.text.strip())
    fonts = body._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) in ("仿宋_GB2312", "黑体")
    assert doc.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_with_unchanged_rows(vlib: Library, tmp_path: Path) -> None:
    cmp = vlib.compare(LAW_OLD, LAW_NEW)
    res = vlib.export_comparison(cmp, tmp_path / "law.docx", include_unchanged=True)
    assert res.count == len(cmp.pairs) == 48
    assert len(open_docx(str(res.path)).tables[0].rows) == 49


def test_xlsx_columns_print_setup_rich_text(vlib: Library, plan_cmp: Comparison, tmp_path: Path) -> None:
    res = vlib.export_comparison(plan_cmp, tmp_path / "对照表.xlsx")
    wb = load_workbook(res.path, rich_text=True)
    ws = wb.worksheets[0]
    assert tuple(c.value for c in ws[HEADER_ROW]) == COLUMNS
    assert ws.max_row == HEADER_ROW + 13
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    rows = {ws.cell(row=r, column=5).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    r = rows["五、（五）2."]
    old, new = ws.cell(row=r, column=4).value, ws.cell(row=r, column=6).value
    struck = [b.text for b in old if hasattr(b, "font") and b.font.strike]
    underlined = [b.text for b in new if hasattr(b, "font") and b.font.u == "single" and b.font.b]
    assert "50%" in struck and "55%" in underlined
    assert "由50%（2030年）调整为55%（2028年）" in ws.cell(row=r, column=7).value
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(sep in t for t in cells for sep in (".：", "。：", "、："))
    assert ws.cell(row=r, column=2).value == "修改"
    wb.close()


def test_nothing_to_export_and_wrong_format(vlib: Library, tmp_path: Path) -> None:
    cmp = vlib.compare(LAW_OLD, LAW_NEW)
    unchanged = Comparison(cmp.old_doc, cmp.new_doc, tuple(p for p in cmp.pairs if p.status == "unchanged"))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(NothingToExportError):
        vlib.export_comparison(unchanged, out / "x.docx")
    with pytest.raises(ExportError):
        vlib.export_comparison(cmp, out / "x.pdf")
    assert not list(out.iterdir())
