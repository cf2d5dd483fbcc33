"""Export from the real library (shipped corpus): every scope, every format read back with an independent
reader; the .docx 公文 layout checked attribute by attribute; the .xlsx round trip through import_tasks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.errors import Cancelled, NotFoundError
from app.core.export import ExportOptions, NothingToExportError, Scope
from app.core.export.collect import collect
from app.core.export.xlsx_writer import COLUMNS, HEADER_ROW
from app.core.library import Library
from app.core.progress import CancelToken

PLAN = "美丽上海建设十五五规划-征求意见稿"
PLAN_TITLE = "美丽上海建设“十五五”规划（征求意见稿）"
TASK = f"{PLAN}/四/（二）/3"
DEPT = "市生态环境局"
FIXED = ExportOptions(generated=dt.date(2026, 3, 1))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The export folder (tmp_path itself holds the library copy)."""
    d = tmp_path / "out"
    d.mkdir()
    return d


def _rfonts(el: Any) -> dict[str, str]:
    fonts = el.find(qn("w:rPr") + "/" + qn("w:rFonts")) if el.tag != qn("w:rPr") else el.find(qn("w:rFonts"))
    assert fonts is not None
    return {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def test_citation_path_and_summary_fields(library: Library) -> None:
    data = collect(library, Scope.of_clauses([TASK, f"{PLAN}/一", f"{PLAN}/序言"]), FIXED)
    task, chapter, preamble = data.items
    assert task.citation == f"《{PLAN_TITLE}》四、（二）“{library.clause(TASK).heading.rstrip('。')}”"
    assert chapter.citation == f"《{PLAN_TITLE}》一、总体要求"
    assert preamble.citation == f"《{PLAN_TITLE}》序言"
    assert task.heading == library.clause(TASK).heading.rstrip("。")
    assert task.text == library.clause(TASK).text and task.full_text.startswith(task.heading)
    assert task.deadline.endswith("年") and task.deadline_source in ("explicit", "inherited")
    assert all(d.source in ("explicit", "table", "inferred", "user") for d in (*task.lead, *task.support))
    labels = dict(task.facts())
    assert labels["出处"] == task.citation and "完成时限" in labels


def test_law_article_citation_names_the_article(library: Library) -> None:
    art = next(c for c in library.clauses() if c.level == "article" and c.number == "第四十条")
    item = collect(library, Scope.of_clauses([art.id]), FIXED).items[0]
    assert item.citation == f"《{library.document(art.doc_id).title}》第四十条" and item.heading == "第四十条"


def test_scopes_collect_the_right_clauses(library: Library) -> None:
    dept = collect(library, Scope.of_department(DEPT, roles=("lead",)), FIXED)
    want = {x["id"] for x in library.department_clauses(DEPT)[0]["lead"]}
    assert {i.clause_id for i in dept.items} == want and dept.title == f"{DEPT}牵头条款"
    assert all(any(d.name == DEPT for d in i.lead) for i in dept.items)

    doc = collect(library, Scope.of_document(PLAN), FIXED)
    assert doc.title == PLAN_TITLE and len(doc.items) > 50 and {i.doc_id for i in doc.items} == {PLAN}

    ind = collect(library, Scope.of_indicators(), FIXED)
    assert ind.items and all(i.indicators for i in ind.items)
    assert sum(len(i.indicators) for i in ind.items) == len(library.indicator_rows())

    q = collect(library, Scope.of_query("双控制度"), ExportOptions(excerpt=True, excerpt_chars=60))
    assert q.items[0].heading == "健全碳排放双控制度体系" and q.title == "关于“双控制度”的检索结果"
    assert all(len(i.text) <= 64 for i in q.items)

    tasks = collect(library, Scope.of_tasks([
        {"clause_id": TASK, "status": "进行中", "due": "2026-06-30", "note": "每月报送", "tags": "重点、督办"},
        {"clause_id": "不存在/第一条", "status": "未开始"},
    ]), FIXED)
    assert [i.clause_id for i in tasks.items] == [TASK] and tasks.notices
    t = tasks.items[0].task
    assert t is not None and (t.status, t.due, t.note, t.tags) == ("进行中", "2026-06-30", "每月报送", ("重点", "督办"))


def test_scope_errors_are_typed(library: Library, out: Path) -> None:
    with pytest.raises(NotFoundError, match="找不到条款"):
        library.export(Scope.of_clauses(["没有/这条"]), out / "x.md")
    with pytest.raises(NotFoundError):
        library.export(Scope.of_department("不存在的部门"), out / "x.md")
    with pytest.raises(NothingToExportError, match="没有可导出的条款"):
        library.export(Scope.of_tasks([]), out / "x.md")
    assert list(out.iterdir()) == []


def test_docx_gongwen_layout(library: Library, out: Path) -> None:
    res = library.export(Scope.of_department(DEPT, roles=("lead",)), out / "生态环境局.docx", options=FIXED)
    doc = Document(str(res.path))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm, 1), round(sec.page_height.mm, 1)) == (210, 297)  # A4
    margins = (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
    assert tuple(round(m.mm, 1) for m in margins) == (37, 35, 28, 26)
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines a page

    styles = doc.styles
    normal = styles["Normal"]
    assert normal.font.size == Pt(16) and normal.paragraph_format.line_spacing == Pt(28.95)
    assert _rfonts(normal.element)["eastAsia"] == "仿宋_GB2312"
    assert _rfonts(normal.element)["ascii"] == "Times New Roman"
    assert "asciiTheme" not in _rfonts(normal.element) and "eastAsiaTheme" not in _rfonts(normal.element)
    spacing = int(normal.element.find(qn("w:rPr") + "/" + qn("w:spacing")).get(qn("w:val")))
    assert -6 <= spacing < 0  # condensed so that 28 characters fit a 156 mm line
    defaults = styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    assert _rfonts(defaults)["eastAsia"] == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    h1, h2 = styles["Heading 1"], styles["Heading 2"]
    assert _rfonts(h1.element)["eastAsia"] == "黑体" and h1.font.size == Pt(16) and not h1.font.bold
    assert _rfonts(h2.element)["eastAsia"] == "楷体_GB2312" and h2.font.size == Pt(16)
    assert h1.element.find(qn("w:rPr") + "/" + qn("w:color")) is None

    paras = doc.paragraphs
    title = paras[0]
    assert title.text == f"{DEPT}牵头条款" and title.style.paragraph_format.alignment == 1  # centred
    run = title.runs[0]
    assert run.font.size == Pt(22) and _rfonts(run._r)["eastAsia"] == "方正小标宋简体"
    assert paras[1].text == f"（共{res.count}条，2026年3月1日导出）"
    heads1 = [p for p in paras if p.style.name == "Heading 1"]
    heads2 = [p for p in paras if p.style.name == "Heading 2"]
    assert heads1[0].text == f"《{PLAN_TITLE}》" and _rfonts(heads1[0].runs[0]._r)["eastAsia"] == "黑体"
    assert heads2[0].text[0] not in "（(一" and _rfonts(heads2[0].runs[0]._r)["eastAsia"] == "楷体_GB2312"
    assert len(heads2) == res.count
    body = [p for p in paras if p.style.name == "Normal" and p.text]
    assert all(_rfonts(r._r)["eastAsia"] in ("仿宋_GB2312",) for p in body[:50] for r in p.runs)
    text = "\n".join(p.text for p in paras)
    assert f"出处：《{PLAN_TITLE}》" in text and f"牵头单位：{DEPT}（" in text and "完成时限：" in text
    assert "指标：" in text

    # Page numbers: "— PAGE —" in 宋体 四号, odd pages right and even pages left.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text or "" for t in p._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —") and p.alignment == align
        assert all(r.font.size == Pt(14) and _rfonts(r._r)["eastAsia"] == "宋体" for r in p.runs)

    # The font table names a fallback for machines without the GB2312-era fonts.
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert "仿宋_GB2312".encode() in font_table.blob and 'w:altName w:val="仿宋"'.encode() in font_table.blob


def test_docx_plain_layout(library: Library, out: Path) -> None:
    res = library.export(Scope.of_clauses([TASK]), out / "plain.docx",
                         options=ExportOptions(layout="plain"))
    doc = Document(str(res.path))
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(12) and _rfonts(normal.element)["eastAsia"] == "宋体"
    assert round(doc.sections[0].left_margin.mm, 1) == 31.8
    assert doc.sections[0].footer.paragraphs[0].alignment == 1
    assert "— " not in doc.sections[0].footer.paragraphs[0].text


def test_pdf_text_layer_and_fonts(library: Library, out: Path) -> None:
    from pypdf import PdfReader

    res = library.export(Scope.of_clauses([TASK, f"{PLAN}/一"], title="一二十长生气水色条款摘编"), out / "摘编.pdf",
                         options=ExportOptions(excerpt=False))
    reader = PdfReader(str(res.path))
    assert res.pages == len(reader.pages) >= 1
    text = "".join("".join(p.extract_text().split()) for p in reader.pages).replace("\u3000", "")
    assert "一二十长生气水色条款摘编" in text  # the characters Qt + Noto CJK turn into Kangxi radicals
    assert not any(0x2F00 <= ord(c) <= 0x2FDF or 0x2E80 <= ord(c) <= 0x2EFF for c in text)  # no radicals
    assert f"《{PLAN_TITLE}》四、（二）“" in text and f"《{PLAN_TITLE}》四、（二）3." not in text
    assert "".join(library.clause(TASK).text.split()) in text
    assert "—1—" in text
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in
             (o.get_object() for o in page["/Resources"]["/Font"].values())}
    assert fonts and all("+" in f for f in fonts)  # subset-embedded
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            assert "/ToUnicode" in f.get_object()
    assert any("字体" in n for n in res.notices)


