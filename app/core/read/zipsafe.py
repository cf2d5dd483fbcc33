"""Zip packages (.docx, .ofd) opened safely: entry count, declared sizes and compression ratios are checked on
the central directory before anything is inflated, and XML with DOCTYPE/ENTITY declarations is refused."""

from __future__ import annotations

import io
import zipfile

from app.core.errors import ReadError

MSG_BOMB = "文件已损坏或过大（疑似压缩炸弹），已拒绝读取"
MSG_DTD = "文档包含不安全的 XML 声明（DTD/实体），已拒绝读取"

# Zip limits, checked on the central directory before anything is decompressed. zipfile never
# inflates a member beyond its declared size (and checks the CRC), so declared sizes bound the work.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_TOTAL = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this size a high compression ratio is harmless (a page of repeated empty table cells).
RATIO_FLOOR = 2 * 1024 * 1024

_DTD_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)


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
