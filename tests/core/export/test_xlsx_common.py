"""Excel pieces shared by the table exports (app.core.export.xlsx_common), on a real workbook written with
`finish` and read back with openpyxl: never a formula, widths, row heights, fonts, print setup."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from app.core.export import xlsx_common
from app.core.export.xlsx_common import AUTHOR, BODY_FONT, FONT_PT, HEAD_FONT, MARGINS_IN, cell_style

WIDTHS = (5, 20, 10)


def _round_trip(build: Any) -> Any:
    wb = Workbook()
    ws = wb.active
    build(ws)
    data = xlsx_common.finish(wb, "测试表")
    return load_workbook(io.BytesIO(data))


def test_cell_style() -> None:
    style = cell_style(border_color="808080", vertical="top")
    assert (style.body_font.name, style.head_font.name, style.body_font.size) == (BODY_FONT, HEAD_FONT, FONT_PT)
    assert style.border.left.style == "thin" and style.border.left.color.rgb.endswith("808080")
    assert style.wrap.wrap_text and style.wrap.vertical == "top" and style.wrap.horizontal is None
    assert style.centre.horizontal == "center" and style.centre.vertical == "top"


def test_rows_are_text_widths_fonts_and_heights() -> None:
    style = cell_style(border_color="000000", vertical="center")

    def build(ws: Any) -> None:
        xlsx_common.merged_row(ws, 1, "=标题", font=Font(name=HEAD_FONT, size=16),
                               alignment=Alignment(horizontal="center"), last="C")
        xlsx_common.header_row(ws, 2, ("序号", "内容", "备注"), WIDTHS, style, fill="D9D9D9")
        xlsx_common.body_row(ws, 3, [1, "=SUM(A1:A2)", "+1"], WIDTHS, style, centred=(1,))
        xlsx_common.body_row(ws, 4, [2, "字" * 40, "第一行\n第二行\n第三行"], WIDTHS, style, centred=(1,))
        xlsx_common.body_row(ws, 5, [3, "长" * 2000, ""], WIDTHS, style, centred=(1,))

    wb = _round_trip(build)
    ws = wb.worksheets[0]
    assert ws["A1"].value == "=标题" and ws["A1"].data_type == "s" and "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["序号", "内容", "备注"]
    assert ws["B2"].font.name == HEAD_FONT and ws["B2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert [ws.column_dimensions[c].width for c in "ABC"] == list(WIDTHS)
    # text that looks like a formula stays text; numbers stay numbers
    assert (ws["B3"].value, ws["B3"].data_type, ws["C3"].value, ws["C3"].data_type) == ("=SUM(A1:A2)", "s", "+1", "s")
    assert ws["A3"].value == 1 and ws["A3"].data_type == "n"
    assert ws["A3"].alignment.horizontal == "center" and ws["B3"].alignment.wrap_text
    assert ws["B3"].font.name == BODY_FONT and ws["B3"].border.top.style == "thin"
    # heights follow the most wrapped cell: 40 CJK characters in 20 units ≈ 5 lines; three lines; capped at 409
    assert ws.row_dimensions[3].height == 14.5 + 4
    assert ws.row_dimensions[4].height == 14.5 * 5 + 4
    assert ws.row_dimensions[5].height == 409
    wb.close()


def test_print_setup_and_document_properties() -> None:
    def build(ws: Any) -> None:
        ws["A1"] = "x"
        xlsx_common.print_setup(ws, header_row=3, last="E", end=10, auto_filter=True)

    wb = _round_trip(build)
    ws = wb.worksheets[0]
    assert wb.properties.title == "测试表" and wb.properties.creator == AUTHOR
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:E10"
    assert ws.print_title_rows == "$3:$3" and ws.print_area == "'Sheet'!$A$1:$E$10"
    ps = ws.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == ws.PAPERSIZE_A4
    assert (ps.fitToWidth, ps.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
    m = ws.page_margins
    assert (m.left, m.right, m.top, m.bottom) == MARGINS_IN
    assert ws.print_options.horizontalCentered and "&P" in ws.oddFooter.center.text
    wb.close()


def test_no_auto_filter_when_not_asked() -> None:
    wb = _round_trip(lambda ws: xlsx_common.print_setup(ws, header_row=2, last="B", end=2, auto_filter=False))
    assert wb.worksheets[0].auto_filter.ref is None
    wb.close()
