"""PDF with embedded, subsetted CJK fonts and a correct text layer (fpdf2: CID fonts + ToUnicode map).

Qt is never used here: Qt's PDF writer with Noto CJK maps 一二十长生气水色 to Kangxi radicals (STACK-NOTES).
The layout mirrors the .docx: 公文 margins, 16 pt text on 28.95 pt lines, 22 pt title, "— 1 —" page numbers,
and its faces by role (fonts.py): 宋/serif title, 仿宋 (else serif) body, 黑 document headings, 楷 (else 黑) clause
headings; 出处：/牵头单位：… lines hang, so a wrapped line never starts at the margin.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from app.core.export.fonts import FontFile, PdfFonts, find_fonts, truetype_copies
from app.core.export.model import ExportSet, group_heading
from app.core.progress import CancelToken, Progress

MM_PER_PT = 25.4 / 72
INDENT = "\u3000\u3000"  # two ideographic spaces: the 公文 first-line indent, kept in copied text


@dataclass(frozen=True)
class PdfLayout:
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right
    title_pt: float
    title_line_pt: float
    text_pt: float  # body, headings and subtitle
    line_pt: float
    page_pt: float
    page_gap_mm: float  # from the type area's bottom edge to the page number line
    gongwen_page_numbers: bool
    grid_chars: int | None = None  # characters per line (公文: 28, slightly narrower than the font size)


GONGWEN = PdfLayout((37, 35, 28, 26), 22, 35, 16, 28.95, 14, 7, True, grid_chars=28)
PLAIN = PdfLayout((25.4, 25.4, 31.8, 31.8), 18, 30, 12, 20, 10.5, 8, False)
FAKE_BOLD_MM = {"title": 0.25, "h1": 0.18}  # stroke width when the role has no font of its own
LABEL_BOLD_MM = 0.12  # 出处：/牵头单位： are bold in the .docx


class _Doc(FPDF):
    def __init__(self, layout: PdfLayout) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.layout = layout
        self.families: dict[str, str] = {}  # role (body/title/h1/h2) → registered font family

    def footer(self) -> None:
        lay = self.layout
        h = lay.page_pt * MM_PER_PT * 1.2
        self.set_y(-(lay.margins_mm[1] - lay.page_gap_mm))
        self.set_font(self.families["body"], size=lay.page_pt)
        n = self.page_no()
        if not lay.gongwen_page_numbers:
            self.cell(0, h, str(n), align="C")
            return
        inset = lay.page_pt * MM_PER_PT  # one character in from the type area's edge
        self.set_x(self.l_margin + (inset if n % 2 == 0 else 0))
        self.cell(self.epw - inset, h, f"— {n} —", align="L" if n % 2 == 0 else "R")


def _add_font(pdf: FPDF, family: str, font: FontFile) -> None:
    pdf.add_font(family, "", str(font.path), collection_font_number=font.index)


# 避头尾: characters that may not start a line, and ones that may not end it (GB/T 15834 punctuation rules).
NO_START = set("，。、；：？！）》」』】〕〉”’…—·%％‰,.;:?!)]}℃")
NO_END = set("（《「『【〔〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%/+\-_:]*|.", re.DOTALL)
MAX_STRETCH = 0.25  # at most a quarter character of extra space between two characters when justifying


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy CJK line breaking: Latin words and numbers stay whole, punctuation obeys 避头尾."""
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for tok in _TOKEN.findall(text):
        w = measure(tok)
        if used + w <= width or not line:
            if w > width and not line:  # a "word" longer than the line: split it by character
                for ch in tok:
                    cw = measure(ch)
                    if used + cw > width and line:
                        lines.append(line)
                        line, used = [], 0.0
                    line.append(ch)
                    used += cw
                continue
            line.append(tok)
            used += w
            continue
        carry: list[str] = []
        if tok[0] in NO_START and len(line) > 1:  # pull the last character down with the punctuation
            carry.insert(0, line.pop())
        while len(line) > 1 and line[-1][-1] in NO_END:
            carry.insert(0, line.pop())
        lines.append(line)
        line = [*carry, tok]
        used = sum(measure(t) for t in line)
    if line:
        lines.append(line)
    return ["".join(x) for x in lines]


