"""OFD (GB/T 33190) → text in reading order, paragraphs rejoined.

An OFD file is a zip of XML: OFD.xml → DocBody/DocRoot → Document.xml → Pages/Page/@BaseLoc →
Content.xml with Layer/(PageBlock/)TextObject/TextCode, each glyph run placed at an absolute
position in millimetres. Runs are grouped into lines by baseline, lines into paragraphs by the
page's text margins (a line that reaches the right margin continues into a following line that
starts at the left margin, also across pages), and page numbers at the page edges are dropped.
A clearly larger font becomes a `# ` heading; a bold font (Bold attribute, Weight ≥ 600, or a
bold family such as 黑体, when it is not the body font) becomes `**…**` or a `**lead。**` task lead.

Every XML part goes through expat with DOCTYPE/ENTITY declarations refused, and the zip is
checked (entries, declared sizes, ratios) before anything is inflated. Templates (running heads),
annotations, signatures and images are not read.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from xml.etree import ElementTree as ET

from app.core.errors import ReadError
from app.core.read.decode import Decoded
from app.core.read.ofd_layout import _collect_runs, _mark_bold_fonts, _page, _paragraphs, _Run
from app.core.read.ofd_package import MSG_DAMAGED, _child, _children, _floats, _local, _Package, parse_xml

__all__ = ["MSG_DAMAGED", "MSG_ENCRYPTED", "MSG_NO_TEXT", "parse_xml", "read_ofd"]

MSG_NO_TEXT = "未提取到文字（OFD 可能为扫描件或只有图片）"
MSG_ENCRYPTED = "OFD 文档已加密，请先在阅读器中解除加密后再导入"
_DEFAULT_BOX = (0.0, 0.0, 210.0, 297.0)


# --- document -------------------------------------------------------------------------------------


def _fonts(pkg: _Package, doc_dir: str, common: ET.Element | None) -> dict[str, tuple[str, bool]]:
    fonts: dict[str, tuple[str, bool]] = {}
    for tag in ("PublicRes", "DocumentRes"):
        for res in _children(common, tag):
            name = pkg.resolve(doc_dir, res.text or "")
            if not pkg.has(name):
                continue
            root = pkg.xml(name)
            for font in root.iter():
                if _local(font.tag) == "Font" and font.get("ID"):
                    label = " ".join(filter(None, (font.get("FontName"), font.get("FamilyName"))))
                    fonts[font.get("ID") or ""] = (label, (font.get("Bold") or "").lower() == "true")
    return fonts


def _box(
    el: ET.Element | None, default: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    physical = _child(el, "PhysicalBox")
    values = _floats(physical.text if physical is not None else "")
    return (values[0], values[1], values[2], values[3]) if len(values) == 4 else default


def _read_document(
    pkg: _Package, doc_root: str, warnings: list[str]
) -> list[tuple[list[_Run], tuple[float, float, float, float]]]:
    doc_dir = posixpath.dirname(doc_root)
    document = pkg.xml(doc_root)
    common = _child(document, "CommonData")
    default_box = _box(_child(common, "PageArea"), _DEFAULT_BOX)
    fonts = _fonts(pkg, doc_dir, common)
    pages: list[tuple[list[_Run], tuple[float, float, float, float]]] = []
    missing = 0
    for page_el in _children(_child(document, "Pages"), "Page"):
        name = pkg.resolve(doc_dir, page_el.get("BaseLoc") or "")
        if not pkg.has(name):
            missing += 1
            continue
        content = pkg.xml(name)
        pages.append((_collect_runs(content, fonts), _box(_child(content, "Area"), default_box)))
    if missing:
        warnings.append(f"OFD 中有 {missing} 页内容缺失，已跳过")
    return pages


def read_ofd(path: Path, data: bytes) -> Decoded:
    """Read an OFD document into Markdown-shaped text (one paragraph per line, blank lines between).

    Raises:
        ReadError: damaged or not an OFD, zip bomb, DTD/entities, encrypted, or no text.
    """
    if not data:
        raise ReadError("文件为空", detail=str(path))
    pkg = _Package(data)
    if not pkg.has("OFD.xml"):
        raise ReadError(MSG_DAMAGED, detail="ofd: OFD.xml missing")
    root = pkg.xml("OFD.xml")
    warnings: list[str] = []
    raw: list[tuple[list[_Run], tuple[float, float, float, float]]] = []
    bodies = _children(root, "DocBody")
    for body in bodies:
        if _child(body, "Encryptions") is not None or any(_local(e.tag) == "Encryption" for e in body.iter()):
            raise ReadError(MSG_ENCRYPTED, detail="ofd: Encryptions present")
        doc_root = _child(body, "DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            continue
        raw.extend(_read_document(pkg, pkg.resolve("", doc_root.text or ""), warnings))
    if not bodies:
        raise ReadError(MSG_DAMAGED, detail="ofd: no DocBody")
    if len(bodies) > 1:
        warnings.append(f"OFD 包含 {len(bodies)} 个文档，已按顺序合并读取")
    _mark_bold_fonts([runs for runs, _ in raw])
    paragraphs = _paragraphs([_page(runs, box) for runs, box in raw])
    if not paragraphs:
        raise ReadError(MSG_NO_TEXT, detail=f"ofd: {path.name}")
    return Decoded("\n\n".join(paragraphs) + "\n", "ofd", tuple(warnings))
