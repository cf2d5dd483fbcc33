"""Word .docx → Markdown-shaped text, with Word's automatic numbering rendered as visible labels.

The package is checked before python-docx touches it (zip bomb, DTD/entity declarations, encrypted
or legacy files); python-docx then opens it and the body XML is walked directly so that content
controls, fields, hyperlinks, tracked insertions and text boxes are read in document order.

Output shape (what `app.core.structure` understands):
- `# ` … `###### ` for Title / Heading N / 标题 N / outline levels;
- `**…**` for a paragraph whose visible text is all bold;
- `**lead。**rest` for a leading bold sentence (plan task headings);
- `| a | b |` for table rows (a merged cell once);
- one paragraph per line, blank lines between.
The label Word draws for a numbered paragraph ("一、", "（一）", "1.") is computed from
numbering.xml (formats, level texts, start values, overrides, restarts) and put before the text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import ReadError
from app.core.numbers import int_to_cn
from app.core.read.decode import Decoded

MSG_DAMAGED = "文件已损坏，无法作为 Word 文档打开"
MSG_BOMB = "文件已损坏或过大（疑似压缩炸弹），已拒绝读取"
MSG_ENCRYPTED = "文档已加密，请在 Word 或 WPS 中取消密码并另存为 .docx 后再导入"
MSG_LEGACY = "文档已加密或为旧版 Word 格式，请用 Word 或 WPS 另存为 .docx 后再导入"
MSG_DTD = "文档包含不安全的 XML 声明（DTD/实体），已拒绝读取"
MSG_NO_TEXT = "未提取到文字（文档可能只有图片或为扫描件）"

# Zip limits, checked on the central directory before anything is decompressed. zipfile never
# inflates a member beyond its declared size (and checks the CRC), so declared sizes bound the work.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_TOTAL = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this size a high compression ratio is harmless (a page of repeated empty table cells).
RATIO_FLOOR = 2 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DTD_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{" + W + "}"


def _w(tag: str) -> str:
    return _W + tag


_P, _TBL, _R, _T, _TR, _TC = _w("p"), _w("tbl"), _w("r"), _w("t"), _w("tr"), _w("tc")
_VAL = _w("val")
# Containers whose children are block content (paragraphs, tables) or rows/cells.
_BLOCK_WRAPPERS = frozenset({_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo")})
# Subtrees inside a paragraph that hold no visible text of the paragraph itself.
_SKIP_INLINE = frozenset(
    {
        _w("del"),
        _w("moveFrom"),
        _w("pPr"),
        _w("rPr"),
        _w("instrText"),
        _w("delText"),
        _w("rt"),  # ruby annotation: the base text is kept
        _w("footnoteReference"),
        _w("endnoteReference"),
        _w("commentReference"),
        "{" + MC + "}Fallback",  # duplicate of mc:Choice (text boxes in VML)
    }
)
_LEAD_END = "。！？；：:"
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*(?:\d|heading|标题)", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})
_FALSE = frozenset({"0", "false", "off", "none"})


# --- package checks -----------------------------------------------------------------------------


def _is_encrypted_ole(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE container holding an `EncryptedPackage` stream."""
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_STREAM in data[: 1 << 20]


def open_zip(data: bytes, *, damaged: str, label: str) -> zipfile.ZipFile:
    """Open `data` as a zip after checking entry count, declared sizes and compression ratios.

    Args:
        data: the whole file.
        damaged: the Chinese message for a file that is not a (complete) zip.
        label: format name for the error details.

    Raises:
        ReadError: not a zip, truncated, or shaped like a zip bomb.
    """
    if not data.startswith(b"PK"):
        raise ReadError(damaged, detail=f"{label}: not a zip archive (starts with {data[:8]!r})")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ReadError(damaged, detail=f"{label}: bad zip: {exc}") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(MSG_BOMB, detail=f"{label}: {len(infos)} zip entries")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ReadError(
                MSG_BOMB,
                detail=f"{label}: {info.filename} {info.file_size} bytes from {info.compress_size}",
            )
    if total > MAX_ZIP_TOTAL:
        raise ReadError(MSG_BOMB, detail=f"{label}: {total} bytes uncompressed")
    return zf


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, damaged: str, label: str) -> bytes:
    """Read one member, never more than its declared size; zip errors become `ReadError(damaged)`."""
    try:
        with zf.open(info) as fh:
            blob = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise ReadError(damaged, detail=f"{label}: {info.filename}: {exc}") from exc
    if len(blob) > info.file_size:
        raise ReadError(MSG_BOMB, detail=f"{label}: {info.filename} larger than declared")
    return blob


