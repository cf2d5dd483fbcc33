"""Read a document file into clean text: one reader module per format behind `read_file`.

Every reader takes (path, bytes) and returns `Decoded`: Markdown-shaped text (headings as `#`, a whole
bold paragraph as `**…**`, tables as `| a | b |` rows) that the structure parser reads the same way
whatever the format, the encoding or format it came from, and Chinese warnings for the user.
Readers are imported on first use, so a missing optional library only refuses its own format.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from app.core.errors import ReadError
from app.core.read.decode import Decoded, clean_text, decode_bytes, mojibake_warnings

__all__ = [
    "MAX_FILE_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Decoded",
    "ReadError",
    "clean_text",
    "decode_bytes",
    "mojibake_warnings",
    "read_file",
]

log = logging.getLogger("policydesk.read")

MAX_FILE_BYTES = 100 * 1024 * 1024
# suffix -> "module:function"; the function takes (path, data) and returns Decoded.
READERS: dict[str, str] = {
    ".md": "app.core.read.text:read_text",
    ".markdown": "app.core.read.text:read_text",
    ".txt": "app.core.read.text:read_text",
    ".html": "app.core.read.html:read_html",
    ".htm": "app.core.read.html:read_html",
    ".docx": "app.core.read.docx:read_docx",
    ".pdf": "app.core.read.pdf:read_pdf",
    ".ofd": "app.core.read.ofd:read_ofd",
    ".doc": "app.core.read.office:read_office",
    ".wps": "app.core.read.office:read_office",
    ".rtf": "app.core.read.office:read_office",
}
SUPPORTED_SUFFIXES = frozenset(READERS)


def _reader(suffix: str) -> Callable[[Path, bytes], Decoded]:
    module, _, func = READERS[suffix].partition(":")
    try:
        reader: Callable[[Path, bytes], Decoded] = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError) as exc:
        raise ReadError("暂不支持该格式（缺少读取组件）", detail=f"{suffix}: {exc}") from exc
    return reader


def read_file(path: str | Path) -> Decoded:
    """Read a supported file and return its cleaned text.

    Args:
        path: the file to read.

    Returns:
        `Decoded` whose text is already `clean_text`-ed and Markdown-shaped.

    Raises:
        ReadError: unreadable, too large, unsupported format, empty, binary, undecodable or damaged.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError("暂不支持该格式", detail=suffix or path.name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError("文件过大", detail=f"{size} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError("无法读取文件", detail=f"{path}: {exc}") from exc
    if not data:
        raise ReadError("文件为空", detail=str(path))
    decoded = _reader(suffix)(path, data)
    text = decoded.text
    cleaned = clean_text(text)
    if len(cleaned) != len(text):
        log.info("%s: clean-up changed the length by %d characters", path.name, len(text) - len(cleaned))
    return dataclasses.replace(decoded, text=cleaned)
