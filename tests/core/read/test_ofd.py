"""OFD reader: text in reading order from shuffled glyph runs, paragraphs rejoined across lines and pages."""

from __future__ import annotations

import io
import random
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.errors import ReadError
from app.core.read.docx import MSG_BOMB, MSG_DTD
from app.core.read.ofd import MSG_DAMAGED, MSG_NO_TEXT, read_ofd

FAST = 2.0
NS = "http://www.ofdspec.org/2016"
LEFT, RIGHT, TOP = 25.0, 185.0, 30.0
PER_LINE = 40  # 160 mm / 4 mm


@dataclass
class Para:
    text: str
    size: float = 4.0
    indent: int = 2  # characters of first-line indent
    centered: bool = False
    lead: str = ""  # leading part drawn in the bold font


def _layout(paras: list[Para], lines_per_page: int) -> list[list[tuple[float, float, float, str, str]]]:
    """Lay paragraphs out as glyph runs (x, y, size, font id, text) on A4 pages, like a typesetter."""
    pages: list[list[tuple[float, float, float, str, str]]] = [[]]
    line_no = 0
    for para in paras:
        per_line = int((RIGHT - LEFT) // para.size)
        chunks: list[tuple[float, str, int]] = []  # (x, text, start offset)
        pos, first = 0, True
        while pos < len(para.text):
            room = per_line - (para.indent if first else 0)
            piece = para.text[pos : pos + room]
            if para.centered:
                x = (LEFT + RIGHT) / 2 - len(piece) * para.size / 2
            else:
                x = LEFT + (para.indent * para.size if first else 0)
            chunks.append((x, piece, pos))
            pos += room
            first = False
        for x, piece, offset in chunks:
            if line_no == lines_per_page:
                pages.append([])
                line_no = 0
            y = TOP + line_no * para.size * 1.8
            line_no += 1
            # Split every line into two runs (and the bold lead into its own font).
            cut = max(1, len(piece) // 2)
            lead_left = max(0, len(para.lead) - offset)
            if lead_left:
                cut = min(lead_left, len(piece))
            for start, part in ((0, piece[:cut]), (cut, piece[cut:])):
                if part:
                    font = "2" if offset + start < len(para.lead) else "1"
                    pages[-1].append((x + start * para.size, y, para.size, font, part))
    return pages


def _content(
    runs: list[tuple[float, float, float, str, str]], page_no: int, rng: random.Random, ns: str
) -> str:
    p = "ofd:" if ns else ""
    objects = []
    for i, (x, y, size, font, text) in enumerate(runs):
        delta = f"g {len(text) - 1} {size}" if len(text) > 1 else ""
        delta_attr = f' DeltaX="{delta}"' if delta else ""
        objects.append(
            f'<{p}TextObject ID="{i + 10}" Boundary="{x} {y - size} {len(text) * size} {size * 1.4}" '
            f'Font="{font}" Size="{size}"><{p}FillColor Value="0 0 0"/>'
            f'<{p}TextCode X="0" Y="{size}"{delta_attr}>{text}</{p}TextCode></{p}TextObject>'
        )
    # A page number at the bottom edge, never part of the text.
    objects.append(
        f'<{p}TextObject ID="9" Boundary="95 280 20 6" Font="1" Size="3.5">'
        f'<{p}TextCode X="0" Y="4">— {page_no} —</{p}TextCode></{p}TextObject>'
    )
    rng.shuffle(objects)
    half = len(objects) // 2
    xmlns = f' xmlns:ofd="{ns}"' if ns else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}Page{xmlns}><{p}Content>'
        f'<{p}Layer ID="2">{"".join(objects[half:])}</{p}Layer>'
        f'<{p}Layer ID="1"><{p}PageBlock ID="3">{"".join(objects[:half])}</{p}PageBlock></{p}Layer>'
        f"</{p}Content></{p}Page>"
    )


