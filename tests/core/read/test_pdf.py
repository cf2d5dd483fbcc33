"""PDF reader: the plan as a PDF parses like the Markdown; page furniture goes; bad PDFs are refused quickly.

`tests/data/plan.pdf` is tests/data/plan.md laid out like a 公文 (fpdf2, 16 pt on a 28.95 pt grid, justified,
first-line indents, a running header, "— N —" page numbers, chapter/section headings and task leads in a
bold CJK font). Regenerate it with `.venv/bin/python -m tests.core.read.test_pdf` (needs fonts-wqy-microhei and
fonts-noto-cjk). Variants (other page-number styles, fake bold, a CFF body font) are made at test time and
skipped where the fonts are missing.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import ReadError
from app.core.read import pdf as pdf_reader
from app.core.read import read_file
from app.core.structure import ParsedDocument, parse_document

DATA = Path(__file__).resolve().parents[2] / "data"
PLAN_MD = DATA / "plan.md"
PLAN_PDF = DATA / "plan.pdf"
RUNNING_HEADER = "美丽上海建设“十五五”规划（征求意见稿）"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")


# --- a small Markdown → PDF typesetter (fixtures) ---------------------------------------------------------

MM = 25.4 / 72
_HEAD = re.compile(r"^(#{1,6})\s*(.*)$")
_LEAD = re.compile(r"^\*\*([^*]+?[。：:])\*\*(.*)$")


def _find_font(name: str) -> Path | None:
    for d in FONT_DIRS:
        if d.is_dir():
            for p in d.rglob(name):
                return p
    return None


def _plain(s: str) -> str:
    return re.sub(r"<[^>]+>", "", s).replace("**", "").strip()


def render_pdf(md: str, *, header: str = RUNNING_HEADER, footer: str = "— {n} —", bold: str = "font",
               body_font: str = "wqy-microhei.ttc") -> bytes:
    """Lay out Markdown like a 公文 PDF. bold: "font" (a bold CJK face) or "stroke" (fake bold, as Word does)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    from app.core.export.fonts import inspect_font
    from app.core.export.pdf_writer import break_lines

    body_path = _find_font(body_font)
    bold_path = _find_font("NotoSansCJK-Bold.ttc") if bold == "font" else body_path
    body = inspect_font(body_path) if body_path else None
    strong = inspect_font(bold_path) if bold_path else None
    if body is None or strong is None:
        pytest.skip(f"CJK fonts for the PDF fixture are missing ({body_font}, Noto CJK Bold)")

    class Doc(FPDF):
        def header(self) -> None:
            if self.page_no() > 1 and header:
                self.set_font("body", size=10.5)
                self.set_char_spacing(0)
                self.set_y(18)
                self.cell(0, 6, header, align="C")
                self.line(self.l_margin, 25, self.w - self.r_margin, 25)
            self.set_y(self.t_margin)

        def footer(self) -> None:
            if footer:
                self.set_font("body", size=14)
                self.set_char_spacing(0)
                self.set_y(-28)
                self.cell(0, 8, footer.format(n=self.page_no(), total="{nb}"), align="C")

    pdf = Doc(unit="mm", format="A4")
    pdf.add_font("body", "", str(body.path), collection_font_number=body.index)
    pdf.add_font("bold", "", str(strong.path), collection_font_number=strong.index)
    pdf.set_margins(28, 37, 26)
    pdf.set_auto_page_break(True, 35)
    pdf.c_margin = 0
    pdf.alias_nb_pages("{nb}")
    pdf.add_page()

    def para(text: str, lead: int, *, size: float = 16, center: bool = False, all_bold: bool = False) -> None:
        lh, indent = 28.95 * MM, 0.0 if center else size * MM * 2
        pdf.set_font("body", size=size)
        pad = "" if center else "\u3000\u3000"  # reserves the first-line indent while breaking
        lines = break_lines(pad + text, pdf.epw, pdf.get_string_width)
        lines[0] = lines[0][len(pad):]
        offset = 0
        for i, ln in enumerate(lines):
            if pdf.get_y() + lh > pdf.page_break_trigger:
                pdf.add_page()
            x = pdf.l_margin + (indent if i == 0 else 0)
            width = pdf.epw - (indent if i == 0 else 0)
            extra = 0.0
            if not center and i < len(lines) - 1 and len(ln) > 1:
                extra = max(0.0, (width - pdf.get_string_width(ln)) / (len(ln) - 1) / MM)
            if center:
                x = pdf.l_margin + (pdf.epw - pdf.get_string_width(ln)) / 2
            y = pdf.get_y()
            runs: list[tuple[bool, str]] = []
            for j, ch in enumerate(ln):
                b = all_bold or offset + j < lead
                runs = [*runs[:-1], (b, runs[-1][1] + ch)] if runs and runs[-1][0] == b else [*runs, (b, ch)]
            for b, s in runs:
                pdf.set_font("bold" if b and bold == "font" else "body", size=size)
                pdf.set_char_spacing(extra)
                pdf.set_xy(x, y)
                w = pdf.get_string_width(s)
                if b and bold == "stroke":
                    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.2):
                        pdf.cell(w, lh, s)
                else:
                    pdf.cell(w, lh, s)
                x += w
            pdf.set_char_spacing(0)
            pdf.set_xy(pdf.l_margin, y + lh)
            offset += len(ln)

    title_done = False
    for raw in md.split("\n"):
        s = raw.strip()
        if not s:
            continue
        m = _HEAD.match(s)
        if m and not title_done:
            para(_plain(m.group(2)), 0, size=22, center=True, all_bold=True)
            title_done = True
        elif s.startswith("(") and s.endswith(")") and len(s) < 20:
            para(s, 0, center=True)
            pdf.ln(28.95 * MM)
        elif m or (s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]):
            para(_plain(m.group(2) if m else s), 0, all_bold=True)
        elif lm := _LEAD.match(s):
            lead = _plain(lm.group(1))
            para(lead + _plain(lm.group(2)), len(lead))
        else:
            para(_plain(s), 0)
    out: Any = pdf.output()
    return bytes(out)