def test_xlsx_task_table_and_round_trip(library: Library, out: Path) -> None:
    from openpyxl import load_workbook

    scope = Scope.of_tasks([{"clause_id": c.id, "status": "进行中", "note": "=1+1 按季度报送"}
                            for c in library.clauses(PLAN) if c.level == "task"])
    res = library.export(scope, out / "分工表.xlsx")
    wb = load_workbook(res.path)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "任务清单" and tuple(rows[HEADER_ROW - 1]) == COLUMNS
    body = rows[HEADER_ROW:]
    assert len(body) == res.count == 44
    first = dict(zip(COLUMNS, body[0], strict=True))
    assert first["序号"] == 1 and first["状态"] == "进行中" and str(first["备注"]).startswith("=1+1")
    assert first["条款出处"] == f"《{PLAN_TITLE}》三、（一）“健全碳排放双控制度体系”"
    assert first["条款编号"] == f"{PLAN}/三/（一）/1"
    assert ws.column_dimensions["K"].hidden and ws.freeze_panes == "A3"
    assert ws.cell(row=HEADER_ROW + 1, column=10).data_type == "s"  # text, never a formula
    wb.close()

    report = library.import_tasks(res.path)
    assert not report.unmatched
    by_row = {row.line: cid for row, cid, _ in report.matched}
    assert by_row == {HEADER_ROW + 1 + i: str(r[-1]) for i, r in enumerate(body)}  # each row → its own clause
    links = library.links([str(r[-1]) for r in body])
    with_lead = [str(r[-1]) for r in body if r[3]]
    assert with_lead
    for cid in with_lead:
        assert any(d.source == "table" and d.role == "lead" for d in links[cid].departments), cid


