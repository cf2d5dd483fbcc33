"""OFD text layout: glyph runs in millimetres → lines by baseline → paragraphs by the page's text margins."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from app.core.read.ofd_layout import (
    _collect_runs,
    _continues,
    _deltas,
    _glyph_width,
    _Line,
    _lines,
    _mark_bold_fonts,
    _Page,
    _page,
    _paragraphs,
    _render,
    _Run,
    _text_object_runs,
)

BOX = (0.0, 0.0, 210.0, 297.0)


def _run(x0: float, x1: float, y: float, text: str, size: float = 4.0, bold: bool = False, font: str = "宋体") -> _Run:
    return _Run(x0, x1, y, size, text, bold, font)


def _runs_of(xml: str, fonts: dict[str, tuple[str, bool]] | None = None) -> list[_Run]:
    runs: list[_Run] = []
    _text_object_runs(ET.fromstring(xml), fonts or {}, runs)
    return runs


def test_deltas() -> None:
    assert _deltas("g 3 3.5 4", 10) == [3.5, 3.5, 3.5, 4.0]
    assert _deltas("g 100000000 1", 3) == [1.0, 1.0, 1.0]  # never more values than glyphs
    assert _deltas("1 x 2", 5) == [1.0]
    assert _deltas(None, 5) == [] and _deltas("1 2 3", 0) == []


def test_glyph_width() -> None:
    assert _glyph_width("中", 4.0) == 4.0 and _glyph_width("，", 4.0) == 4.0
    assert _glyph_width("a", 4.0) == 2.0


def test_text_object_run_position_font_and_weight() -> None:
    xml = ('<TextObject Boundary="10 20 100 10" Size="4" Font="F1" Weight="700">'
           '<TextCode X="0" Y="4" DeltaX="g 3 4">环境保护</TextCode></TextObject>')
    (run,) = _runs_of(xml, {"F1": ("黑体", False)})
    assert (run.x0, run.x1, run.y, run.size, run.text) == (10.0, 26.0, 24.0, 4.0, "环境保护")
    assert run.font == "黑体" and run.bold
    (plain,) = _runs_of(xml.replace(' Weight="700"', ""), {"F1": ("宋体", False)})
    assert not plain.bold
    (bold_font,) = _runs_of(xml.replace(' Weight="700"', ""), {"F1": ("宋体", True)})
    assert bold_font.bold


def test_text_object_scaling_gaps_and_vertical_text() -> None:
    (scaled,) = _runs_of('<TextObject Boundary="0 0 50 50" Size="4" CTM="2 0 0 2 0 0"><TextCode X="1" Y="2">字</TextCode>'
                         "</TextObject>")
    assert (scaled.size, scaled.x0, scaled.y) == (8.0, 2.0, 4.0)
    (gapped,) = _runs_of('<TextObject Boundary="0 0 50 50" Size="4"><TextCode X="0" Y="4" DeltaX="30">甲乙</TextCode>'
                         "</TextObject>")
    assert gapped.text == "甲 乙"  # a wide advance: two table cells drawn by one TextCode
    vertical = _runs_of('<TextObject Boundary="0 0 50 50" Size="4"><TextCode X="5" Y="4" DeltaY="g 2 5">竖排字</TextCode>'
                        "</TextObject>")
    assert [(r.text, r.y) for r in vertical] == [("竖", 4.0), ("排", 9.0), ("字", 14.0)]


def test_runs_are_collected_from_layers_and_blocks() -> None:
    content = ET.fromstring(
        '<Page><Content><Layer><TextObject Boundary="0 0 9 9" Size="4"><TextCode X="0" Y="4">甲</TextCode></TextObject>'
        '<PageBlock><TextObject Boundary="0 10 9 9" Size="4"><TextCode X="0" Y="4">乙</TextCode></TextObject>'
        '</PageBlock><PathObject/></Layer></Content></Page>'
    )
    assert sorted(r.text for r in _collect_runs(content, {})) == ["乙", "甲"]
    assert _collect_runs(ET.fromstring("<Page/>"), {}) == []


def test_lines_by_baseline_and_fake_bold() -> None:
    runs = [
        _run(60, 80, 30.5, "第二"),
        _run(20, 40, 30.0, "第一"),
        _run(20, 40, 40.0, "加粗"),
        _run(20.2, 40.2, 40.0, "加粗"),  # the same text drawn again a hair to the right: fake bold
        _run(20, 30, 50.0, "左"),
        _run(100, 110, 50.0, "右"),
    ]
    lines = _lines(runs)
    assert [line.text for line in lines] == ["第一 第二", "加粗", "左 右"]
    assert [r.bold for r in lines[1].runs] == [True]
    assert (lines[0].x0, lines[0].x1, lines[0].size) == (20, 80, 4.0)


def test_page_numbers_at_the_edges_are_dropped() -> None:
    page = _page([_run(100, 110, 290, "- 1 -"), _run(20, 190, 100, "正文"), _run(100, 110, 150, "12")], BOX)
    assert [line.text for line in page.lines] == ["正文", "12"]  # a number mid-page is content
    assert (page.left, page.right) == (20, 190)


def test_continues() -> None:
    page = _Page([], 20.0, 190.0)
    full = _Line([_run(20, 190, 40, "写满的一行")], [("写满的一行", False)])
    short = _Line([_run(20, 120, 40, "短行。")], [("短行。", False)])
    ended = _Line([_run(20, 190, 40, "到此为止。")], [("到此为止。", False)])

    def nxt(text: str, x0: float = 20, y: float = 46, size: float = 4.0) -> _Line:
        return _Line([_run(x0, 150, y, text, size)], [(text, False)])

    assert _continues(full, page, nxt("接着"), page, same_page=True)
    assert not _continues(short, page, nxt("接着"), page, same_page=True)  # the previous line stopped short
    assert not _continues(full, page, nxt("接着", x0=28), page, same_page=True)  # an indented first line
    assert not _continues(full, page, nxt("接着", y=60), page, same_page=True)  # a wide gap
    assert not _continues(full, page, nxt("接着", size=6), page, same_page=True)  # another size
    assert not _continues(ended, page, nxt("（一）新条目"), page, same_page=True)
    assert _continues(full, page, nxt("接着", y=10), page, same_page=False)  # across a page break


def test_render() -> None:
    assert _render([("标题", False)], 2) == "## 标题"
    assert _render([("全部", True), (" ", False), ("加粗", True)], 0) == "**全部 加粗**"
    assert _render([("加强领导。", True), ("各区落实。", False)], 0) == "**加强领导。**各区落实。"
    assert _render([("加粗", True), ("不成句", False)], 0) == "加粗不成句"


def test_paragraphs_headings_and_page_breaks() -> None:
    page1 = _page([
        _run(60, 150, 20, "测试标题", size=8),
        _run(70, 140, 32, "副标题", size=6),
        _run(28, 190, 50, "第一段第一行写满了版心的宽度，"),
        _run(20, 120, 56, "第一段第二行。"),
        _run(28, 190, 62, "一、第二段从这里开始写满一行"),
        _run(20, 190, 68, "第二段的第二行也写满"),
        _run(100, 110, 290, "- 1 -"),
    ], BOX)
    page2 = _page([
        _run(20, 150, 40, "翻页后接着写。"),
        _run(28, 60, 46, "加强领导。", bold=True),
        _run(60, 120, 46, "各区落实责任。"),
    ], BOX)
    assert _paragraphs([page1, page2]) == [
        "# 测试标题",
        "## 副标题",
        "第一段第一行写满了版心的宽度，第一段第二行。",
        "一、第二段从这里开始写满一行第二段的第二行也写满翻页后接着写。",
        "**加强领导。**各区落实责任。",
    ]
    assert _paragraphs([]) == []


def test_bold_font_families() -> None:
    body, emphasis = _run(0, 1, 1, "正文很长的一段文字", font="仿宋_GB2312"), _run(0, 1, 1, "标题", font="黑体")
    bold_name = _run(0, 1, 1, "强调", font="Arial Bold")
    _mark_bold_fonts([[body, emphasis], [bold_name]])
    assert (body.bold, emphasis.bold, bold_name.bold) == (False, True, True)
    all_hei = [_run(0, 1, 1, "全文黑体", font="黑体"), _run(0, 1, 1, "也是", font="黑体")]
    _mark_bold_fonts([all_hei])
    assert not any(r.bold for r in all_hei)  # the body font is never emphasis