def _para(pdf: _Doc, family: str, size: float, line_pt: float, text: str, *, align: str = "J",
          keep_lines: int = 1, spacing: float = 0.0, bold_mm: float = 0.0) -> None:
    """One paragraph laid out line by line; "J" justifies every line but the last by character spacing."""
    line_h = line_pt * MM_PER_PT
    if pdf.get_y() + keep_lines * line_h > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(pdf.families[family], size=size)
    pdf.set_char_spacing(spacing)
    lines = break_lines(text, pdf.epw, pdf.get_string_width)
    for i, line in enumerate(lines):
        if pdf.get_y() + line_h > pdf.page_break_trigger:
            pdf.add_page()
        extra = 0.0
        if align == "J" and i < len(lines) - 1 and len(line) > 1:
            slack = pdf.epw - pdf.get_string_width(line)
            extra = min(max(0.0, slack / (len(line) - 1) / MM_PER_PT), size * MAX_STRETCH)
        pdf.set_char_spacing(spacing + extra)
        # Fake bold is a stroked outline; fpdf2 never resets the text render mode, so keep it in a saved state
        # (per line: a page break inside a saved state would corrupt the page).
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=bold_mm) if bold_mm else nullcontext():
            pdf.cell(pdf.epw, line_h, line, align="C" if align == "C" else "L", new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)
        pdf.set_char_spacing(spacing)
    pdf.set_char_spacing(0)


