"""Bytes → text: the decoding ladder of RELIABILITY §C6.3 and the stored-text clean-up of §C6.4."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.core.errors import ReadError

MSG_EMPTY = "文件为空"
MSG_BINARY = "文件不是文本文件"
MSG_ENCODING = "无法识别文件编码（已尝试 UTF-8 与 GB18030）"

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"PK\x03\x04",  # zip, docx, xlsx
    b"PK\x05\x06",
    b"%PDF-",
    b"\xd0\xcf\x11\xe0",  # OLE: legacy or encrypted Office
    b"\x7fELF",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf",
)
_SAMPLE = 1 << 16
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_RATIO = 0.05
_STRAY_CONTROLS = 3

_REMOVE = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A)] + [0x7F, 0xFFFE, 0xFFFF, 0x200B, 0xFEFF]
)
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text with the encoding that worked and Chinese warnings for the user."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def _looks_binary_magic(data: bytes) -> bool:
    if any(data.startswith(m) for m in _MAGIC):
        return True
    # Windows executables: "MZ" plus the NULs of the DOS header (a text file may well start with "MZ").
    return data.startswith(b"MZ") and b"\x00" in data[:64]


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = len(_CONTROL.findall(sample))
    # A few stray control characters (a NUL from a broken editor) do not make a short note binary.
    return bad / len(sample) if bad > _STRAY_CONTROLS else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL pattern (ASCII-heavy text has NUL in every other byte)."""
    if len(data) % 2:
        return None
    sample = data[: _SAMPLE * 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        codec = "utf-16-le"
    elif even > 0.3 * half and odd < 0.05 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _ladder(data: bytes) -> tuple[str, str, list[str]]:
    """Decode by BOM, then NUL pattern, then strict UTF-8, then strict GB18030."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name, []
            except UnicodeDecodeError as exc:
                raise ReadError(MSG_ENCODING, detail=f"{name}: {exc}") from exc
    if b"\x00" in data[:_SAMPLE]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16", ["文件为不带 BOM 的 UTF-16 编码，请核对内容是否正确"]
        # A stray NUL in a text file is not fatal: the control-character ratio decides later.
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError as exc:
        # Undecodable bytes with NULs are binary data, not text in an exotic encoding.
        message = MSG_BINARY if b"\x00" in data[:_SAMPLE] else MSG_ENCODING
        raise ReadError(message, detail=str(exc)) from exc


# Counted with regular expressions: a per-character Python loop over every file cost ~4 s on the full library.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # control characters other than \t \n \v \f \r
_PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_LATIN1 = re.compile("[\x80-\xff]")
_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0003134f]")


def mojibake_warnings(text: str) -> list[str]:
    """Return Chinese warnings when decoded text looks garbled (PUA, U+FFFD, Latin-1 soup)."""
    sample = text[:_SAMPLE]
    warnings: list[str] = []
    pua = len(_PUA.findall(sample))
    if pua:
        warnings.append(f"文本含 {pua} 个私用区字符，可能是乱码或编码错误")
    if "\ufffd" in sample:
        warnings.append("文本含替换字符“�”，原文件可能已损坏或编码错误")
    latin1 = len(_LATIN1.findall(sample))
    if latin1 > 20 and latin1 > 0.1 * len(sample) and not _CJK.search(sample):
        # UTF-8 Chinese once mis-decoded as Latin-1 and saved again ("å¤§æ°”…").
        warnings.append("文本疑似乱码（没有汉字但含大量西文扩展字符），请核对文件编码")
    return warnings


def decode_bytes(data: bytes) -> Decoded:
    """Decode the bytes of a text file.

    Args:
        data: raw file content without a declared charset.

    Returns:
        The decoded text (BOM removed, otherwise untouched), the encoding name and warnings.

    Raises:
        ReadError: the file is empty, binary, or neither UTF-8 nor GB18030.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise ReadError(MSG_EMPTY)
    if _looks_binary_magic(data):
        raise ReadError(MSG_BINARY, detail="magic bytes")
    text, encoding, warnings = _ladder(data)
    if not text.strip():
        raise ReadError(MSG_EMPTY)
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise ReadError(MSG_BINARY, detail="control characters")
    warnings.extend(mojibake_warnings(text))
    return Decoded(text=text, encoding=encoding, warnings=tuple(warnings))


def clean_text(text: str) -> str:
    """Clean text for storage: unify line ends, drop control/non-characters and zero-width marks, NFC.

    This is the *stored* form; search keys are folded separately (app.core.normalize).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATES.sub("", text)
    text = text.translate(_REMOVE)
    return unicodedata.normalize("NFC", text)