def has_dtd(xml: bytes) -> bool:
    """Whether XML bytes contain a DOCTYPE or ENTITY declaration (never written by Word, WPS or OFD tools)."""
    return any(marker in xml for marker in _DTD_MARKERS)


def _check_package(data: bytes) -> None:
    zf = open_zip(data, damaged=MSG_DAMAGED, label="docx")
    names = {info.filename for info in zf.infolist()}
    if "word/document.xml" not in names:
        if "mimetype" in names or "content.xml" in names:
            raise ReadError(MSG_LEGACY, detail="docx: OpenDocument package, not OOXML")
        raise ReadError(MSG_DAMAGED, detail="docx: word/document.xml missing")
    for info in zf.infolist():
        name = info.filename.lower()
        if name.endswith((".xml", ".rels")) and has_dtd(
            read_member(zf, info, damaged=MSG_DAMAGED, label="docx")
        ):
            raise ReadError(MSG_DTD, detail=f"docx: DOCTYPE/ENTITY in {info.filename}")


def _foreign(path: Path, data: bytes) -> Decoded:
    """A .docx that is really a legacy .doc, RTF or OpenDocument file: convert it when LibreOffice is there."""
    from app.core.read import office

    if office.soffice_binary() is None:
        raise ReadError(MSG_LEGACY, detail=f"docx: legacy format {data[:8]!r}, no LibreOffice")
    return office.convert_and_read(path, data, ".doc" if data.startswith(OLE_MAGIC) else ".rtf")


# --- styles -------------------------------------------------------------------------------------


def _on(el: Any) -> bool:
    """A WordprocessingML on/off property (`<w:b/>`, `<w:b w:val="0"/>`)."""
    val = el.get(_VAL)
    return val is None or val.lower() not in _FALSE


@dataclass
class _Style:
    name: str = ""
    based_on: str = ""
    bold: bool | None = None
    outline: int | None = None  # 0-based outline level from w:outlineLvl
    num_id: str | None = None
    ilvl: int | None = None


class _Styles:
    """Style lookups with basedOn inheritance (first definition up the chain wins)."""

    def __init__(self, root: Any) -> None:
        self.styles: dict[str, _Style] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self.default_para = ""
        self.default_bold = False
        if root is None:
            return
        rpr_default = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('b')}")
        if rpr_default is not None:
            self.default_bold = _on(rpr_default)
        for el in root.iter(_w("style")):
            sid = el.get(_w("styleId")) or ""
            st = _Style()
            name = el.find(_w("name"))
            st.name = (name.get(_VAL) or "") if name is not None else ""
            based = el.find(_w("basedOn"))
            st.based_on = (based.get(_VAL) or "") if based is not None else ""
            b = el.find(f"{_w('rPr')}/{_w('b')}")
            if b is not None:
                st.bold = _on(b)
            ppr = el.find(_w("pPr"))
            if ppr is not None:
                st.outline = _int(ppr.find(_w("outlineLvl")))
                num_pr = ppr.find(_w("numPr"))
                if num_pr is not None:
                    num = num_pr.find(_w("numId"))
                    st.num_id = num.get(_VAL) if num is not None else None
                    st.ilvl = _int(num_pr.find(_w("ilvl")))
            self.styles[sid] = st
            if el.get(_w("type")) == "paragraph" and _on_attr(el.get(_w("default"))):
                self.default_para = sid

    def chain(self, sid: str) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            st = self.styles[sid]
            yield sid, st
            sid = st.based_on

    def _memo(self, kind: str, sid: str, compute: Any) -> Any:
        key = (kind, sid)
        if key not in self._cache:
            self._cache[key] = compute(sid)
        return self._cache[key]

    def bold(self, sid: str) -> bool | None:
        result: bool | None = self._memo("bold", sid, self._bold)
        return result

    def _bold(self, sid: str) -> bool | None:
        return next((st.bold for _, st in self.chain(sid) if st.bold is not None), None)

    def heading_level(self, sid: str) -> int:
        result: int = self._memo("heading", sid, self._heading_level)
        return result

    def _heading_level(self, sid: str) -> int:
        for _, st in self.chain(sid):
            name = st.name.strip().lower()
            m = _HEADING_STYLE.match(name)
            if m:
                return max(1, int(m.group(1)))
            if name in _TITLE_STYLES:
                return 1
            if st.outline is not None:
                return st.outline + 1 if st.outline < 9 else 0
        return 0

    def is_toc(self, sid: str) -> bool:
        result: bool = self._memo("toc", sid, self._is_toc)
        return result

    def _is_toc(self, sid: str) -> bool:
        return any(_TOC_STYLE.match(st.name.strip()) for _, st in self.chain(sid))

    def numbering(self, sid: str) -> tuple[str | None, int | None, str]:
        """(numId, ilvl, id of the style that carries the numId) from the style chain."""
        for style_id, st in self.chain(sid):
            if st.num_id is not None:
                ilvl = st.ilvl
                if ilvl is None:
                    ilvl = next((s.ilvl for _, s in self.chain(sid) if s.ilvl is not None), None)
                return st.num_id, ilvl, style_id
        return None, None, ""