def make_ofd(paras: list[Para], lines_per_page: int = 6, ns: str = NS, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    p = "ofd:" if ns else ""
    xmlns = f' xmlns:ofd="{ns}"' if ns else ""
    pages = _layout(paras, lines_per_page)
    page_refs = "".join(
        f'<{p}Page ID="{i + 100}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
    )
    members = {
        "OFD.xml": f'<{p}OFD{xmlns} Version="1.0" DocType="OFD"><{p}DocBody><{p}DocInfo><{p}DocID>x</{p}DocID>'
        f"</{p}DocInfo><{p}DocRoot>Doc_0/Document.xml</{p}DocRoot></{p}DocBody></{p}OFD>",
        "Doc_0/Document.xml": f"<{p}Document{xmlns}><{p}CommonData><{p}MaxUnitID>999</{p}MaxUnitID>"
        f"<{p}PageArea><{p}PhysicalBox>0 0 210 297</{p}PhysicalBox></{p}PageArea>"
        f"<{p}PublicRes>PublicRes.xml</{p}PublicRes></{p}CommonData>"
        f"<{p}Pages>{page_refs}</{p}Pages></{p}Document>",
        "Doc_0/PublicRes.xml": f'<{p}Res{xmlns} BaseLoc="Res"><{p}Fonts>'
        f'<{p}Font ID="1" FontName="仿宋_GB2312" FamilyName="仿宋_GB2312"/>'
        f'<{p}Font ID="2" FontName="黑体" FamilyName="黑体"/></{p}Fonts></{p}Res>',
    }
    for i, runs in enumerate(pages):
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = _content(runs, i + 1, rng, ns)
    names = list(members)
    rng.shuffle(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(name, members[name])
    return buf.getvalue()


LONG_1 = "为加快建设人与自然和谐共生的美丽城市，以高品质生态环境支撑高质量发展，根据有关规划纲要的部署和要求，结合本市实际情况，制定本规划。"
LONG_2 = (
    "坚持以新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，统筹产业结构调整、污染治理、生态保护、"
    "应对气候变化，协同推进降碳、减污、扩绿、增长，持续深入打好污染防治攻坚战，加快推动经济社会发展全面绿色转型，"
    "筑牢生态安全屏障，推进生态环境治理体系和治理能力现代化。"
)
TASK = "加强组织领导。各区要把美丽城市建设摆在突出位置，建立健全工作机制，明确责任分工，细化落实举措，确保各项任务按期完成。"
PARAS = [
    Para("美丽城市建设规划", size=7.0, indent=0, centered=True),
    Para(LONG_1),
    Para("一、总体要求", indent=2, lead="一、总体要求"),
    Para(LONG_2),
    Para(TASK, lead="加强组织领导。"),
]


def test_reading_order_and_paragraphs() -> None:
    data = make_ofd(PARAS)
    decoded = read_ofd(Path("t.ofd"), data)
    assert decoded.encoding == "ofd"
    assert decoded.text.strip().split("\n\n") == [
        "# 美丽城市建设规划",
        LONG_1,
        "**一、总体要求**",
        LONG_2,  # runs over a page break: rejoined
        "**加强组织领导。**" + TASK.removeprefix("加强组织领导。"),
    ]
    assert "—" not in decoded.text  # page numbers dropped


def test_page_break_inside_a_paragraph() -> None:
    # 6 lines per page (make_ofd's default): LONG_2 starts on page 1 and ends on page 2.
    pages = _layout(PARAS, 6)
    assert len(pages) == 2
    assert any(LONG_2.startswith(t) for *_, t in pages[0]) and any(t in LONG_2 for *_, t in pages[1])


def test_without_namespace() -> None:
    data = make_ofd(PARAS, ns="")
    assert read_ofd(Path("t.ofd"), data).text.strip().split("\n\n")[1] == LONG_1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_does_not_depend_on_xml_order(seed: int) -> None:
    base = read_ofd(Path("t.ofd"), make_ofd(PARAS)).text
    assert read_ofd(Path("t.ofd"), make_ofd(PARAS, seed=seed)).text == base


def test_speed_on_a_long_document() -> None:
    paras = [Para(LONG_2) for _ in range(400)]  # ~47k characters, ~90 pages
    data = make_ofd(paras, lines_per_page=30)
    start = time.perf_counter()
    text = read_ofd(Path("t.ofd"), data).text
    assert time.perf_counter() - start < 5.0
    assert text.count(LONG_2) == 400


# --- hostile files -----------------------------------------------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _refused(data: bytes) -> ReadError:
    start = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_ofd(Path("bad.ofd"), data)
    assert time.perf_counter() - start < FAST
    return info.value


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + f']><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer><ofd:TextObject Boundary="0 0 100 10" Size="4">'
    '<ofd:TextCode X="0" Y="4">&lol9;</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>'
)


def test_billion_laughs_in_content() -> None:
    members = _members(make_ofd(PARAS))
    members["Doc_0/Pages/Page_0/Content.xml"] = BILLION_LAUGHS.encode()
    assert _refused(_zip(members)).message == MSG_DTD


def test_billion_laughs_hidden_from_the_byte_scan_is_still_refused() -> None:
    """The expat handlers refuse a DOCTYPE even when the byte pre-check cannot see it (UTF-16 with BOM)."""
    from app.core.read.ofd import parse_xml

    blob = BILLION_LAUGHS.replace('encoding="UTF-8"', "").encode("utf-16")
    with pytest.raises(ReadError) as info:
        parse_xml(blob, label="x")
    assert info.value.message == MSG_DTD


def test_zip_bomb() -> None:
    members = _members(make_ofd(PARAS))
    members["Doc_0/Res/pad.bin"] = b"\0" * (8 * 1024 * 1024)
    assert _refused(_zip(members)).message == MSG_BOMB


def test_delta_x_repeat_bomb() -> None:
    members = _members(make_ofd(PARAS))
    page = members["Doc_0/Pages/Page_0/Content.xml"].decode()
    members["Doc_0/Pages/Page_0/Content.xml"] = page.replace(
        'DeltaX="g ', 'DeltaX="g 900000000 1 g ', 1
    ).encode()
    start = time.perf_counter()
    read_ofd(Path("t.ofd"), _zip(members))
    assert time.perf_counter() - start < FAST


def test_truncated() -> None:
    data = make_ofd(PARAS)
    assert _refused(data[: len(data) // 2]).message == MSG_DAMAGED


def test_text_file_named_ofd() -> None:
    assert _refused("这不是 OFD 文件".encode()).message == MSG_DAMAGED


def test_missing_ofd_xml() -> None:
    members = _members(make_ofd(PARAS))
    del members["OFD.xml"]
    assert _refused(_zip(members)).message == MSG_DAMAGED


def test_malformed_content() -> None:
    members = _members(make_ofd(PARAS))
    members["Doc_0/Pages/Page_0/Content.xml"] = b"<ofd:Page><ofd:Content>"
    assert _refused(_zip(members)).message == MSG_DAMAGED


def test_no_text() -> None:
    members = _members(make_ofd(PARAS))
    for name in list(members):
        if name.endswith("Content.xml"):
            members[name] = (
                f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer/></ofd:Content></ofd:Page>'.encode()
            )
    assert _refused(_zip(members)).message == MSG_NO_TEXT


def test_empty() -> None:
    assert _refused(b"").message == "文件为空"
