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

Parts: `package` (checks, opening, the whole read of a zip package), `styles`, `numbering`, `walker`
(paragraphs, tables, headings) and `wml` (WordprocessingML names). This module adds the entry point,
which hands a legacy .doc or RTF file renamed .docx to LibreOffice (`app.core.read.office`).
"""

from __future__ import annotations

from pathlib import Path

from app.core.errors import ReadError
from app.core.read.decode import Decoded
from app.core.read.docx.numbering import Numbering, format_number
from app.core.read.docx.package import (
    MSG_DAMAGED,
    MSG_ENCRYPTED,
    MSG_LEGACY,
    MSG_NO_TEXT,
    OLE_MAGIC,
    _is_encrypted_ole,
    read_package,
)
from app.core.read.zipsafe import MSG_BOMB, MSG_DTD

__all__ = [
    "MSG_BOMB",
    "MSG_DAMAGED",
    "MSG_DTD",
    "MSG_ENCRYPTED",
    "MSG_LEGACY",
    "MSG_NO_TEXT",
    "OLE_MAGIC",
    "Numbering",
    "format_number",
    "read_docx",
]


def _foreign(path: Path, data: bytes) -> Decoded:
    """A .docx that is really a legacy .doc, RTF or OpenDocument file: convert it when LibreOffice is there."""
    from app.core.read import office

    if office.soffice_binary() is None:
        raise ReadError(MSG_LEGACY, detail=f"docx: legacy format {data[:8]!r}, no LibreOffice")
    return office.convert_and_read(path, data, ".doc" if data.startswith(OLE_MAGIC) else ".rtf")


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
    return read_package(path, data)
