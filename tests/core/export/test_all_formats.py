"""Export formats on a fixed, hostile ExportSet (no library needed): golden .md/.html, and every format
writes `<script>`, `&` and control characters safely and reads back."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.export import (
    ClauseSummary,
    DeptRef,
    ExportOptions,
    ExportSet,
    FontMissingError,
    IndicatorRef,
    TaskFields,
    write_set,
)
from app.core.export.collect import excerpt
from app.core.export.md_writer import md_escape, render_html, render_markdown, unsafe_html
from app.core.export.model import clean_text
from app.core.export.pdf_writer import NO_START, break_lines
from app.core.paths import bundle_root

GOLDEN = Path(__file__).parents[2] / "data" / "export"
RESOURCES = bundle_root() / "resources"
HOSTILE = "<script>alert('x')</script> R&D 研发 &amp; \x00\x07\x1b控制符\ufffe\uffff 结束"
PLAN = "美丽上海建设“十五五”规划（征求意见稿）"


def sample_set() -> ExportSet:
    text = clean_text("全面淘汰国四柴油货车。\n" + HOSTILE + "\n# 不是标题\n1. 不是列表 *不是强调* [不是链接](http://x)")
    task = ClauseSummary(
        clause_id="plan/四/（一）/1", doc_id="plan", doc_title=PLAN, doc_kind="规划", level="task",
        heading="加强移动源清洁化攻坚", location="四、（一）“加强移动源清洁化攻坚”", text=text, full_text="加强移动源清洁化攻坚。" + text,
        lead=(DeptRef("市生态环境局", "lead", "inferred"),), support=(DeptRef("市交通委", "support", "table"),),
        indicators=(IndicatorRef("国四柴油货车淘汰率", "100%", "%", 2030), IndicatorRef("PM2.5年均浓度", "≤25微克/立方米",
                                                                              "微克/立方米", None)),
        deadline="2030年", deadline_source="inherited",
        task=TaskFields(status="进行中", due="2026-06-30", note=clean_text("备注 <b>加粗</b> & =SUM(A1) \x0b"),
                        tags=("重点", "<i>")),
    )
    law = ClauseSummary(
        clause_id="law/第四十条", doc_id="law", doc_title="中华人民共和国大气污染防治法", doc_kind="法律", level="article",
        heading="第四十条", location="第四十条", text="县级以上人民政府生态环境主管部门应当……\n（一）第一项；",
        full_text="县级以上人民政府生态环境主管部门应当……", lead=(DeptRef("市生态环境局", "lead", "explicit"),),
    )
    return ExportSet(title="市生态环境局<牵头>条款 & 摘编", items=(task, law), scope="clauses",
                     generated=dt.date(2026, 3, 1), notices=("检索共 3 条结果，只导出前 2 条。",))


def test_clean_text_strips_xml_invalid_characters() -> None:
    assert clean_text("a\x00b\x08c\td\ne\r\nf\x1fg\ufffeh\uffffi\x7f") == "abc\td\ne\nfghi"


def test_markdown_escape_neutralises_html_and_markdown() -> None:
    assert md_escape("<script>&") == "&lt;script&gt;&amp;"
    assert md_escape("# 标题") == "\\# 标题"
    assert md_escape("1. 项") == "1\\. 项"
    assert md_escape("*强调* _x_ [l](u) `c`") == "\\*强调\\* \\_x\\_ \\[l\\](u) \\`c\\`"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_markdown_and_html(fmt: str) -> None:
    text = render_markdown(sample_set()) if fmt == "md" else render_html(sample_set(), RESOURCES)
    golden = GOLDEN / f"sample.{fmt}"
    if os.environ.get("POLICYDESK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_html_is_inert_and_self_contained() -> None:
    page = render_html(sample_set(), RESOURCES)
    assert unsafe_html(page) is None
    low = page.lower()
    assert "<script" not in low and "<link" not in low and "href=" not in low and "src=" not in low
    assert "&lt;script&gt;alert" in page and "R&amp;D" in page and "&lt;b&gt;加粗" in page
    assert "default-src 'none'" in page and "<style>" in page
    assert "\x00" not in page and "\ufffe" not in page
    assert "<h1>市生态环境局&lt;牵头&gt;条款 &amp; 摘编</h1>" in page
    assert "<title>市生态环境局&lt;牵头&gt;条款 &amp; 摘编</title>" in page
    assert "<h3>加强移动源清洁化攻坚</h3>" in page
    assert "<a " not in page and "<em>" not in page and "<ol>" not in page  # Markdown syntax stayed text


def test_unsafe_html_detector() -> None:
    for bad in ('<script src="a.js">', '<img src=x onerror=alert(1)>', '<a href="javascript:x">',
                '<link href="https://cdn/x.css">', '<div onclick="x">'):
        assert unsafe_html(bad) is not None, bad


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md", "html", "xlsx"])
def test_hostile_content_exports_and_reads_back_in_every_format(fmt: str, tmp_path: Path) -> None:
    res = write_set(sample_set(), tmp_path / f"out.{fmt}", options=ExportOptions(), resources=RESOURCES)
    assert res.path == tmp_path / f"out.{fmt}" and res.count == 2
    if fmt == "docx":
        from docx import Document

        text = "\n".join(p.text for p in Document(str(res.path)).paragraphs)
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(res.path)
        ws = wb.worksheets[0]
        text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        note = ws.cell(row=3, column=10)
        assert note.data_type == "s" and str(note.value).startswith("备注 <b>加粗</b> & =SUM(A1)")
        wb.close()
    elif fmt == "pdf":
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(str(res.path)).pages)
    else:
        text = res.path.read_text(encoding="utf-8")
        if fmt == "html":
            assert "<script>" not in text
            import html

            text = html.unescape(text)
        else:
            text = text.replace("\\", "")
            assert "&lt;script&gt;" in text
            import html

            text = html.unescape(text)
    flat = "".join(text.split())
    assert "<script>alert('x')</script>" in flat
    assert "R&D研发" in flat and "控制符" in flat
    assert "\x00" not in text and "\x07" not in text and "\uffff" not in text
    assert "市生态环境局（推断）" in flat or fmt == "xlsx"


def test_pdf_without_cjk_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.export import fonts

    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "no-fonts"])
    with pytest.raises(FontMissingError) as err:
        write_set(sample_set(), tmp_path / "out.pdf", resources=RESOURCES)
    assert "中文字体" in err.value.message and "fonts-wqy-microhei" in err.value.message
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temp file


def test_line_breaking_obeys_kinsoku_and_keeps_numbers_whole() -> None:
    def measure(s: str) -> float:
        return float(len(s))

    lines = break_lines("一二三四五，六七八九十。到2030年，完成", 5.0, measure)
    assert "".join(lines) == "一二三四五，六七八九十。到2030年，完成"
    assert all(line[0] not in NO_START for line in lines)
    assert any("2030" in line for line in lines)
    assert all(len(line) <= 6 for line in lines)


def test_excerpt_centres_on_the_hit() -> None:
    text = "甲" * 300 + "碳达峰" + "乙" * 300
    cut, was_cut = excerpt(text, ["碳达峰"], 60)
    assert was_cut and "碳达峰" in cut and cut.startswith("……") and cut.endswith("……")
    assert excerpt("短文本", ["x"], 60) == ("短文本", False)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md", "html", "xlsx"])
def test_caller_built_set_with_raw_control_characters_is_cleaned(fmt: str, tmp_path: Path) -> None:
    raw = ClauseSummary(clause_id="d/一", doc_id="d", doc_title="标题\x01", doc_kind="规划", level="chapter",
                        heading="头\x02", location="一、", text="正文\x00\uffff<script>", full_text="正文\x0b",
                        task=TaskFields(note="备注\x1f"))
    res = write_set(ExportSet(title="标题\x03", items=(raw,), scope="clauses"), tmp_path / f"x.{fmt}",
                    resources=RESOURCES)
    assert res.path.exists() and res.count == 1


def test_pdf_reports_characters_its_font_lacks(tmp_path: Path) -> None:
    data = sample_set()
    res = write_set(ExportSet(title="报告😀𠀀≥℃", items=data.items, scope="clauses"), tmp_path / "x.pdf",
                    resources=RESOURCES)
    assert any("😀" in n for n in res.notices)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=80))
def test_any_title_exports_in_every_format(title: str, tmp_path: Path) -> None:
    data = ExportSet(title=title, items=sample_set().items, scope="clauses")
    for fmt in ("docx", "pdf", "md", "html", "xlsx"):
        res = write_set(data, tmp_path / f"t.{fmt}", resources=RESOURCES, overwrite=True)  # names: test_files
        assert res.path == tmp_path / f"t.{fmt}" and res.count == 2