def _on_attr(val: str | None) -> bool:
    return val is not None and val.lower() not in _FALSE


def _int(el: Any) -> int | None:
    if el is None:
        return None
    try:
        return int(el.get(_VAL) or "")
    except ValueError:
        return None


# --- numbering ----------------------------------------------------------------------------------

_ROMAN: tuple[tuple[int, str], ...] = (
    *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")),
    *((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
)
_LEGAL = str.maketrans("一二三四五六七八九十百千万", "壹贰叁肆伍陆柒捌玖拾佰仟萬")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_DIGITS_CN = str.maketrans("0123456789", "〇一二三四五六七八九")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_COUNTING = frozenset(
    {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "koreanCounting"}
)
_PLACEHOLDER = re.compile(r"%([1-9])")


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _enclosed_circle(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """Render counter `n` in the WordprocessingML number format `fmt` (unknown formats as decimal)."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0 and fmt != "decimalZero":
        return str(n)
    if fmt in _CN_COUNTING or fmt == "ideographLegalTraditional":
        return int_to_cn(n)
    if fmt in ("chineseLegalSimplified", "koreanLegal", "japaneseLegal"):
        return int_to_cn(n).translate(_LEGAL)
    if fmt == "ideographTraditional":
        return _TIANGAN[n - 1] if n <= len(_TIANGAN) else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[n - 1] if n <= len(_DIZHI) else str(n)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "koreanDigital"):
        return str(n).translate(_DIGITS_CN)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed_circle(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letters = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str | None = None
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after a use of a level < this value; 0 = never
    legal: bool = False
    suffix: str = "tab"
    pstyle: str = ""


def _parse_level(el: Any, base: _Level | None = None) -> _Level:
    lvl = _Level() if base is None else _Level(**base.__dict__)
    fmt = el.find(_w("numFmt"))
    if fmt is not None:
        lvl.fmt = fmt.get(_VAL) or "decimal"
    text = el.find(_w("lvlText"))
    if text is not None:
        lvl.text = text.get(_VAL) or ""
    start = _int(el.find(_w("start")))
    if start is not None:
        lvl.start = start
    restart = _int(el.find(_w("lvlRestart")))
    if restart is not None:
        lvl.restart = restart
    legal = el.find(_w("isLgl"))
    if legal is not None:
        lvl.legal = _on(legal)
    suffix = el.find(_w("suff"))
    if suffix is not None:
        lvl.suffix = suffix.get(_VAL) or "tab"
    pstyle = el.find(_w("pStyle"))
    if pstyle is not None:
        lvl.pstyle = pstyle.get(_VAL) or ""
    return lvl


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class Numbering:
    """Word's list counters: abstractNum level definitions, num instances, overrides and restarts.

    Counters are shared by all num instances of one abstractNum (Word continues such lists); a num
    with a w:lvlOverride is its own list, starting at its override value.
    """

    def __init__(self, root: Any, styles: _Styles) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = styles
        if root is None:
            return
        for el in root.iter(_w("abstractNum")):
            aid = el.get(_w("abstractNumId")) or ""
            levels: dict[int, _Level] = {}
            for lvl_el in el.findall(_w("lvl")):
                ilvl = _int_attr(lvl_el.get(_w("ilvl")))
                if ilvl is not None:
                    levels[ilvl] = _parse_level(lvl_el)
            self.abstract[aid] = levels
            link = el.find(_w("numStyleLink"))
            if link is not None and link.get(_VAL):
                self.style_link[aid] = link.get(_VAL) or ""
        for el in root.iter(_w("num")):
            nid = el.get(_w("numId")) or ""
            aref = el.find(_w("abstractNumId"))
            num = _Num((aref.get(_VAL) or "") if aref is not None else "")
            for ov in el.findall(_w("lvlOverride")):
                ilvl = _int_attr(ov.get(_w("ilvl")))
                if ilvl is None:
                    continue
                start = _int(ov.find(_w("startOverride")))
                lvl_el = ov.find(_w("lvl"))
                if lvl_el is not None:
                    num.levels[ilvl] = _parse_level(lvl_el)
                    if start is None:
                        start = num.levels[ilvl].start
                num.starts[ilvl] = start if start is not None else 1
            self.nums[nid] = num

    def _abstract_levels(self, num: _Num) -> dict[int, _Level]:
        """Levels of a num's abstractNum, following numStyleLink to the linked style's list."""
        aid = num.abstract
        for _ in range(5):
            link = self.style_link.get(aid)
            if not link:
                break
            linked_num, _ilvl, _sid = self.styles.numbering(link)
            target = self.nums.get(linked_num or "")
            if target is None or target.abstract == aid:
                break
            aid = target.abstract
        return self.abstract.get(aid, {})

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        for ilvl, lvl in self._abstract_levels(num).items():
            if lvl.pstyle == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Advance the counter of (num_id, ilvl); return (label, suffix) as Word would draw them."""
        num = self.nums.get(num_id)
        if num is None:
            return "", ""
        base = self._abstract_levels(num)
        levels = {**base, **num.levels}
        lvl = levels.get(ilvl)
        if lvl is None:
            return "", ""
        key = f"num:{num_id}" if num.starts or num.levels else f"abs:{num.abstract}"
        state = self.counters.setdefault(key, {})
        if ilvl in state:
            state[ilvl] += 1
        else:
            state[ilvl] = num.starts.get(ilvl, lvl.start)
        for deeper in [k for k in state if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del state[deeper]
        if lvl.fmt == "bullet" or not lvl.text:
            return "", ""

        def render(m: re.Match[str]) -> str:
            ref = int(m.group(1)) - 1
            ref_lvl = levels.get(ref)
            if ref_lvl is None:
                return ""
            value = state.get(ref, num.starts.get(ref, ref_lvl.start))
            fmt = "decimal" if lvl.legal and ref_lvl.fmt not in ("none", "bullet") else ref_lvl.fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(render, lvl.text).strip(), lvl.suffix


def _int_attr(val: str | None) -> int | None:
    try:
        return int(val or "")
    except ValueError:
        return None


# --- body walk ----------------------------------------------------------------------------------


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def _join(left: str, right: str) -> str:
    """Separator for text joined across a line break: none inside Chinese, a space otherwise."""
    if not left or not right or (_is_wide(left[-1]) and _is_wide(right[0])):
        return ""
    return " "


def _resolve_breaks(text: str) -> str:
    if "\n" not in text:
        return text
    parts = [p.strip() for p in text.split("\n")]
    out = parts[0]
    for part in parts[1:]:
        out += _join(out, part) + part
    return out


def _sep(label: str, text: str, suffix: str) -> str:
    if not label or suffix == "nothing" or not text:
        return ""
    if label and not label[-1].isalnum() and (_is_wide(text[0]) or _is_wide(label[-1])):
        return ""
    return " "


@dataclass
class _Para:
    pieces: list[tuple[str, bool]]
    style: str
    extra: list[Any]  # text-box contents found inside the paragraph


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.out: list[str] = []
        self.warnings: set[str] = set()

    # blocks

    def blocks(self, parent: Any) -> Iterator[Any]:
        """Paragraphs and tables under `parent` in order, looking through sdt/customXml/ins wrappers."""
        stack = [iter(parent)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in (_P, _TBL):
                yield child
            elif tag in _BLOCK_WRAPPERS:
                if tag in (_w("ins"), _w("moveTo")):
                    self.warnings.add("文档含有未接受的修订，已按修订后的内容读取")
                stack.append(iter(child))
            elif tag == _w("altChunk"):
                self.warnings.add("文档中嵌入的其他格式内容（altChunk）未读取")
            elif tag in (_w("del"), _w("moveFrom")):
                self.warnings.add("文档含有未接受的修订，已按修订后的内容读取")

    def walk(self, parent: Any) -> None:
        for block in self.blocks(parent):
            if block.tag == _TBL:
                self.table(block)
            else:
                self.paragraph(block)

    def _cells(self, parent: Any, tag: str) -> Iterator[Any]:
        stack = [iter(parent)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == tag:
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                stack.append(iter(child))

    def table(self, tbl: Any) -> None:
        for row in self._table_rows(tbl):
            if any(row):
                self.out.append("| " + " | ".join(c.replace("|", "｜") for c in row) + " |")

    def _table_rows(self, tbl: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        for tr in self._cells(tbl, _TR):
            cells: list[str] = []
            for tc in self._cells(tr, _TC):
                tc_pr = tc.find(_w("tcPr"))
                if tc_pr is not None:
                    h_merge = tc_pr.find(_w("hMerge"))
                    if h_merge is not None and (h_merge.get(_VAL) or "continue") != "restart":
                        continue
                    v_merge = tc_pr.find(_w("vMerge"))
                    if v_merge is not None and (v_merge.get(_VAL) or "continue") != "restart":
                        cells.append("")
                        continue
                cells.append(self._cell_text(tc))
            rows.append(cells)
        return rows

    def _cell_text(self, tc: Any) -> str:
        parts: list[str] = []
        for block in self.blocks(tc):
            if block.tag == _TBL:
                parts.extend(" ".join(c for c in row if c) for row in self._table_rows(block))
            else:
                para = self._collect(block)
                if para is None:
                    continue
                label, suffix = self._label(block, para.style)
                text = _resolve_breaks("".join(t for t, _ in para.pieces)).replace("\t", " ").strip()
                if label or text:
                    parts.append(label + _sep(label, text, suffix) + text)
                for box in para.extra:
                    parts.append(self._cell_text(box))
        return " ".join(p for p in parts if p)

    # paragraphs

    def _style_of(self, p: Any) -> str:
        ps = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        if ps is not None and ps.get(_VAL):
            return str(ps.get(_VAL))
        return self.styles.default_para

    def _label(self, p: Any, style: str) -> tuple[str, str]:
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num = num_pr.find(_w("numId"))
            num_id = num.get(_VAL) if num is not None else None
            ilvl = _int(num_pr.find(_w("ilvl")))
        if num_id is None:
            s_num, s_ilvl, s_style = self.styles.numbering(style)
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
            if ilvl is None and num_id is not None:
                ilvl = self.numbering.level_for_style(num_id, s_style)
        if not num_id or num_id == "0":
            return "", ""
        return self.numbering.label(num_id, min(max(ilvl or 0, 0), 8))

    def _run_bold(self, r: Any, para_bold: bool) -> bool:
        rpr = r.find(_w("rPr"))
        if rpr is not None:
            b = rpr.find(_w("b"))
            if b is not None:
                return _on(b)
            rs = rpr.find(_w("rStyle"))
            if rs is not None:
                bold = self.styles.bold(rs.get(_VAL) or "")
                if bold is not None:
                    return bold
        return para_bold

    def _collect(self, p: Any) -> _Para | None:
        style = self._style_of(p)
        if self.styles.is_toc(style):
            return None
        para_bold = self.styles.bold(style)
        if para_bold is None:
            para_bold = self.styles.default_bold
        pieces: list[tuple[str, bool]] = []
        extra: list[Any] = []
        stack = [iter(p)]
        bold_stack: list[bool | None] = [None]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                bold_stack.pop()
                continue
            tag = el.tag
            if not isinstance(tag, str) or tag in _SKIP_INLINE:
                if tag in (_w("del"), _w("moveFrom")):
                    self.warnings.add("文档含有未接受的修订，已按修订后的内容读取")
                continue
            if tag == _w("txbxContent"):
                extra.append(el)
                continue
            run_bold = bold_stack[-1]
            if tag == _R:
                rpr = el.find(_w("rPr"))
                if rpr is not None and (rpr.find(_w("vanish")) is not None and _on(rpr.find(_w("vanish")))):
                    continue
                run_bold = self._run_bold(el, para_bold)
            elif tag == _T:
                pieces.append((el.text or "", bool(run_bold)))
                continue
            elif tag in (_w("tab"), _w("ptab")):
                pieces.append(("\t", bool(run_bold)))
                continue
            elif tag in (_w("br"), _w("cr")):
                pieces.append(("\n", bool(run_bold)))
                continue
            elif tag == _w("noBreakHyphen"):
                pieces.append(("-", bool(run_bold)))
                continue
            elif tag == _w("ins"):
                self.warnings.add("文档含有未接受的修订，已按修订后的内容读取")
            stack.append(iter(el))
            bold_stack.append(run_bold)
        return _Para(pieces, style, extra)

    def paragraph(self, p: Any) -> None:
        para = self._collect(p)
        if para is None:
            return
        label, suffix = self._label(p, para.style)
        self._emit(p, para, label, suffix)
        for box in para.extra:
            self.walk(box)

    def _emit(self, p: Any, para: _Para, label: str, suffix: str) -> None:
        text = _resolve_breaks("".join(t for t, _ in para.pieces)).replace("\t", " ").strip()
        if not text and not label:
            return
        level = self._heading(p, para.style)
        sep = _sep(label, text, suffix)
        if level:
            self.out.append("#" * min(level, 6) + " " + label + sep + text)
            return
        visible = [(t, b) for t, b in para.pieces if t.strip()]
        if visible and all(b for _, b in visible) and text:
            self.out.append(f"**{label}{sep}{text}**")
            return
        lead = self._lead(para.pieces)
        if lead:
            rest = text[len(lead) :].strip() if text.startswith(lead) else ""
            if rest:
                self.out.append(f"**{label}{sep}{lead}**{rest}")
                return
        self.out.append(label + sep + text)

    def _heading(self, p: Any, style: str) -> int:
        outline = _int(p.find(f"{_w('pPr')}/{_w('outlineLvl')}"))
        if outline is not None:
            return outline + 1 if 0 <= outline < 9 else 0
        return self.styles.heading_level(style)

    @staticmethod
    def _lead(pieces: list[tuple[str, bool]]) -> str:
        """The leading bold text up to its last sentence punctuation, or ""."""
        prefix: list[str] = []
        for text, bold in pieces:
            if not bold and text.strip():
                break
            prefix.append(text)
        bold_text = _resolve_breaks("".join(prefix)).replace("\t", " ").lstrip()
        cut = max(bold_text.rfind(ch) for ch in _LEAD_END)
        if cut < 1:
            return ""
        return bold_text[: cut + 1].strip()


# --- entry point --------------------------------------------------------------------------------


def _part_root(document: Any, reltype: str) -> Any:
    try:
        return document.part.part_related_by(reltype).element
    except (KeyError, AttributeError, NotImplementedError):
        return None


def _plain_body(data: bytes, partname: str) -> Any:
    """The main part's w:body parsed again with a plain lxml parser.

    python-docx's element classes make every lookup several times slower; the body walk needs none
    of them. Same safety settings as python-docx: no entity resolution, no network, no huge trees.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read(partname), parser)
    body = root.find(_w("body"))
    if body is None:
        raise ReadError(MSG_DAMAGED, detail=f"docx: no w:body in {partname}")
    return body


def read_docx(path: Path, data: bytes) -> Decoded:
    """Read a Word .docx into Markdown-shaped text.

    Args:
        path: the file (used for messages and for a legacy-format conversion).
        data: the file's bytes.

    Returns:
        `Decoded(text, "docx", warnings)`.

    Raises:
        ReadError: encrypted, legacy, damaged, zip bomb, DTD/entities, or no text.
    """
    if not data:
        raise ReadError("文件为空", detail=str(path))
    if _is_encrypted_ole(data):
        raise ReadError(MSG_ENCRYPTED, detail="docx: OLE container with EncryptedPackage")
    if data.startswith(OLE_MAGIC) or data.lstrip()[:5] == b"{\\rtf":
        return _foreign(path, data)
    _check_package(data)
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        document = docx.Document(io.BytesIO(data))
        body = _plain_body(data, str(document.part.partname).lstrip("/"))
    except ReadError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on damaged parts
        raise ReadError(MSG_DAMAGED, detail=f"docx: {type(exc).__name__}: {exc}") from exc
    styles = _Styles(_part_root(document, RT.STYLES))
    numbering = Numbering(_part_root(document, RT.NUMBERING), styles)
    walker = _Walker(styles, numbering)
    walker.walk(body)
    text = "\n\n".join(walker.out)
    if not text.strip():
        raise ReadError(MSG_NO_TEXT, detail=f"docx: {path.name}")
    return Decoded(text + "\n", "docx", tuple(sorted(walker.warnings)))
