"""Word (.docx) in the GB/T 9704-2012 公文 layout, as far as Word allows, or a plain layout.

公文: A4; margins top 37 / bottom 35 / left 28 / right 26 mm; title 方正小标宋简体 二号 centred; body 仿宋_GB2312
三号 in a 22 lines × 28 characters grid (fixed 28.95 pt lines); level-1 headings 黑体 三号 (一、), level-2 楷体_GB2312
三号 (（一）); page numbers 宋体 四号 "— 1 —", odd pages right, even pages left, one character in.

Fonts are written explicitly on styles and runs (w:ascii/w:hAnsi/w:eastAsia/w:cs, theme attributes removed,
python-docx's default template would otherwise pick a Japanese font), and the font table names a fallback
(w:altName: 仿宋_GB2312 → 仿宋 …) for machines without the GB2312-era fonts.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.core.export.model import ExportSet, clean_text, group_heading
from app.core.progress import CancelToken, Progress

LATIN = "Times New Roman"
TWIPS_PER_PT = 20


@dataclass(frozen=True)
class Role:
    east_asia: str
    size: float  # pt
    bold: bool = False


@dataclass(frozen=True)
class DocxLayout:
    name: str
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right
    title: Role
    subtitle: Role
    h1: Role
    h2: Role
    body: Role
    label: Role
    page: Role
    line_pt: float | None  # exact line spacing; None: 1.5 lines
    title_line_pt: float | None
    grid_chars: int | None  # characters per line of the document grid (公文: 28)
    footer_mm: float
    gongwen_page_numbers: bool


GONGWEN = DocxLayout(
    name="gongwen", margins_mm=(37, 35, 28, 26),
    title=Role("方正小标宋简体", 22), subtitle=Role("楷体_GB2312", 16), h1=Role("黑体", 16),
    h2=Role("楷体_GB2312", 16), body=Role("仿宋_GB2312", 16), label=Role("仿宋_GB2312", 16, bold=True),
    page=Role("宋体", 14), line_pt=28.95, title_line_pt=35, grid_chars=28,
    # The page number line sits 7 mm below the type area (35 mm): its top at 28 mm, a 四号 line below that.
    footer_mm=22, gongwen_page_numbers=True,
)
PLAIN = DocxLayout(
    name="plain", margins_mm=(25.4, 25.4, 31.8, 31.8),
    title=Role("黑体", 18, bold=True), subtitle=Role("楷体", 12), h1=Role("黑体", 14, bold=True),
    h2=Role("黑体", 12, bold=True), body=Role("宋体", 12), label=Role("黑体", 12), page=Role("宋体", 10.5),
    line_pt=None, title_line_pt=None, grid_chars=None, footer_mm=15, gongwen_page_numbers=False,
)

# Font table entries: w:altName is what Word substitutes when the named font is missing; charset 86 = GB2312.
FONT_FALLBACKS = {
    "仿宋_GB2312": ("仿宋", "roman", "02010609030101010101"),
    "楷体_GB2312": ("楷体", "modern", "02010609030101010101"),
    "方正小标宋简体": ("宋体", "script", "02000000000000000000"),
    "黑体": ("SimHei", "modern", "02010609060101010101"),
    "仿宋": ("FangSong", "modern", "02010609060101010101"),
    "楷体": ("KaiTi", "modern", "02010609060101010101"),
    "宋体": ("SimSun", "auto", "02010600030101010101"),
}
STYLE_TITLE = "公文标题"
STYLE_SUBTITLE = "公文副标题"


def _child(parent: Any, tag: str) -> Any:
    """The first `tag` child of `parent`, created (appended) when missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def _rpr(el: Any) -> Any:
    """The w:rPr of a run or style element, created in schema order (first child of a run)."""
    rpr = el.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        if el.tag == qn("w:r"):
            el.insert(0, rpr)
        else:
            el.append(rpr)
    return rpr


