"""The PDF layout pass: page furniture dropped, lines joined into paragraphs, headings and bold marked."""

from __future__ import annotations

import pytest

from app.core.read.pdf_layout import (
    _PAGE_NUMBER,
    _continues,
    _edge_lines,
    _emphasis,
    _first_token_width,
    _join,
    _Layout,
    _layout,
    _Para,
    _quantile,
    _render,
    _strip_furniture,
    _style,
    layout_text,
)
from app.core.read.pdf_text import _Char, _Font, _Line

SONG, HEI = _Font("fangsong", False), _Font("simhei", False)
BOLD = _Font("fangsong", True)
LEFT, EM = 80.0, 16.0
RIGHT = LEFT + 27 * EM  # 27 characters a full line


def _line(text: str, x0: float = LEFT, base: float = 700.0, size: float = EM, page: int = 0,
          font: _Font = SONG, bold_first: int = 0) -> _Line:
    chars, x = [], x0
    for i, ch in enumerate(text):
        width = size if not ch.isascii() else size / 2
        chars.append(_Char(ch, x, x + width, base, base + size, size, BOLD if i < bold_first else font))
        x += width
    line = _Line(page, chars)
    line.finish()
    return line


def _full(n: int = 27, ch: str = "文") -> str:
    return ch * n


LAY = _Layout(body_size=EM, body_family="fangsong", left={0: LEFT, 1: LEFT}, right={0: RIGHT, 1: RIGHT}, pitch=29.0)


@pytest.mark.parametrize("text", ["— 12 —", "-3-", "12", "第 1 页 共 9 页", "共9页，第1页", "1/9", "Page 3 of 9", "page 4"])
def test_page_number_lines(text: str) -> None:
    assert _PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["第一章 总则", "2030年", "1.加强领导", "PM2.5"])
def test_not_page_numbers(text: str) -> None:
    assert not _PAGE_NUMBER.match(text)


def test_quantile_and_edge_lines() -> None:
    assert _quantile([5.0, 1.0, 3.0, 2.0, 4.0], 0.9) == 5.0 and _quantile([1.0, 2.0], 0.0) == 1.0
    lines = [_line("行", base=b) for b in (700, 600, 500, 400, 300)]
    edges = _edge_lines(lines)
    assert [ln.base for ln in edges] == [700, 600, 400, 300]
    assert _edge_lines(lines[:3]) == lines[:3]


def test_running_headers_and_page_numbers_go() -> None:
    pages = []
    for p, word in enumerate("甲乙丙"):
        pages.append([
            _line("美丽上海规划（征求意见稿）", 150, 800, page=p),
            _line(f"{word}页正文开头", base=760, page=p),
            _line("每页同一高度的正文", base=500, page=p),  # repeated, but not at a page edge
            _line(f"{word}页正文中间", base=400, page=p),
            _line(f"{word}页正文结尾", base=100, page=p),
            _line(f"第 {p + 1} 页 共 3 页", 250, 40, size=12, page=p),
        ])
    kept = _strip_furniture(pages)
    assert [[ln.text for ln in page] for page in kept] == [
        [f"{w}页正文开头", "每页同一高度的正文", f"{w}页正文中间", f"{w}页正文结尾"] for w in "甲乙丙"
    ]
    # Text that differs only in its digits counts as the same furniture (第1页正文 … 第3页正文 at the top).
    numbered = [[_line(f"第{p + 1}章摘要", base=800, page=p), _line(f"{w}页一", base=600, page=p),
                 _line("中间正文", base=500, page=p), _line(f"{w}页二", base=400, page=p),
                 _line("页脚", base=40, page=p)] for p, w in enumerate("甲乙丙")]
    assert [ln.text for ln in _strip_furniture(numbered)[0]] == ["甲页一", "中间正文", "甲页二"]