def image_only_pdf(pages: int = 3) -> bytes:
    """A "scanned" PDF: one picture per page, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF(unit="mm", format="A4")
    for p in range(pages):
        img = Image.new("L", (600, 840), 255)
        draw = ImageDraw.Draw(img)
        for row in range(40, 800, 30):
            draw.rectangle((60 + (row * 7 + p * 13) % 40, row, 540 - (row * 3) % 90, row + 14), fill=40)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=210, h=297)
    out: Any = pdf.output()
    return bytes(out)


# --- the plan ---------------------------------------------------------------------------------------------


def _counts(doc: ParsedDocument) -> Counter[str]:
    return Counter(c.level for c in doc.clauses)


@pytest.fixture(scope="module")
def md_plan() -> ParsedDocument:
    return parse_document(PLAN_MD.read_text(encoding="utf-8"), "plan", kind="规划")


@pytest.fixture(scope="module")
def pdf_text() -> str:
    return read_file(PLAN_PDF).text


def _same_plan(text: str, md_plan: ParsedDocument) -> None:
    doc = parse_document(text, "plan", kind="规划")
    counts = _counts(doc)
    assert (counts["chapter"], counts["section"], counts["task"]) == (9, 28, 44)
    assert counts == _counts(md_plan)
    assert [c.heading for c in doc.clauses] == [c.heading for c in md_plan.clauses]
    assert [c.id for c in doc.clauses] == [c.id for c in md_plan.clauses]
    assert doc.title == md_plan.title
    # Every clause has the Markdown's text: wraps joined without spaces, page breaks repaired.
    for a, b in zip(md_plan.clauses, doc.clauses, strict=True):
        assert b.text.replace(" ", "") == a.text.replace(" ", ""), a.id


def test_plan_pdf_parses_like_the_markdown(pdf_text: str, md_plan: ParsedDocument) -> None:
    _same_plan(pdf_text, md_plan)


def test_plan_pdf_headings_and_bold_leads(pdf_text: str) -> None:
    lines = pdf_text.split("\n")
    assert lines[0] == "# 美丽上海建设“十五五”规划"
    assert "**一、总体要求**" in lines
    assert "**健全碳排放双控制度体系。**全面实施碳排放总量和强度双控" in lines  # torn in plan.md too


def test_plan_pdf_page_furniture_removed(pdf_text: str) -> None:
    assert RUNNING_HEADER not in pdf_text
    for line in pdf_text.split("\n"):
        assert not re.search(r"—\s*\d+\s*—", line), line  # the "— N —" page numbers
        assert not re.fullmatch(r"[\s\d]+", line) or not line.strip(), line


def test_plan_pdf_paragraphs_rejoined(pdf_text: str) -> None:
    paragraphs = [ln for ln in pdf_text.split("\n") if ln]
    assert len(paragraphs) < 260  # one line per paragraph, not per printed line (the PDF has ~600)
    # A paragraph wrapped across a page break (pages 1→2 of the fixture) is one line again.
    assert any(p.endswith("人居环境品质明显提升，") for p in paragraphs)  # torn in plan.md, too


def test_plan_pdf_wraps_across_page_breaks_rejoined(pdf_text: str) -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(PLAN_PDF.read_bytes())
    pages = [[ln.strip() for ln in doc[i].get_textpage().get_text_range().splitlines() if ln.strip()]
             for i in range(len(doc))]
    doc.close()
    # Last printed line of page k (before the page number) + first line of page k+1 (after the header).
    joints = [a[-2] + b[1] for a, b in itertools.pairwise(pages)]
    found = [j for j in joints if j in pdf_text]
    assert len(found) >= 10, joints

def test_plan_pdf_is_fast() -> None:
    data = PLAN_PDF.read_bytes()
    start = time.perf_counter()
    pdf_reader.read_pdf(PLAN_PDF, data)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0  # 19 pages: ~0.2 s measured


@pytest.fixture(scope="module")
def plan_head() -> str:
    """The first chapters of the plan: enough for several pages, quick to typeset."""
    lines = PLAN_MD.read_text(encoding="utf-8").split("\n")
    end = next(i for i, ln in enumerate(lines) if "四、注重系统治理" in ln)
    return "\n".join(lines[:end])


@pytest.mark.parametrize(
    "footer", ["-{n}-", "- {n} -", "第{n}页", "第 {n} 页 共 {total} 页", "{n}", "{n}/{total}", ""]
)
def test_page_number_styles_removed(footer: str, plan_head: str) -> None:
    text = pdf_reader.read_pdf(Path("x.pdf"), render_pdf(plan_head, footer=footer, bold="stroke")).text
    assert RUNNING_HEADER not in text
    for line in text.split("\n"):
        assert not pdf_reader._PAGE_NUMBER.match(line), line
    md = parse_document(plan_head, "plan", kind="规划")
    doc = parse_document(text, "plan", kind="规划")
    assert [c.heading for c in doc.clauses] == [c.heading for c in md.clauses]


@pytest.mark.parametrize(("bold", "body_font"), [("stroke", "wqy-microhei.ttc"), ("font", "NotoSerifCJK-Regular.ttc")])
def test_fake_bold_and_cff_fonts(bold: str, body_font: str, plan_head: str) -> None:
    text = pdf_reader.read_pdf(Path("x.pdf"), render_pdf(plan_head, bold=bold, body_font=body_font)).text
    md = parse_document(plan_head, "plan", kind="规划")
    doc = parse_document(text, "plan", kind="规划")
    assert _counts(doc) == _counts(md) and _counts(doc)["task"] == 6
    assert [c.heading for c in doc.clauses] == [c.heading for c in md.clauses]


def test_without_running_header_the_first_line_stays(plan_head: str) -> None:
    text = pdf_reader.read_pdf(Path("x.pdf"), render_pdf(plan_head, header="", footer="", bold="stroke")).text
    assert text.startswith("# 美丽上海建设“十五五”规划\n\n(征求意见稿)\n\n为加快建设")


def test_long_bold_lead_wrapping_onto_the_next_line() -> None:
    lead = "深入推进长江口与黄浦江流域山水林田湖草沙一体化保护和系统治理，全面提升生态系统质量和稳定性。"
    md = f"# 示例规划\n\n## 一、总体要求\n\n**{lead}**加快实施重要生态系统保护和修复重大工程，推进生态廊道建设。\n"
    text = pdf_reader.read_pdf(Path("x.pdf"), render_pdf(md, header="", footer="", bold="stroke")).text
    assert f"**{lead}**加快实施重要生态系统保护和修复重大工程，推进生态廊道建设。" in text.split("\n")


# --- Kangxi radicals ----------------------------------------------------------------------------------------


def test_radicals_mapped_to_ideographs() -> None:
    # Qt's PDF writer with Noto CJK (STACK-NOTES) writes these; pdftotext/PDFium/pdfminer pass them through.
    assert pdf_reader.fix_radicals("⼀、⻓江⽣态，⼆氧化碳，⾊彩，⽔，⼾籍，⻔户，鿕") == (
        "一、长江生态，二氧化碳，色彩，水，户籍，门户，鿕",
        8,
    )


def test_qt_written_pdf_has_no_radicals_after_reading() -> None:
    text = read_file(DATA / "read" / "qt-noto-radicals.pdf").text
    assert "一、总体要求" in text and "长江生态环境保护" in text and "二氧化碳" in text
    assert not re.search("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]", text)


# --- bad input ------------------------------------------------------------------------------------------------


def _refused(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    start = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert time.perf_counter() - start < 2.0
    return info.value.message


def test_truncated_pdf(tmp_path: Path) -> None:
    data = PLAN_PDF.read_bytes()
    for cut in (len(data) // 2, len(data) - 300, 2000):
        assert _refused(tmp_path, "cut.pdf", data[:cut]).startswith("PDF 文件已损坏")


def test_garbage_after_header(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert _refused(tmp_path, "junk.pdf", data).startswith("PDF 文件已损坏")


def test_empty_pdf(tmp_path: Path) -> None:
    assert _refused(tmp_path, "empty.pdf", b"") == "文件为空"


def test_text_renamed_pdf(tmp_path: Path) -> None:
    data = "第一条 为了保护和改善环境，制定本法。\n".encode()
    assert _refused(tmp_path, "note.pdf", data) == pdf_reader.MSG_NOT_PDF


def test_image_only_pdf_is_scanned(tmp_path: Path) -> None:
    assert _refused(tmp_path, "scan.pdf", image_only_pdf()) == pdf_reader.MSG_SCANNED
    assert "扫描件" in pdf_reader.MSG_SCANNED and "OCR" in pdf_reader.MSG_SCANNED


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PLAN_PDF.read_bytes())))
    writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert _refused(tmp_path, "locked.pdf", _encrypted("secret")).startswith("PDF 已加密，无法读取")


def test_pdf_with_empty_user_password_reads(tmp_path: Path, md_plan: ParsedDocument) -> None:
    path = tmp_path / "owner-only.pdf"
    path.write_bytes(_encrypted(""))
    _same_plan(read_file(path).text, md_plan)


def test_pdf_without_text_or_images(tmp_path: Path) -> None:
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    blank.add_page()
    assert _refused(tmp_path, "blank.pdf", bytes(blank.output())) == pdf_reader.MSG_NO_TEXT


if __name__ == "__main__":
    PLAN_PDF.write_bytes(render_pdf(PLAN_MD.read_text(encoding="utf-8")))
    print(f"wrote {PLAN_PDF}")
