"""Opening a .docx: the package checks (zip bomb, DTD/entity declarations, legacy or OpenDocument content),
python-docx for the parts, and the body walk over a plain lxml tree. Foreign files (.doc, RTF) are the
caller's (`read_docx`) to convert: this module never runs LibreOffice."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from app.core.errors import ReadError
from app.core.read.decode import Decoded
from app.core.read.docx.numbering import Numbering
from app.core.read.docx.styles import _Styles
from app.core.read.docx.walker import _Walker
from app.core.read.docx.wml import _w
from app.core.read.zipsafe import MSG_DTD, has_dtd, open_zip, read_member

MSG_DAMAGED = "文件已损坏，无法作为 Word 文档打开"
MSG_ENCRYPTED = "文档已加密，请在 Word 或 WPS 中取消密码并另存为 .docx 后再导入"
MSG_LEGACY = "文档已加密或为旧版 Word 格式，请用 Word 或 WPS 另存为 .docx 后再导入"
MSG_NO_TEXT = "未提取到文字（文档可能只有图片或为扫描件）"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _is_encrypted_ole(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE container holding an `EncryptedPackage` stream."""
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_STREAM in data[: 1 << 20]


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


def read_package(path: Path, data: bytes) -> Decoded:
    """Read a .docx zip package (`data` starts with PK) into Markdown-shaped text.

    Raises:
        ReadError: damaged, zip bomb, DTD/entities, OpenDocument instead of OOXML, or no text.
    """
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
