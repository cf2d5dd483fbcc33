"""Word styles: bold, heading level, table-of-contents and numbering lookups through the basedOn chain."""

from __future__ import annotations

from lxml import etree

from app.core.read.docx.styles import _Styles
from app.core.read.docx.wml import W

STYLES = f"""<w:styles xmlns:w="{W}">
  <w:docDefaults><w:rPrDefault><w:rPr><w:b w:val="0"/></w:rPr></w:rPrDefault></w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
    <w:rPr><w:b/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="我的标题"/><w:basedOn w:val="Heading2"/>
    <w:rPr><w:b w:val="0"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="CnHeading"><w:name w:val="标题 3"/></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="提纲"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="BodyLevel"><w:name w:val="正文级"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
  <w:style w:type="paragraph" w:styleId="MyToc"><w:name w:val="目录项"/><w:basedOn w:val="TOC1"/></w:style>
  <w:style w:type="paragraph" w:styleId="List"><w:name w:val="列表"/>
    <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="ListChild"><w:name w:val="列表子"/><w:basedOn w:val="List"/></w:style>
  <w:style w:type="paragraph" w:styleId="NoLevel"><w:name w:val="无级别"/><w:basedOn w:val="Leveled"/>
    <w:pPr><w:numPr><w:numId w:val="8"/></w:numPr></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Leveled"><w:name w:val="有级别"/>
    <w:pPr><w:numPr><w:ilvl w:val="2"/></w:numPr></w:pPr></w:style>
  <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="A"/><w:basedOn w:val="LoopB"/></w:style>
  <w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="B"/><w:basedOn w:val="LoopA"/></w:style>
</w:styles>"""


def _styles() -> _Styles:
    return _Styles(etree.fromstring(STYLES))


def test_defaults() -> None:
    styles = _styles()
    assert styles.default_para == "Normal"
    assert styles.default_bold is False
    assert styles.styles["Heading2"].based_on == "Normal"


def test_bold_is_inherited_and_overridden() -> None:
    styles = _styles()
    assert styles.bold("Heading2") is True
    assert styles.bold("MyHeading") is False  # its own w:b val=0 comes first in the chain
    assert styles.bold("Strong") is True
    assert styles.bold("Normal") is None
    assert styles.bold("Unknown") is None


def test_heading_levels() -> None:
    styles = _styles()
    assert styles.heading_level("Heading2") == 2
    assert styles.heading_level("MyHeading") == 2  # through basedOn
    assert styles.heading_level("CnHeading") == 3
    assert styles.heading_level("Title") == 1
    assert styles.heading_level("Outline") == 2  # outlineLvl is 0-based
    assert styles.heading_level("BodyLevel") == 0  # outline level 9 = body text
    assert styles.heading_level("Normal") == 0


def test_table_of_contents_styles() -> None:
    styles = _styles()
    assert styles.is_toc("TOC1") and styles.is_toc("MyToc")
    assert not styles.is_toc("Heading2") and not styles.is_toc("")


def test_numbering_through_the_style_chain() -> None:
    styles = _styles()
    assert styles.numbering("List") == ("7", 1, "List")
    assert styles.numbering("ListChild") == ("7", 1, "List")
    assert styles.numbering("NoLevel") == ("8", 2, "NoLevel")  # ilvl from further up the chain
    assert styles.numbering("Normal") == (None, None, "")


def test_a_basedon_cycle_ends() -> None:
    styles = _styles()
    assert [sid for sid, _ in styles.chain("LoopA")] == ["LoopA", "LoopB"]
    assert styles.heading_level("LoopA") == 0 and styles.bold("LoopB") is None


def test_lookups_are_memoised_per_style() -> None:
    styles = _styles()
    assert styles.heading_level("Heading2") == 2
    styles.styles["Heading2"].name = "heading 5"
    assert styles.heading_level("Heading2") == 2  # cached: the styles part does not change during a read


def test_document_without_styles_part() -> None:
    styles = _Styles(None)
    assert styles.styles == {} and styles.default_para == "" and styles.default_bold is False
    assert styles.heading_level("Heading1") == 0 and styles.numbering("x") == (None, None, "")


def test_bold_document_default() -> None:
    root = etree.fromstring(
        f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:b/></w:rPr></w:rPrDefault>'
        "</w:docDefaults></w:styles>"
    )
    assert _Styles(root).default_bold is True
