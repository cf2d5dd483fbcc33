"""Word in the 公文 or the plain layout (app.core.export.docx_writer), rendered from a hand-made ExportSet and
read back with python-docx: the order of title, headings, text and facts, fonts named for every script, the
character grid, the footer, notices, progress and cancellation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.errors import Cancelled
from app.core.export.docx_writer import (
    FONT_FALLBACKS,
    GONGWEN,
    PLAIN,
    STYLE_SUBTITLE,
    STYLE_TITLE,
    char_pitch_pt,
    condense_twentieths,
    render_docx,
    set_fonts,
)
from app.core.export.model import ClauseSummary, DeptRef, ExportSet
from app.core.progress import CancelToken


def _item(cid: str, doc: str, title: str, heading: str, text: str, **kw: Any) -> ClauseSummary:
    return ClauseSummary(clause_id=cid, doc_id=doc, doc_title=title, doc_kind="规划", level="task", heading=heading,
                         location="一、", text=text, full_text=heading + text, **kw)


def _set(n_docs: int = 2) -> ExportSet:
    items = [_item("a/1", "a", "甲规划", "推进治理", "第一段。\n\n第二段。", lead=(DeptRef("市水务局", "lead", "table"),)),
             _item("b/1", "b", "乙条例", "第一条", "条文。"), _item("a/2", "a", "甲规划", "加强监管", "监管。")]
    return ExportSet(title="条款摘编", items=tuple(items[: n_docs + 1]), scope="clauses",
                     generated=dt.date(2026, 3, 1), notices=("只导出前 3 条。",))


def _open(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _east_asia(el: Any) -> str:
    return str(el.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")))


def test_grid_condensing_and_character_pitch() -> None:
    # 公文: 28 characters on a 156 mm line → 15.79 pt a character, 16 pt text condensed by 5/20 pt
    assert condense_twentieths(GONGWEN) == -5 and char_pitch_pt(GONGWEN) == 15.75
    assert 28 * char_pitch_pt(GONGWEN) <= (210 - 28 - 26) / 25.4 * 72
    assert condense_twentieths(PLAIN) == 0 and char_pitch_pt(PLAIN) == PLAIN.body.size


def test_set_fonts_names_every_script_and_drops_theme_fonts() -> None:
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    rpr.append(fonts)
    set_fonts(rpr, "楷体_GB2312")
    got = {k.split("}")[1]: v for k, v in rpr.find(qn("w:rFonts")).attrib.items()}
    assert got == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "楷体_GB2312",
                   "cs": "Times New Roman", "hint": "eastAsia"}
    bare = OxmlElement("w:rPr")
    set_fonts(bare, "黑体", latin="Arial")
    assert bare[0].tag == qn("w:rFonts") and bare[0].get(qn("w:ascii")) == "Arial"


def test_order_of_title_headings_text_facts_and_notices() -> None:
    doc = _open(render_docx(_set()))
    got = [(p.style.name, p.text) for p in doc.paragraphs]
    assert got == [
        (STYLE_TITLE, "条款摘编"), (STYLE_SUBTITLE, "（共3条，2026年3月1日导出）"), (STYLE_SUBTITLE, ""),
        ("Heading 1", "《甲规划》"),
        ("Heading 2", "推进治理"), ("Normal", "第一段。"), ("Normal", "第二段。"),
        ("Normal", "出处：《甲规划》一、"), ("Normal", "牵头单位：市水务局（分工表）"),
        ("Heading 2", "加强监管"), ("Normal", "监管。"), ("Normal", "出处：《甲规划》一、"),
        ("Heading 1", "《乙条例》"), ("Heading 2", "第一条"), ("Normal", "条文。"), ("Normal", "出处：《乙条例》一、"),
        ("Normal", "只导出前 3 条。"),
    ]
    fact = doc.paragraphs[7]
    label, value = fact.runs
    assert (label.text, label.font.bold, value.text, value.font.bold) == ("出处：", True, "《甲规划》一、", False)
    assert doc.core_properties.title == "条款摘编" and doc.core_properties.language == "zh-CN"


def test_gongwen_styles_grid_and_fallback_fonts() -> None:
    doc = _open(render_docx(_set(1)))
    styles = doc.styles
    assert _east_asia(styles[STYLE_TITLE].element) == "方正小标宋简体" and styles[STYLE_TITLE].font.size == Pt(22)
    assert _east_asia(styles["Heading 1"].element) == "黑体" and _east_asia(styles["Heading 2"].element) == "楷体_GB2312"
    normal = styles["Normal"]
    assert _east_asia(normal.element) == "仿宋_GB2312" and normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.element.find(qn("w:rPr")).find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    for name, (alt, _family, _panose) in FONT_FALLBACKS.items():
        assert f'w:name="{name}"' in table and f'w:altName w:val="{alt}"' in table
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = doc.sections[0].footer.paragraphs[0], doc.sections[0].even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (2, 0) and odd.text == even.text == "— 1 —"


def test_plain_layout() -> None:
    doc = _open(render_docx(_set(1), plain=True))
    normal = doc.styles["Normal"]
    assert _east_asia(normal.element) == "宋体" and normal.font.size == Pt(12) and normal.paragraph_format.line_spacing == 1.5
    assert normal.element.find(qn("w:rPr")).find(qn("w:spacing")) is None  # no grid, no condensing
    assert doc.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:type")) != "lines"
    assert not doc.settings.odd_and_even_pages_header_footer
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.alignment == 1 and footer.text == "1"
    assert doc.styles[STYLE_TITLE].font.bold and _east_asia(doc.styles[STYLE_TITLE].element) == "黑体"


def test_progress_and_cancel() -> None:
    seen: list[tuple[int, int, str]] = []
    render_docx(_set(), progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen == [(1, 3, "正在生成 Word 文档…"), (2, 3, "正在生成 Word 文档…"), (3, 3, "正在生成 Word 文档…")]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        render_docx(_set(), cancel=token)
