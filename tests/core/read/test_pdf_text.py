"""PDF characters and lines from PDFium: radicals mapped back, characters joined into lines, pages scanned."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from app.core.read.pdf_text import (
    _MIN_PAGE_CHARS,
    _Char,
    _Font,
    _has_images,
    _is_cjk,
    _is_word,
    _Line,
    _line_text,
    _lines,
    _scan,
    fix_radicals,
)

PLAN_PDF = Path(__file__).resolve().parents[2] / "data" / "plan.pdf"
SONG = _Font("simsun", False)


def _char(ch: str, x0: float, bottom: float = 100.0, size: float = 10.0, font: _Font = SONG) -> _Char:
    return _Char(ch, x0, x0 + (size if not ch.isascii() else size / 2), bottom, bottom + size, size, font)


def _row(text: str, x0: float = 0.0, bottom: float = 100.0, size: float = 10.0) -> list[_Char]:
    out, x = [], x0
    for ch in text:
        c = _char(ch, x, bottom, size)
        out.append(c)
        x = c.x1
    return out


def test_fix_radicals() -> None:
    assert fix_radicals("⼀⻓三⾓") == ("一长三角", 3)
    assert fix_radicals("⼾籍") == ("户籍", 1)  # simplified fonts draw 户, not NFKC's 戶
    assert fix_radicals("\uf900") == ("\u8c48", 1)  # a compatibility ideograph
    assert fix_radicals("环境保护 PM2.5") == ("环境保护 PM2.5", 0)


def test_character_classes() -> None:
    assert _is_cjk("环") and _is_cjk("\U00020000") and not _is_cjk("，") and not _is_cjk("a")
    assert _is_word("a") and _is_word("7") and not _is_word("环") and not _is_word(".")


def test_line_text_spaces() -> None:
    assert _line_text(_row("环境保护")) == "环境保护"
    words = _row("PM", 0) + _row("2.5", 15)  # a gap of 5 (half an em) between Latin words
    assert _line_text(words) == "PM 2.5"
    cells = _row("指标", 0) + _row("目标值", 60)  # a gap of 40: table cells
    assert _line_text(cells) == "指标 目标值"
    spaced = [*_row("甲", 0), _char(" ", 10), _char(" ", 15), *_row("乙", 20)]
    assert _line_text(spaced) == "甲 乙"
    assert _line_text([_char(" ", 0), *_row("字", 5)]) == "字"


def test_line_finish() -> None:
    chars = [*_row("环境", 10, bottom=100), _char("号", 30, bottom=102, size=14)]
    line = _Line(3, chars)
    line.finish()
    assert (line.x0, line.x1, line.bottom, line.top) == (10, 44, 100, 116)
    assert (line.base, line.size, line.text, line.page) == (100, 10, "环境号", 3)


def test_lines_break_at_baseline_changes_and_pen_returns() -> None:
    chars = _row("第一行", 0, bottom=700) + _row("第二行", 0, bottom=680) + _row("右栏", 300, bottom=680)
    chars += _row("左边", 0, bottom=680)  # the pen jumps back left on the same baseline: another block
    chars += [_char(" ", 50, bottom=600)]  # a line of white space only is no line
    lines = _lines(chars, page=0)
    assert [ln.text for ln in lines] == ["第一行", "第二行 右栏", "左边"]
    assert all(ln.page == 0 for ln in lines)


def test_scan_of_the_plan() -> None:
    pdf = pdfium.PdfDocument(PLAN_PDF.read_bytes())
    try:
        scan = _scan(pdf)
    finally:
        pdf.close()
    assert len(scan.pages) == 19 and scan.scanned == [] and scan.broken == []
    assert scan.total > 9000 and scan.unmapped == 0
    first = scan.pages[0]
    assert first[0].text == "美丽上海建设“十五五”规划" and first[0].size > first[2].size
    assert first[-1].text == "— 1 —"
    families = {(c.font.family, c.font.bold) for ln in first for c in ln.chars}
    assert any(bold for _, bold in families) and any(not bold for _, bold in families)
    assert all(f == f.lower() and "+" not in f for f, _ in families)  # subset tags and case dropped


def _fpdf_pages(image: bool) -> bytes:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="mm", format="A4")
    for _ in range(2):
        pdf.add_page()
        if image:
            buf = io.BytesIO()
            Image.new("L", (60, 80), 128).save(buf, format="PNG")
            pdf.image(buf, x=0, y=0, w=210, h=297)
    out: Any = pdf.output()
    return bytes(out)


@pytest.mark.parametrize(("image", "scanned"), [(True, [1, 2]), (False, [])])
def test_pages_without_text_are_scans_only_with_images(image: bool, scanned: list[int]) -> None:
    pdf = pdfium.PdfDocument(_fpdf_pages(image))
    try:
        page = pdf[0]
        try:
            assert _has_images(page) is image
        finally:
            page.close()
        scan = _scan(pdf)
    finally:
        pdf.close()
    assert scan.scanned == scanned and scan.total == 0 and scan.pages == [[], []]
    assert _MIN_PAGE_CHARS > 0