def test_xlsx_round_trip_of_law_articles_by_clause_id(library: Library, out: Path) -> None:
    """A department's export holds law articles too: the hidden 条款编号 column brings each row back to
    its own clause (task headings and text alone only find plan clauses)."""
    res = library.export(Scope.of_department("市生态环境局", roles=("lead",)), out / "生态环境局.xlsx")
    report = library.import_tasks(res.path)
    assert not report.unmatched and len(report.matched) == res.count
    assert {m for _, _, m in report.matched} == {"id"}
    assert any("/第" in cid for _, cid, _ in report.matched)  # law articles among them


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_from_the_library(library: Library, out: Path, fmt: str) -> None:
    res = library.export(Scope.of_query("双控制度"), out / f"q.{fmt}", options=FIXED)
    text = res.path.read_text(encoding="utf-8")
    assert "健全碳排放双控制度体系" in text and f"《{PLAN_TITLE}》" in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "<script" not in text.lower()


def test_progress_and_cancel(library: Library, out: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    res = library.export(Scope.of_document(PLAN), out / "p.docx",
                         progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen and seen[-1][0] == seen[-1][1] == res.count and "已导出" in seen[-1][2]
    token = CancelToken()

    def cancel_midway(done: int, total: int, message: str) -> None:
        if "生成" in message and done > 5:
            token.cancel()

    with pytest.raises(Cancelled):
        library.export(Scope.of_document(PLAN), out / "c.pdf", progress=cancel_midway, cancel=token)
    assert sorted(p.name for p in out.iterdir()) == ["p.docx"]


def test_query_export_follows_the_all_versions_toggle(library: Library, tmp_path: Path, out: Path) -> None:
    """含旧版本 in the result list: the export of the whole result set includes old versions only then."""
    src = Path(__file__).resolve().parents[3] / "corpus" / "laws" / "上海市生活垃圾管理条例(2019-01-31).md"
    old = tmp_path / "old"
    old.mkdir()
    text = src.read_text(encoding="utf-8").replace("可回收物，是指", "可回收物，系指", 1)  # not a byte-identical copy
    (old / "上海市生活垃圾管理条例(2017-01-01).md").write_text(text, encoding="utf-8")
    library.index([old])
    old_doc = "上海市生活垃圾管理条例(2017-01-01)"
    current = collect(library, Scope.of_query("可回收物"), FIXED)
    everything = collect(library, Scope.of_query("可回收物", all_versions=True), FIXED)
    assert not any(c.clause_id.startswith(old_doc) for c in current.items)
    assert any(c.clause_id.startswith(old_doc) for c in everything.items)


def test_indicator_export_carries_recorded_progress(library: Library, out: Path) -> None:
    row = next(r for r in library.indicator_rows() if r["name"] == "生活垃圾回收利用率")
    t = library.user.track_indicator(row["clause"], row["name"], target=50, unit="%", comparator=">=",
                                     deadline=2030, baseline=40, baseline_year=2020)
    library.user.set_indicator_value(t.key, 2024, 44.6, source="年度通报")
    res = library.export(Scope.of_indicators(), out / "指标.md", options=FIXED)
    text = res.path.read_text(encoding="utf-8")
    assert "生活垃圾回收利用率" in text and "【进度：2024年 44.6%，完成46%，进度正常】" in text
    from openpyxl import load_workbook

    res = library.export(Scope.of_indicators(), out / "指标.xlsx", options=FIXED)
    wb = load_workbook(res.path)
    notes = [str(r[9] or "") for r in wb.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    wb.close()
    assert any("生活垃圾回收利用率进度：2024年 44.6%，完成46%，进度正常" in n for n in notes)


def test_xlsx_says_when_a_deadline_is_the_plan_period_not_the_text(library: Library, out: Path) -> None:
    from openpyxl import load_workbook

    from app.core.export.xlsx_writer import PLAN_DEADLINE_NOTE

    res = library.export(Scope.of_indicators(), out / "指标.xlsx")
    wb = load_workbook(res.path)
    body = list(wb.worksheets[0].iter_rows(values_only=True))[HEADER_ROW:]
    wb.close()
    links = library.links([str(r[-1]) for r in body])
    inherited = [r for r in body if r[7] and (dl := links[str(r[-1])].deadline) is not None and dl.source == "inherited"]
    stated = [r for r in body if r[7] and (dl := links[str(r[-1])].deadline) is not None and dl.source == "explicit"]
    assert inherited and stated
    assert all(PLAN_DEADLINE_NOTE in str(r[9]) for r in inherited)
    assert not any(PLAN_DEADLINE_NOTE in str(r[9] or "") for r in stated)