def test_layout_measures() -> None:
    pages = [[_line("标题", 200, 760, size=22), _line(_full(), base=700), _line(_full(), base=671),
              _line("短行。", base=642)]]
    lay = _layout(pages)
    assert (lay.body_size, lay.body_family, lay.pitch) == (EM, "fangsong", 29.0)
    assert lay.left == {0: LEFT} and lay.right == {0: RIGHT}


def test_emphasis_and_style() -> None:
    hei_line = _line("黑体标题", font=HEI)
    assert _style(hei_line, LAY) == "bold"  # another CJK typeface than the body's
    assert _style(_line("正文"), LAY) == "text"
    assert _style(_line("加粗。正文", bold_first=3), LAY) == "text"
    assert _style(_line("大字", size=22), LAY) == "big22"
    space = _Char(" ", 0, 1, 0, 1, EM, BOLD)
    latin = _Char("A", 0, 1, 0, 1, EM, SONG)
    assert _emphasis(space, LAY) is None and _emphasis(latin, LAY) is None


def test_first_token_width() -> None:
    assert _first_token_width(_line("PM2.5浓度")) == 2.5 * EM  # the Latin word "PM2.5"
    assert _first_token_width(_line("的。”下")) == 3 * EM  # a character and the punctuation that may not start a line
    assert _first_token_width(_line("环境")) == EM


def test_continues() -> None:
    full, short = _line(_full(), base=700), _line("短行。", base=700)

    def nxt(text: str = "接着写", **kw: float) -> _Line:
        return _line(text, base=kw.pop("base", 671), **kw)  # type: ignore[arg-type]

    para = _Para([full])
    assert _continues(full, nxt(), para, LAY)
    assert not _continues(short, nxt(), _Para([short]), LAY)  # the previous line stopped short
    assert not _continues(full, nxt("（一）新的条目"), para, LAY)  # a numbering label
    assert not _continues(full, nxt(x0=LEFT + 2 * EM), para, LAY)  # an indented first line
    assert not _continues(full, nxt(base=600), para, LAY)  # a wide gap
    assert not _continues(full, nxt(base=720), para, LAY)  # the pen moved up
    assert not _continues(full, nxt(font=HEI), para, LAY)  # bold after plain text
    assert _continues(full, _line("翻页接着写", base=760, page=1), para, LAY)  # across a page break


def test_join_and_render() -> None:
    assert _join(["环境", "保护"]) == "环境保护" and _join(["PM", "2.5"]) == "PM 2.5"
    assert _render(_Para([_line("标题", size=22)]), LAY, 22.0) == "# 标题"
    assert _render(_Para([_line("小标题", size=20)]), LAY, 22.0) == "## 小标题"
    assert _render(_Para([_line("全部加粗", font=BOLD)]), LAY, None) == "**全部加粗**"
    assert _render(_Para([_line("加强组织领导。各区落实。", bold_first=7)]), LAY, None) == "**加强组织领导。**各区落实。"
    assert _render(_Para([_line("甲乙丙", bold_first=1)]), LAY, None) == "甲乙丙"  # one bold character is no lead
    assert _render(_Para([_line("普通段落。")]), LAY, None) == "普通段落。"


def test_layout_text() -> None:
    lines = [
        _line("测试规划", 240, 760, size=22),
        _line(_full(25, "甲"), LEFT + 2 * EM, 700),
        _line(_full(27, "乙"), base=671),
        _line(_full(27, "丙"), base=642),
        _line(_full(27, "丁"), base=613),
        _line("段落结束。", base=584),
        _line("一、总体要求", LEFT + 2 * EM, 555),
        _line("加强组织领导。" + _full(18, "戊"), LEFT + 2 * EM, 526, bold_first=7),
        _line("各区要落实。", base=497),
        _line("— 1 —", 280, 40, size=14),
    ]
    assert layout_text([lines]) == (
        "# 测试规划\n\n"
        + "甲" * 25 + "乙" * 27 + "丙" * 27 + "丁" * 27 + "段落结束。\n\n"
        "一、总体要求\n\n"
        "**加强组织领导。**" + "戊" * 18 + "各区要落实。\n"
    )
