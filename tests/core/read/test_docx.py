"""Word .docx reader: automatic numbering as visible labels, headings, bold leads, tables, hostile files."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.errors import ReadError
from app.core.read import read_file
from app.core.read.docx import (
    MSG_BOMB,
    MSG_DAMAGED,
    MSG_DTD,
    MSG_ENCRYPTED,
    MSG_LEGACY,
    MSG_NO_TEXT,
    OLE_MAGIC,
    format_number,
    read_docx,
)
from app.core.structure import parse_document

DATA = Path(__file__).resolve().parents[2] / "data"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FAST = 2.0

# --- building documents with real automatic numbering ------------------------------------------------


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None) -> str:
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{restart_xml}'
        f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


def _add_numbering(
    document: docx.document.Document, abstract_id: int, levels: str, nums: dict[int, str]
) -> None:
    """Add an abstractNum with `levels` and w:num instances {numId: extra XML (overrides)}."""
    root = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    for num_id, extra in nums.items():
        root.append(
            parse_xml(
                f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{extra}</w:num>'
            )
        )


def _number(paragraph: docx.text.paragraph.Paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _task(document: docx.document.Document, lead: str, rest: str, num_id: int | None = None) -> None:
    p = document.add_paragraph()
    p.add_run(lead).bold = True
    p.add_run(rest)
    if num_id is not None:
        _number(p, num_id, 2)


def _numbered_doc() -> bytes:
    d = docx.Document()
    _add_numbering(
        d,
        90,
        _lvl(0, "chineseCounting", "%1、")
        + _lvl(1, "chineseCounting", "（%2）")
        + _lvl(2, "decimal", "%3.")
        + _lvl(3, "decimalEnclosedCircleChinese", "%4"),
        {
            901: "",
            # Word's "restart numbering": same list definition, chapters start again at 5 (五、).
            902: '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>',
        },
    )
    _add_numbering(d, 91, _lvl(0, "decimalEnclosedCircleChinese", "%1"), {911: ""})
    # A paragraph style that carries numbering (numbering through the style, not the paragraph).
    step = d.styles.add_style("步骤", WD_STYLE_TYPE.PARAGRAPH)
    step.base_style = d.styles["Normal"]
    step.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="911"/></w:numPr>')
    )
    toc = d.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.font.size = Pt(10)

    d.add_paragraph("测试规划", style="Title")
    d.add_paragraph("一、总体要求\t1", style="toc 1")  # a table of contents entry: never read
    d.add_paragraph("为做好工作，制定本规划。")
    d.sections[0].header.paragraphs[0].text = "页眉不应出现"
    d.sections[0].footer.paragraphs[0].text = "页脚不应出现"

    for chapter in ("总体要求", "重点任务"):
        _number(d.add_paragraph(chapter, style="Heading 1"), 901, 0)
        for section in ("加强统筹", "完善机制"):
            p = d.add_paragraph()
            p.add_run(section).bold = True
            _number(p, 901, 1)
            _task(d, "加强组织领导。", "各区要落实责任。", 901)
            _task(d, "强化资金保障：", "统筹安排资金。", 901)
            _number(d.add_paragraph("细化分工", style="Normal"), 901, 3)
    _number(d.add_paragraph("保障措施", style="Heading 1"), 902, 0)
    d.add_paragraph("第一步", style="步骤")
    d.add_paragraph("第二步", style="步骤")

    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["序号", "任务", "牵头单位"], ["1", "治理扬尘", "市生态环境局"], ["2", "", "市住房城乡建设管理委"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # vertical merge: one cell over two rows
    head = table.cell(0, 1).merge(table.cell(0, 2))  # horizontal merge
    head.text = "任务与牵头单位"
    table.cell(2, 0).add_paragraph("（续）")  # a second paragraph in a cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def numbered() -> str:
    return read_docx(Path("numbered.docx"), _numbered_doc()).text


def test_numbering_labels_are_rendered(numbered: str) -> None:
    lines = numbered.split("\n\n")
    assert "# 一、总体要求" in lines
    assert "# 二、重点任务" in lines
    assert lines.count("**（一）加强统筹**") == 2  # sections restart under each chapter
    assert lines.count("**（二）完善机制**") == 2
    # Items restart under each section: 1. 2. four times.
    assert lines.count("**1.加强组织领导。**各区要落实责任。") == 4
    assert lines.count("**2.强化资金保障：**统筹安排资金。") == 4
    assert lines.count("①细化分工") == 4  # level 3 restarts under each item level above
    assert "# 五、保障措施" in lines  # w:startOverride on a second w:num
    assert "①第一步" in lines and "②第二步" in lines  # numbering via the paragraph style


def test_headings_title_and_dropped_parts(numbered: str) -> None:
    assert numbered.startswith("# 测试规划\n\n为做好工作，制定本规划。")
    for hidden in ("页眉不应出现", "页脚不应出现", "\t1", "总体要求 1"):
        assert hidden not in numbered


def test_table_rows_with_merged_cells(numbered: str) -> None:
    rows = [ln for ln in numbered.strip().split("\n\n") if ln.startswith("|")]
    assert rows == [
        "| 序号 | 任务与牵头单位 |",
        "| 1 | 治理扬尘 | 市生态环境局 |",
        "| 2 （续） |  | 市住房城乡建设管理委 |",
    ]


def test_numbered_docx_parses_as_plan(numbered: str) -> None:
    doc = parse_document(numbered, "t", kind="规划")
    counts = Counter(c.level for c in doc.clauses)
    assert counts["chapter"] == 3 and counts["section"] == 4
    # Numbered task leads become clauses (task or numbered item, as the parser names them) under each section.
    leads = [c for c in doc.clauses if c.heading in ("加强组织领导。", "1.加强组织领导。")]
    assert len(leads) == 4 and all(c.text == "各区要落实责任。" for c in leads)
    assert doc.title == "测试规划"


@pytest.mark.parametrize(
    ("n", "fmt", "label"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (3, "ideographTraditional", "丙"),
        (3, "chineseLegalSimplified", "叁"),
        (20, "decimalEnclosedCircleChinese", "⑳"),
        (21, "decimalEnclosedCircle", "㉑"),
        (4, "decimalEnclosedParen", "(4)"),
        (28, "upperLetter", "BB"),
        (9, "lowerRoman", "ix"),
        (7, "decimalZero", "07"),
        (5, "bullet", ""),
        (5, "someFutureFormat", "5"),
    ],
)
def test_format_number(n: int, fmt: str, label: str) -> None:
    assert format_number(n, fmt) == label


# --- the seed plan as .docx --------------------------------------------------------------------------


def test_plan_docx_matches_markdown() -> None:
    from_docx = parse_document(read_file(DATA / "plan.docx").text, "plan", kind="规划")
    from_md = parse_document((DATA / "plan.md").read_text(encoding="utf-8"), "plan", kind="规划")
    counts = Counter(c.level for c in from_docx.clauses)
    assert counts == Counter(c.level for c in from_md.clauses)
    assert (counts["chapter"], counts["section"], counts["task"]) == (9, 28, 44)
    tasks = [c.heading for c in from_docx.clauses if c.level == "task"]
    assert tasks == [c.heading for c in from_md.clauses if c.level == "task"]
    assert from_docx.title == from_md.title
    assert from_docx.warnings == ()


def test_plan_docx_speed() -> None:
    data = (DATA / "plan.docx").read_bytes()
    start = time.perf_counter()
    for _ in range(5):
        read_docx(DATA / "plan.docx", data)
    assert (time.perf_counter() - start) / 5 < 1.0


# --- hostile files -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a member declares in the central directory (a lying zip)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", out, pos + 24, size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def _refused(data: bytes, name: str = "bad.docx") -> ReadError:
    start = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_docx(Path(name), data)
    assert time.perf_counter() - start < FAST
    return info.value


def _small_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("正文")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + f"]><w:document {W_NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f"<w:document {W_NS}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def test_zip_bomb_high_ratio() -> None:
    members = _members(_small_docx())
    members["word/media/pad.bin"] = b"\0" * (8 * 1024 * 1024)  # ~1000:1
    assert _refused(_zip(members)).message == MSG_BOMB


def test_zip_bomb_declared_size() -> None:
    data = _declare_size(_small_docx(), "word/document.xml", 3_000_000_000)
    assert _refused(data).message == MSG_BOMB


def test_zip_with_too_many_entries() -> None:
    members = _members(_small_docx())
    members.update({f"customXml/item{i}.bin": b"" for i in range(6000)})
    assert _refused(_zip(members, zipfile.ZIP_STORED)).message == MSG_BOMB


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_dtd_in_document_xml_is_refused(xml: str) -> None:
    members = _members(_small_docx())
    members["word/document.xml"] = xml.encode()
    assert _refused(_zip(members)).message == MSG_DTD


def test_python_docx_parser_does_not_expand_entities() -> None:
    """Defence in depth: even without our DTD check python-docx's lxml parser never expands entities."""
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    start = time.perf_counter()
    try:  # libxml2 either keeps the reference unexpanded or stops at its amplification limit
        text = "".join(etree.fromstring(BILLION_LAUGHS.encode(), oxml_parser).itertext())
    except etree.XMLSyntaxError:
        text = ""
    assert len(text) < 100 and time.perf_counter() - start < FAST
    root = etree.fromstring(EXTERNAL_ENTITY.encode(), oxml_parser)
    assert "root:" not in "".join(root.itertext())


def test_truncated_zip() -> None:
    data = (DATA / "plan.docx").read_bytes()
    assert _refused(data[: len(data) // 2]).message == MSG_DAMAGED


def test_text_file_named_docx() -> None:
    assert _refused("这只是一个文本文件\n".encode()).message == MSG_DAMAGED


def test_zip_without_document_xml() -> None:
    assert _refused(_zip({"[Content_Types].xml": b"<Types/>"})).message == MSG_DAMAGED


def test_damaged_document_xml() -> None:
    members = _members(_small_docx())
    members["word/document.xml"] = b"<w:document><w:body><w:p>"
    assert _refused(_zip(members)).message == MSG_DAMAGED


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="文件为空"):
        read_file(path)
    assert _refused(b"").message == "文件为空"


def test_encrypted_ole() -> None:
    data = OLE_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024
    assert _refused(data).message == MSG_ENCRYPTED


def test_legacy_ole_without_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    data = OLE_MAGIC + b"\0" * 4096
    assert _refused(data).message == MSG_LEGACY


def test_document_without_text() -> None:
    d = docx.Document()
    d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    assert _refused(buf.getvalue()).message == MSG_NO_TEXT
