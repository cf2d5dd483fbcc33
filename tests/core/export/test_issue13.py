"""Issue #13: exported numbering that cannot be confused with the plan's, tasks cited by their lead sentence,
hanging 出处 lines, PDF faces by role, query titles in words, and a .xlsx that prints legibly."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.export import ClauseSummary, DeptRef, ExportSet, Scope, write_set
from app.core.export.collect import describe_query, location
from app.core.export.fonts import FontFile, find_fonts, inspect_font, truetype_copies
from app.core.export.xlsx_writer import COLUMNS, FONT_PT, MARGINS_IN, UNIT_PT, WIDTHS
from app.core.library import Library
from app.core.paths import bundle_root
from app.core.structure import parse_document

RESOURCES = bundle_root() / "resources"
PLAN = "美丽上海建设“十五五”规划（征求意见稿）"
# A wrapping 出处: the second line would start with 一、… at the margin without a hanging indent.
LONG_LOC = "三、（一）“全面深化上海碳市场改革并健全碳排放双控制度体系和碳普惠运行管理机制”"

SHAPED = """滨海市推进制造业数字化转型实施方案

一、总体要求
到2027年，规模以上工业企业数字化改造全覆盖。
二、重点任务
（一）推进数字化转型
**全面深化上海碳市场改革。**健全配额总量管理制度。
**加快智能工厂建设。**支持龙头企业建设智能工厂。
（1）建设工业互联网平台。培育行业级平台10个。
（2）推动中小企业上云。每年推动中小企业上云1000家。
（二）夯实基础
1.建设5G基站。新建基站1万个。
2.建设算力中心。
1）建设边缘节点。
"""


def _set(n: int = 3) -> ExportSet:
    items = tuple(
        ClauseSummary(clause_id=f"p/{i}", doc_id="p", doc_title=PLAN, doc_kind="规划", level="task",
                      heading=f"第{i}项任务标题", location=LONG_LOC, text="健全配额总量管理制度，有序提高配额有偿分配比例。",
                      full_text="x", lead=(DeptRef("市生态环境局", "lead", "explicit"),), deadline="2030年",
                      deadline_source="explicit")
        for i in range(1, n + 1))
    return ExportSet(title="一二十长生气水色条款摘编", items=items, scope="clauses", generated=dt.date(2026, 3, 1))


# --- 2. citations: tasks by their lead sentence, items by their printed numbers ---------------------------------


def test_tasks_are_cited_by_their_lead_sentence_and_items_by_their_printed_numbers() -> None:
    parsed = parse_document(SHAPED, "p")
    by_id = {c.id: c for c in parsed.clauses}
    by_head = {c.heading: c for c in parsed.clauses}
    task = by_head["全面深化上海碳市场改革。"]
    assert task.level == "task" and task.number == "1"  # the parser's ordinal, printed nowhere in the plan
    assert location(task, by_id) == "二、（一）“全面深化上海碳市场改革”"
    assert location(by_head["推动中小企业上云。"], by_id) == "二、（一）“加快智能工厂建设”（2）"
    assert location(by_head["建设5G基站。"], by_id) == "二、（二）1."
    close = next(c for c in parsed.clauses if c.number == "1）")
    assert location(close, by_id) == "二、（二）2. 1）"  # not 1）、


def test_exports_cite_tasks_without_invented_ordinals(library_export: tuple[Path, Path, Path]) -> None:
    docx_path, pdf_path, xlsx_path = library_export
    text = "\n".join(p.text for p in DocxDocument(str(docx_path)).paragraphs)
    assert f"出处：《{PLAN}》三、（一）“全面深化上海碳市场改革”" in text
    assert f"《{PLAN}》三、（一）2." not in text
    ws = load_workbook(xlsx_path).worksheets[0]
    cites = [str(r[COLUMNS.index("条款出处")]) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert f"《{PLAN}》三、（一）“全面深化上海碳市场改革”" in cites
    assert not any(c.startswith(f"《{PLAN}》三、（一）2") for c in cites)
    pdf = "".join("".join(p.extract_text().split()) for p in PdfReader(str(pdf_path)).pages)
    assert f"《{PLAN}》三、（一）“全面深化上海碳市场改革”" in pdf


@pytest.fixture
def library_export(library: Library, tmp_path: Path) -> tuple[Path, Path, Path]:
    ids = [c.id for c in library.clauses("美丽上海建设十五五规划-征求意见稿") if c.id.endswith(("/三/（一）/1", "/三/（一）/2"))]
    scope = Scope.of_clauses(ids)
    docx, pdf, xlsx = (library.export(scope, tmp_path / f"x.{ext}").path for ext in ("docx", "pdf", "xlsx"))
    return docx, pdf, xlsx


# --- 1. numbering of exported items ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_exported_items_carry_no_plan_style_numbers(tmp_path: Path, fmt: str) -> None:
    res = write_set(_set(), tmp_path / f"x.{fmt}", resources=RESOURCES)
    if fmt == "docx":
        paras = DocxDocument(str(res.path)).paragraphs
        heads = [p.text for p in paras if p.style.name.startswith("Heading")]
    else:
        heads = [ln.lstrip("#").strip() for ln in res.path.read_text(encoding="utf-8").splitlines()
                 if ln.startswith(("## ", "### "))]
    assert heads == [f"《{PLAN}》", "第1项任务标题", "第2项任务标题", "第3项任务标题"]


# --- 3. a wrapped 出处 never starts at the margin -----------------------------------------------------------------


def test_docx_fact_lines_hang_under_their_value(tmp_path: Path) -> None:
    from app.core.export.docx_writer import GONGWEN, char_pitch_pt

    res = write_set(_set(1), tmp_path / "x.docx", resources=RESOURCES)
    p = next(p for p in DocxDocument(str(res.path)).paragraphs if p.text.startswith("出处："))
    ind = p._p.pPr.find(qn("w:ind"))
    assert ind is not None
    pitch = char_pitch_pt(GONGWEN) * 20
    assert int(ind.get(qn("w:hanging"))) == round(3 * pitch)  # 出处： is three characters
    assert int(ind.get(qn("w:left"))) == round(5 * pitch)  # two in, plus the label
    assert ind.get(qn("w:firstLineChars")) == "0"


def test_pdf_fact_lines_hang_under_their_value(tmp_path: Path) -> None:
    res = write_set(_set(1), tmp_path / "x.pdf", resources=RESOURCES)
    xs: dict[float, list[str]] = {}

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        if text.strip():
            xs.setdefault(round(tm[4]), []).append(text)

    PdfReader(str(res.path)).pages[0].extract_text(visitor_text=visit)
    margin = round(28 / 25.4 * 72)  # body lines start here (their indent is two ideographic spaces of text)
    # The 出处 value wraps: both its lines start right of 　　出处： (5 characters of about 15.8 pt), none at the margin
    wrapped = [x for x, t in xs.items() if any("改革" in s or "机制" in s for s in t)]
    assert sum(len(xs[x]) for x in wrapped) >= 2 and all(x >= margin + 5 * 15.5 for x in wrapped), xs


# --- 4. PDF faces by role, with a correct text layer --------------------------------------------------------------


def _serif() -> FontFile | None:
    for name in ("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"):
        for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
            for path in root.rglob(name):
                return inspect_font(path)
    return None


def test_pdf_uses_faces_by_role_and_keeps_the_text_layer(tmp_path: Path) -> None:
    fonts = find_fonts()
    if _serif() is None:
        pytest.skip("Noto Serif CJK is not installed")
    assert "Serif" in fonts.body.name and "Serif" in fonts.title.name and "Bold" in fonts.title.name
    assert "Serif" not in fonts.h1.name  # 黑 (sans) for headings
    res = write_set(_set(), tmp_path / "x.pdf", resources=RESOURCES)
    reader = PdfReader(str(res.path))
    base = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert len(base) >= 3 and any("Serif" in b for b in base)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "一二十长生气水色条款摘编" in text and "\x00" not in text
    assert not any(0x2F00 <= ord(c) <= 0x2FDF or 0x2E80 <= ord(c) <= 0x2EFF for c in text)
    assert "健全配额总量管理制度，有序提高配额有偿分配比例。" in "".join(text.split())


def test_cff_faces_become_truetype_subsets(tmp_path: Path) -> None:
    serif = _serif()
    if serif is None:
        pytest.skip("Noto Serif CJK is not installed")
    from fontTools.ttLib import TTFont

    from app.core.export.fonts import PdfFonts

    assert not serif.truetype
    out = truetype_copies(PdfFonts(serif, serif, serif, serif), {"body": "一二十长生"}, tmp_path)
    assert out.body.truetype and out.body.path.parent == tmp_path and out.body.name == serif.name
    face = TTFont(str(out.body.path))
    assert "glyf" in face and "CFF " not in face
    assert {ord(c) for c in "一二十长生—1"} <= set(face.getBestCmap())
    assert len(face.getGlyphOrder()) < 100
    buf = io.BytesIO()
    face.save(buf)


# --- 5. query titles in words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "title"), [
    ("河湖", "关于“河湖”的检索结果"),
    ("部门:市水务局 河湖", "涉及市水务局的条款中关于“河湖”的检索结果"),
    ("年份:2030", "2030年完成的条款检索结果"),
    ("年份：2030 PM2.5", "2030年完成的条款中关于“PM2.5”的检索结果"),
    ("类型:法律 光伏 OR 风电 -屋顶", "法律条款中关于“光伏”或“风电”（不含“屋顶”）的检索结果"),
    ("有指标:是 “无废城市”", "含量化指标的条款中关于“无废城市”的检索结果"),
    ("文件:上海市大气 扬尘", "《上海市大气污染防治条例》中关于“扬尘”的检索结果"),
    ("碳达峰 新能源", "关于“碳达峰”“新能源”的检索结果"),
])
def test_query_titles_say_the_query_in_words(query: str, title: str) -> None:
    assert describe_query(query, ["上海市大气污染防治条例", "大气污染防治法"]) == title


# --- 6. the .xlsx prints legibly ---------------------------------------------------------------------------------


def test_xlsx_prints_at_a_readable_size(tmp_path: Path) -> None:
    res = write_set(_set(), tmp_path / "x.xlsx", resources=RESOURCES)
    ws = load_workbook(res.path).worksheets[0]
    ps = ws.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1 and ps.fitToHeight == 0
    assert ws.print_title_rows in ("2:2", "$2:$2")
    m = ws.page_margins
    assert (m.left, m.right, m.top, m.bottom) == MARGINS_IN
    visible = [ws.column_dimensions[chr(65 + i)].width for i in range(len(COLUMNS) - 1)]
    assert visible == list(WIDTHS[:-1])
    printable_pt = (297 / 25.4 - m.left - m.right) * 72
    scale = min(1.0, printable_pt / (sum(visible) * UNIT_PT))
    assert ws.cell(row=3, column=2).font.size == FONT_PT and FONT_PT * scale >= 10
    assert ws.cell(row=3, column=2).alignment.wrap_text
    assert "&P" in ws.oddFooter.center.text