def set_fonts(rpr: Any, east_asia: str, latin: str = LATIN) -> None:
    """Name every script's font explicitly (w:eastAsia included) and drop theme fonts, which win otherwise."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _condense(style: Any, twentieths: int) -> None:
    if twentieths:
        _child(_rpr(style.element), "w:spacing").set(qn("w:val"), str(twentieths))


def _style_run_props(style: Any, role: Role) -> None:
    style.font.size = Pt(role.size)
    style.font.bold = role.bold
    style.font.italic = False
    rpr = _rpr(style.element)
    set_fonts(rpr, role.east_asia)
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)
    _child(rpr, "w:kern").set(qn("w:val"), "0")


def _set_lang(rpr: Any) -> None:
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _spacing(fmt: Any, layout: DocxLayout, line_pt: float | None) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    else:
        fmt.line_spacing = 1.5


def _indent_chars(style: Any, chars: int, size_pt: float) -> None:
    """First-line indent in characters (w:firstLineChars) with the twips value for older readers."""
    ppr = style.element.get_or_add_pPr()
    ind = _child(ppr, "w:ind")
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size_pt * TWIPS_PER_PT)))


def _no_grid_snap(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    _child(ppr, "w:snapToGrid").set(qn("w:val"), "0")


def _setup_styles(doc: Any, layout: DocxLayout) -> None:
    styles = doc.styles
    # Document defaults: what every run without a style falls back to (Word, WPS and LibreOffice).
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, layout.body.east_asia)
    _child(rpr, "w:sz").set(qn("w:val"), str(int(layout.body.size * 2)))
    _child(rpr, "w:szCs").set(qn("w:val"), str(int(layout.body.size * 2)))
    _set_lang(rpr)
    ppr = _child(_child(defaults, "w:pPrDefault"), "w:pPr")
    spacing = _child(ppr, "w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:before"), "0")

    normal = styles["Normal"]
    _style_run_props(normal, layout.body)
    _spacing(normal.paragraph_format, layout, layout.line_pt)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(normal, 2, layout.body.size)
    _condense(normal, condense_twentieths(layout))

    for name, role in (("Heading 1", layout.h1), ("Heading 2", layout.h2)):
        st = styles[name]
        _style_run_props(st, role)
        _spacing(st.paragraph_format, layout, layout.line_pt)
        st.paragraph_format.keep_with_next = True
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _indent_chars(st, 2, role.size)
        _condense(st, condense_twentieths(layout))

    from docx.enum.style import WD_STYLE_TYPE

    for name, role, line in ((STYLE_TITLE, layout.title, layout.title_line_pt),
                             (STYLE_SUBTITLE, layout.subtitle, layout.line_pt)):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _style_run_props(st, role)
        _spacing(st.paragraph_format, layout, line)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _indent_chars(st, 0, role.size)
        _no_grid_snap(st)  # a 22 pt title on a 16 pt character grid would be spread out


def _setup_font_table(doc: Any) -> None:
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    known = {el.get(qn("w:name")) for el in root.findall(qn("w:font"))}
    for name, (alt, family, panose) in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"), ("w:family", family),
                         ("w:pitch", "variable")):
            _child(font, tag).set(qn("w:val"), val)
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_page(doc: Any, layout: DocxLayout) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = layout.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(15), Mm(layout.footer_mm)
    if layout.line_pt:
        # A line grid only: LibreOffice spreads text over a linesAndChars grid with a negative charSpace
        # (13 characters a line instead of 28). The 28 characters come from condensed spacing instead.
        grid = _child(section._sectPr, "w:docGrid")
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(layout.line_pt * TWIPS_PER_PT)))
        grid.attrib.pop(qn("w:charSpace"), None)


def condense_twentieths(layout: DocxLayout) -> int:
    """Character spacing (1/20 pt, negative) that fits `grid_chars` characters of body text on a line."""
    if not layout.grid_chars:
        return 0
    _top, _bottom, left, right = layout.margins_mm
    width_pt = (210 - left - right) / 25.4 * 72
    pitch = width_pt / layout.grid_chars  # 15.79 pt for 28 characters of a 16 pt font
    return math.floor((pitch - layout.body.size) * TWIPS_PER_PT)


def _run(paragraph: Any, text: str, role: Role) -> Any:
    run = paragraph.add_run(clean_text(text))  # python-docx raises on XML-invalid characters
    run.font.size = Pt(role.size)
    run.font.bold = role.bold
    set_fonts(_rpr(run._r), role.east_asia)
    return run


def _field_run(paragraph: Any, role: Role, kind: str, text: str = "") -> None:
    run = _run(paragraph, "", role)
    if kind == "instr":
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = text
        run._r.append(instr)
    elif kind == "text":
        t = OxmlElement("w:t")
        t.text = text
        run._r.append(t)
    else:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)


def _page_number(paragraph: Any, layout: DocxLayout) -> None:
    role = layout.page
    if layout.gongwen_page_numbers:
        _run(paragraph, "— ", role)
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
        _field_run(paragraph, role, kind, text)
    if layout.gongwen_page_numbers:
        _run(paragraph, " —", role)


def _setup_footer(doc: Any, layout: DocxLayout) -> None:
    section = doc.sections[0]
    footers = [(section.footer, "odd")]
    if layout.gongwen_page_numbers:  # odd pages right, even pages left, each one character in
        doc.settings.odd_and_even_pages_header_footer = True
        footers.append((section.even_page_footer, "even"))
    for footer, which in footers:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if not layout.gongwen_page_numbers:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif which == "odd":
            fmt.alignment, fmt.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(layout.page.size)
        else:
            fmt.alignment, fmt.left_indent = WD_ALIGN_PARAGRAPH.LEFT, Pt(layout.page.size)
        _page_number(p, layout)


def char_pitch_pt(layout: DocxLayout) -> float:
    """The advance of one body character: the font size tightened by the grid's condensed spacing."""
    return layout.body.size + condense_twentieths(layout) / TWIPS_PER_PT


