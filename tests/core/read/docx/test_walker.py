"""The .docx body walk: paragraphs and tables in document order → Markdown-shaped lines, with warnings."""

from __future__ import annotations

from lxml import etree

from app.core.read.docx.numbering import Numbering
from app.core.read.docx.styles import _Styles
from app.core.read.docx.walker import _join, _resolve_breaks, _sep, _Walker
from app.core.read.docx.wml import MC, W

NS = f'xmlns:w="{W}" xmlns:mc="{MC}"'
STYLES = (
    f'<w:styles {NS}>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Lead"><w:name w:val="要点"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>'
    "</w:styles>"
)
NUMBERING = (
    f'<w:numbering {NS}><w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
    '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)


def _run(text: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r>"


def _p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def _walk(body: str) -> _Walker:
    styles = _Styles(etree.fromstring(STYLES))
    walker = _Walker(styles, Numbering(etree.fromstring(NUMBERING), styles))
    walker.walk(etree.fromstring(f"<w:body {NS}>{body}</w:body>"))
    return walker


def test_helpers_join_breaks_and_labels() -> None:
    assert _join("环境", "保护") == ""
    assert _join("PM2.5", "浓度") == " "
    assert _join("", "x") == ""
    assert _resolve_breaks("第一行\n  第二行\nand\nmore") == "第一行第二行 and more"
    assert _resolve_breaks("一行") == "一行"
    assert _sep("一、", "总体要求", "tab") == ""  # a Chinese label needs no space
    assert _sep("1", "Scope", "tab") == " "
    assert _sep("1.", "Scope", "nothing") == ""
    assert _sep("", "text", "tab") == ""


def test_headings_bold_paragraphs_and_bold_leads() -> None:
    walker = _walk(
        _p(_run("测试规划"), ppr='<w:pStyle w:val="H1"/>')
        + _p(_run("总体目标"), ppr='<w:outlineLvl w:val="2"/>')
        + _p(_run("全部加粗的段落", bold=True))
        + _p(_run("健全双控制度。", bold=True), _run("全面实施双控。"))
        + _p(_run("普通段落。"))
        + _p(_run("样式加粗"), ppr='<w:pStyle w:val="Lead"/>')
        + _p('<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>字符样式加粗。</w:t></w:r>', _run("其余。"))
    )
    assert walker.out == [
        "# 测试规划",
        "### 总体目标",
        "**全部加粗的段落**",
        "**健全双控制度。**全面实施双控。",
        "普通段落。",
        "**样式加粗**",
        "**字符样式加粗。**其余。",
    ]
    assert walker.warnings == set()


def test_a_bold_start_without_sentence_end_is_no_lead() -> None:
    assert _walk(_p(_run("加粗", bold=True), _run("接着写。"))).out == ["加粗接着写。"]


def test_numbering_labels_are_drawn() -> None:
    num = '<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="3"/></w:numPr>'
    walker = _walk(
        _p(_run("总体要求"), ppr=num.format(0))
        + _p(_run("Scope of work"), ppr=num.format(1))
        + _p(_run("重点任务"), ppr=num.format(0))
        + _p(_run("不编号"), ppr='<w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    assert walker.out == ["一、总体要求", "1. Scope of work", "二、重点任务", "不编号"]


def test_hidden_deleted_and_field_text_is_not_read() -> None:
    walker = _walk(
        _p(
            _run("保留"),
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>',
            '<w:del><w:r><w:delText>删除</w:delText></w:r></w:del>',
            '<w:r><w:instrText>PAGE</w:instrText></w:r>',
            '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>可见</w:t></w:r>',
            '<w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:noBreakHyphen/><w:t>C</w:t></w:r>',
        )
    )
    assert walker.out == ["保留可见A B-C"]
    assert walker.warnings == {"文档含有未接受的修订，已按修订后的内容读取"}


def test_content_controls_insertions_and_text_boxes() -> None:
    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>'
        + _p(_run("文本框内容"))
        + "</w:txbxContent></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><w:txbxContent>' + _p(_run("重复的后备内容")) + "</w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    walker = _walk(
        "<w:sdt><w:sdtContent>" + _p(_run("控件里的段落")) + "</w:sdtContent></w:sdt>"
        + "<w:ins>" + _p(_run("插入的段落")) + "</w:ins>"
        + _p(_run("有文本框的段落"), textbox)
        + '<w:altChunk r:id="x" xmlns:r="urn:r"/>'
    )
    assert walker.out == ["控件里的段落", "插入的段落", "有文本框的段落", "文本框内容"]
    assert walker.warnings == {
        "文档含有未接受的修订，已按修订后的内容读取",
        "文档中嵌入的其他格式内容（altChunk）未读取",
    }


def test_tables_with_merged_cells_and_pipes() -> None:
    def tc(text: str, pr: str = "") -> str:
        return f"<w:tc>{'<w:tcPr>' + pr + '</w:tcPr>' if pr else ''}{_p(_run(text))}</w:tc>"

    restart_h, cont_h = '<w:hMerge w:val="restart"/>', "<w:hMerge/>"
    restart_v, cont_v = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = (
        "<w:tbl>"
        f"<w:tr>{tc('指标')}{tc('2030年', restart_h)}{tc('', cont_h)}</w:tr>"
        f"<w:tr>{tc('A|B', restart_v)}{tc('≥95')}</w:tr>"
        f"<w:tr>{tc('', cont_v)}{tc('≥96')}</w:tr>"
        f"<w:tr>{tc('')}{tc('')}</w:tr>"
        "</w:tbl>"
    )
    assert _walk(table).out == ["| 指标 | 2030年 |", "| A｜B | ≥95 |", "|  | ≥96 |"]


def test_table_of_contents_and_empty_paragraphs_are_dropped() -> None:
    walker = _walk(_p(_run("一、总体要求\t1"), ppr='<w:pStyle w:val="TOC1"/>') + _p() + _p(_run("  ")) + _p(_run("正文")))
    assert walker.out == ["正文"]