def _labelled(pdf: _Doc, size: float, line_pt: float, label: str, value: str, *, spacing: float,
              bold_mm: float) -> None:
    """出处：… with a hanging indent: the label two characters in (stroked bold, as the .docx sets it bold), and
    every line of the value starts under the value's first character, never at the margin."""
    line_h = line_pt * MM_PER_PT
    if pdf.get_y() + line_h > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(pdf.families["body"], size=size)
    pdf.set_char_spacing(spacing)
    head = f"{INDENT}{label}："
    hang = pdf.get_string_width(head)
    width = pdf.epw - hang
    lines = break_lines(value, width, pdf.get_string_width)
    for i, line in enumerate(lines):
        if pdf.get_y() + line_h > pdf.page_break_trigger:
            pdf.add_page()
        if i == 0:
            with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=bold_mm) if bold_mm else nullcontext():
                pdf.cell(hang, line_h, head, align="L")
        pdf.set_x(pdf.l_margin + hang)
        extra = 0.0
        if i < len(lines) - 1 and len(line) > 1:
            slack = width - pdf.get_string_width(line)
            extra = min(max(0.0, slack / (len(line) - 1) / MM_PER_PT), size * MAX_STRETCH)
        pdf.set_char_spacing(spacing + extra)
        pdf.cell(width, line_h, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_char_spacing(spacing)
    pdf.set_char_spacing(0)


def role_texts(data: ExportSet) -> dict[str, str]:
    """The text each font role shows (role → text): CFF faces are cut down to these characters."""
    body = [*data.notices]
    heads = [data.subtitle]
    for doc_title, items in data.groups():
        heads.append(group_heading(doc_title))
        for it in items:
            heads.append(it.heading)
            body.append(it.text)
            body += [f"{label}：{value}" for label, value in it.facts()]
    return {"title": data.title, "h1": "".join(heads), "h2": "".join(heads), "body": "".join(body)}


def render_pdf(data: ExportSet, *, plain: bool = False, fonts: PdfFonts | None = None,
               progress: Progress | None = None, cancel: CancelToken | None = None) -> tuple[bytes, PdfFonts]:
    docs: list[_Doc] = []
    try:
        with tempfile.TemporaryDirectory(prefix="policydesk-pdf-") as tmp:  # fpdf2 reads the fonts until output()
            return _render_pdf(data, docs, Path(tmp), plain=plain, fonts=fonts, progress=progress, cancel=cancel)
    except BaseException:  # cancelled or failed: fpdf2 closes its font files only in output()
        for pdf in docs:
            for font in pdf.fonts.values():
                close = getattr(font, "close", None)
                if callable(close):
                    close()
        raise


def _render_pdf(data: ExportSet, docs: list[_Doc], tmp: Path, *, plain: bool, fonts: PdfFonts | None,
                progress: Progress | None, cancel: CancelToken | None) -> tuple[bytes, PdfFonts]:
    lay = PLAIN if plain else GONGWEN
    fonts = fonts or find_fonts()
    embed = truetype_copies(fonts, role_texts(data), tmp)  # CFF faces (Noto CJK) as TrueType subsets
    pdf = _Doc(lay)
    docs.append(pdf)
    # One family per distinct font file: roles sharing a font share the family, parsed once.
    families: dict[FontFile, str] = {}
    for font in embed.distinct():
        families[font] = f"cjk{len(families)}"
        _add_font(pdf, families[font], font)
    pdf.families = {role: families[getattr(embed, role)] for role in ("body", "title", "h1", "h2")}
    top, bottom, left, right = lay.margins_mm
    pdf.set_margins(left=left, top=top, right=right)
    pdf.set_auto_page_break(True, margin=bottom)
    pdf.c_margin = 0  # text starts at the type area's edge (fpdf2 pads cells by 1 mm otherwise)
    pdf.set_title(data.title)
    pdf.set_author("政策案头 PolicyDesk")
    pdf.set_creator("政策案头 PolicyDesk")
    pdf.set_lang("zh-CN")
    pdf.add_page()

    size, line = lay.text_pt, lay.line_pt
    # A 28-character line is a little narrower than 28 × 16 pt: tighten like Word's character grid does.
    # fpdf2 applies char spacing in points (whatever the document unit).
    sp = (pdf.epw - 0.2) / lay.grid_chars / MM_PER_PT - size if lay.grid_chars else 0.0
    bold = {role: (FAKE_BOLD_MM[role] if getattr(fonts, role) == fonts.body else 0.0) for role in FAKE_BOLD_MM}
    _para(pdf, "title", lay.title_pt, lay.title_line_pt, data.title, align="C", bold_mm=bold["title"])
    _para(pdf, "h2", size, line, data.subtitle, align="C", spacing=sp)
    pdf.ln(line * MM_PER_PT)
    done, total = 0, len(data.items)
    for doc_title, items in data.groups():  # unnumbered, as in the .docx (model.group_heading says why)
        _para(pdf, "h1", size, line, f"{INDENT}{group_heading(doc_title)}", keep_lines=3, spacing=sp,
              bold_mm=bold["h1"])
        for it in items:
            if cancel is not None and done % 20 == 0:
                cancel.check()
            _para(pdf, "h2", size, line, f"{INDENT}{it.heading}", keep_lines=2, spacing=sp)
            for text in it.text.split("\n"):
                if text.strip():
                    _para(pdf, "body", size, line, INDENT + text.strip(), spacing=sp)
            for label, value in it.facts():
                _labelled(pdf, size, line, label, value, spacing=sp, bold_mm=LABEL_BOLD_MM)
            done += 1
            if progress is not None:
                progress(done, total, "正在生成 PDF…")
    for notice in data.notices:
        _para(pdf, "body", size, line, INDENT + notice, spacing=sp)
    out: Any = pdf.output()
    return bytes(out), fonts


def all_text(data: ExportSet) -> str:
    parts = [data.title, data.subtitle, *data.notices]
    for doc_title, items in data.groups():
        parts.append(doc_title)
        parts += [f"{it.heading}{it.text}" + "".join(v for _, v in it.facts()) for it in items]
    return "".join(parts)
