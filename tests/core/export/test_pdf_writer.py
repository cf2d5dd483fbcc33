"""PDF (app.core.export.pdf_writer): line breaking, the text each font role shows, and whole PDFs rendered with a
tiny square-glyph font built in tmp_path (no system font needed), read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.errors import Cancelled
from app.core.export.fonts import ALWAYS, PROBE, FontFile, PdfFonts, inspect_font
from app.core.export.model import ClauseSummary, DeptRef, ExportSet
from app.core.export.pdf_writer import INDENT, NO_END, NO_START, all_text, break_lines, render_pdf, role_texts
from app.core.progress import CancelToken
from tests.core.export.font_fixtures import make_font


def _length(s: str) -> float:
    return float(len(s))


def _set(paragraph_repeats: int = 30, items: int = 1) -> ExportSet:
    its = tuple(ClauseSummary(
        clause_id=f"p/{n}", doc_id="p", doc_title="甲规划", doc_kind="规划", level="task", heading=f"推进治理{n}",
        location="一、", text="第一段文字。" * paragraph_repeats, full_text="x",
        lead=(DeptRef("市水务局", "lead", "table"),)) for n in range(1, items + 1))
    return ExportSet(title="条款摘编", items=its, scope="clauses", generated=dt.date(2026, 3, 1), notices=("注意。",))


def _fonts(tmp_path: Path, data: ExportSet) -> PdfFonts:
    chars = all_text(data) + "".join(role_texts(data).values()) + ALWAYS + PROBE + "： " + INDENT
    font = inspect_font(make_font(tmp_path / "square.ttf", chars, "Square"))
    assert isinstance(font, FontFile)
    return PdfFonts(font, font, font, font)


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("甲乙丙丁（戊己", 5, ["甲乙丙丁", "（戊己"]),  # an opening bracket never ends a line
    ("一二三四。五", 4, ["一二三", "四。五"]),  # a stop never starts one: the last character comes along
    ("ABCDEFGHIJKL", 5, ["ABCDE", "FGHIJ", "KL"]),  # a word longer than the line is split
    ("到2030年PM2.5浓度", 6, ["到2030年", "PM2.5浓", "度"]),  # numbers stay whole
    ("", 5, []),
])
def test_break_lines(text: str, width: float, lines: list[str]) -> None:
    assert break_lines(text, width, _length) == lines
    assert "".join(lines) == text


def test_kinsoku_sets() -> None:
    assert {"，", "。", "）", "》", "”", "%"} <= NO_START and {"（", "《", "“"} <= NO_END
    assert not NO_START & NO_END


def test_role_texts_and_all_text() -> None:
    data = _set(1)
    roles = role_texts(data)
    assert roles["title"] == "条款摘编"
    assert roles["h1"] == roles["h2"] == "（共1条，2026年3月1日导出）《甲规划》推进治理1"
    assert roles["body"] == "注意。第一段文字。出处：《甲规划》一、牵头单位：市水务局（分工表）"
    assert all_text(data) == ("条款摘编（共1条，2026年3月1日导出）注意。甲规划推进治理1第一段文字。"
                              "《甲规划》一、市水务局（分工表）")


def test_gongwen_pdf_text_layer_grid_and_page_numbers(tmp_path: Path) -> None:
    data = _set(30, items=3)
    pdf, fonts = render_pdf(data, fonts=_fonts(tmp_path, data))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "条款摘编"
    assert reader.metadata.author == "政策案头 PolicyDesk" and fonts.body.name == "Square"
    pages = _pages(pdf)
    assert len(pages) >= 2
    lines = "\n".join(pages).split("\n")
    assert lines[:4] == ["条款摘编", "（共3条，2026年3月1日导出）", f"{INDENT}《甲规划》", f"{INDENT}推进治理1"]
    assert f"{INDENT}出处：《甲规划》一、" in lines and f"{INDENT}牵头单位：市水务局（分工表）" in lines
    assert lines[-2:] == [f"{INDENT}注意。", f"— {len(pages)} —"]
    body = [ln for ln in lines if "段文" in ln or ln.startswith("字。")]
    assert max(len(ln) for ln in body) == 28  # 公文: 28 characters a line (the first one two of them indent)
    assert all(p.rstrip().endswith(f"— {n} —") for n, p in enumerate(pages, 1))
    text = "".join("".join(ln.split()) for ln in lines if not ln.startswith("— "))  # page numbers aside
    assert text.count("第一段文字。") == 90 and text.count("出处：") == 3


def test_plain_pdf_numbers_pages_plainly(tmp_path: Path) -> None:
    data = _set(2)
    pdf, _ = render_pdf(data, plain=True, fonts=_fonts(tmp_path, data))
    (page,) = _pages(pdf)
    assert page.rstrip().endswith("\n1") and "—" not in page
    assert f"{INDENT}第一段文字。第一段文字。" in page


def test_progress_and_cancel(tmp_path: Path) -> None:
    data = _set(1, items=3)
    fonts = _fonts(tmp_path, data)
    seen: list[tuple[int, int, str]] = []
    render_pdf(data, fonts=fonts, progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen == [(n, 3, "正在生成 PDF…") for n in (1, 2, 3)]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        render_pdf(data, fonts=fonts, cancel=token)