def _hang(paragraph: Any, layout: DocxLayout, label_chars: int) -> None:
    """A labelled line (出处：…) with a hanging indent: it starts two characters in like the text, and a wrapped
    line lines up under the value, so it never starts at the margin and reads like a heading (一、总体要求)."""
    pitch = char_pitch_pt(layout)
    ind = _child(paragraph._p.get_or_add_pPr(), "w:ind")
    ind.set(qn("w:left"), str(round((2 + label_chars) * pitch * TWIPS_PER_PT)))
    ind.set(qn("w:hanging"), str(round(label_chars * pitch * TWIPS_PER_PT)))
    ind.set(qn("w:firstLineChars"), "0")  # the style's two-character first-line indent would win otherwise


def render_docx(data: ExportSet, *, plain: bool = False, progress: Progress | None = None,
                cancel: CancelToken | None = None) -> bytes:
    layout = PLAIN if plain else GONGWEN
    doc = Document()
    _setup_styles(doc, layout)
    _setup_font_table(doc)
    _setup_page(doc, layout)
    _setup_footer(doc, layout)
    doc.core_properties.title = data.title
    doc.core_properties.author = "政策案头 PolicyDesk"
    doc.core_properties.language = "zh-CN"

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.style = doc.styles[STYLE_TITLE]
    _run(body, data.title, layout.title)
    _run(doc.add_paragraph(style=STYLE_SUBTITLE), data.subtitle, layout.subtitle)
    doc.add_paragraph(style=STYLE_SUBTITLE)  # 空一行 between title and text

    done, total = 0, len(data.items)
    for doc_title, items in data.groups():
        _run(doc.add_paragraph(style="Heading 1"), group_heading(doc_title), layout.h1)
        for it in items:
            if cancel is not None and done % 20 == 0:
                cancel.check()
            _run(doc.add_paragraph(style="Heading 2"), it.heading, layout.h2)
            for line in it.text.split("\n"):
                if line.strip():
                    _run(doc.add_paragraph(), line.strip(), layout.body)
            for label, value in it.facts():
                p = doc.add_paragraph()
                _hang(p, layout, len(label) + 1)
                _run(p, f"{label}：", layout.label)
                _run(p, value, layout.body)
            done += 1
            if progress is not None:
                progress(done, total, "正在生成 Word 文档…")
    for notice in data.notices:
        _run(doc.add_paragraph(), notice, layout.body)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
