"""Bytes → text: the decoding ladder of RELIABILITY §C6.3 and the stored-text clean-up of §C6.4.

Ladder: BOM → UTF-16 without BOM (NUL pattern + frequent characters) → strict UTF-8 → strict GB18030, and
Big5 instead when it decodes strictly to clearly more frequent characters (Big5 bytes are valid GBK, so
GB18030 never fails on them). "Frequent" = GB2312 level 1 + Big5 常用字, taken from the codecs.
Measured on 27 short samples (2–40 characters, simplified and traditional, 5 encodings): charset-normalizer
3.5 and this ladder both get 22 right, but charset-normalizer misses common cases (环境保护 in GB18030 →
cp949, in UTF-16 → cp932; GBK 一一 → UTF-8 "һһ"), while the ladder misses only texts too short to be
evidence (BOM-less UTF-16 of ≤ 4 characters without ASCII, 2-character Big5), where GB18030 stays the
default. Longer texts: all encodings right (tests/core/read/test_text.py). No dependency needed.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from dataclasses import dataclass

from app.core.errors import ReadError

MSG_EMPTY = "文件为空"
MSG_BINARY = "文件不是文本文件"
MSG_ENCODING = "无法识别文件编码（已尝试 UTF-8、GB18030、Big5 与 UTF-16）"

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
# Share of frequent characters a decoding must reach to be believed (real Chinese text: > 0.9).
_MIN_COMMON = 0.6
_ALT_MARGIN = 0.2  # Big5/UTF-16 must beat GB18030 by this much: GB18030 is the usual encoding on the mainland
_ALT_MIN_CHARS = 8  # non-ASCII characters (half of them distinct)
# UTF-16 without NULs (Chinese without a single ASCII character or line end) needs more evidence: any byte
# string of even length decodes as UTF-16, and GB18030's four-byte sequences read as CJK code units.
_UTF16_MIN_CHARS = 16
_WIDE = re.compile("[^\x00-\x7f]")
_GB_FOUR_BYTES = re.compile(rb"[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]")
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
    # Facts about the document that are not its text, e.g. (("发布日期", "2024-01-05"),) from a web page.
    meta: tuple[tuple[str, str], ...] = ()


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


@functools.cache
def _common_chars() -> frozenset[str]:
    """Frequent Chinese characters: GB2312 level 1 (3,755 simplified) and Big5 常用字 (5,401 traditional).

    Taken from the codecs themselves, so no data file is needed.
    """
    chars: set[str] = set()
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for lo, hi, trails, codec in ((0xB0, 0xD7, range(0xA1, 0xFF), "gb2312"), (0xA4, 0xC6, big5_trails, "big5")):
        for lead in range(lo, hi + 1):
            for trail in trails:
                with contextlib.suppress(UnicodeDecodeError):
                    chars.add(bytes((lead, trail)).decode(codec))
    chars.update(chr(c) for c in range(0x3001, 0x3040))  # CJK punctuation (not U+3000, a space)
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
    chars.update("“”‘’…—·")
    return frozenset(chars)


def common_share(text: str) -> float:
    """Share of the non-ASCII characters of `text` that are frequent Chinese characters or CJK punctuation.

    Text decoded with the wrong codec (Big5 read as GBK, GBK read as UTF-16) is full of rare characters,
    kana, Hangul or private-use characters; real Chinese text scores above 0.9. ASCII-only text scores 1.
    """
    sample = text[:_SAMPLE]
    wide = [ch for ch in sample if ord(ch) > 0x7F]
    if not wide:
        return 1.0 if sample else 0.0
    common = _common_chars()
    return sum(1 for ch in wide if ch in common) / len(wide)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-16 (the data has NUL bytes) by decoding to frequent characters.

    ASCII characters and line ends put a NUL in every other byte; so does a CJK code unit such as 一
    (U+4E00), so the parity of the NULs alone cannot tell LE from BE in short texts: both are decoded and
    the one with more frequent characters (and no control characters) wins.
    """
    if len(data) % 2:
        return None
    sample = data[: _SAMPLE * 2]
    # On a tie the NUL parity decides: ASCII in LE has its NUL at odd offsets.
    order = ("utf-16-le", "utf-16-be") if sample[1::2].count(0) >= sample[0::2].count(0) else (
        "utf-16-be", "utf-16-le")
    best: tuple[float, str, str] | None = None
    for codec in order:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text[:_SAMPLE]):
            continue
        share = common_share(text)
        if share >= _MIN_COMMON and (best is None or share > best[0]):
            best = (share, codec, text)
    return (best[2], best[1]) if best else None


def _big5(data: bytes) -> str | None:
    for codec in ("big5hkscs", "cp950"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _utf8_or_short_gbk(data: bytes, text: str) -> tuple[str, str, list[str]]:
    """Valid UTF-8 is UTF-8, except a short GBK text that happens to be valid UTF-8 too.

    GBK 一一 (D2 BB D2 BB) is UTF-8 "һһ" (Cyrillic): when UTF-8 gives no Chinese character at all but
    GB18030 gives only frequent ones, GB18030 is taken and the user is told.
    """
    if _CJK.search(text[:_SAMPLE]) or not _WIDE.search(text[:_SAMPLE]):
        return text, "utf-8", []
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        return text, "utf-8", []
    if _CJK.search(gb[:_SAMPLE]) and common_share(gb) >= 0.9 and common_share(text) < 0.5:
        return gb, "gb18030", ["文件很短且编码不确定，已按 GB18030 读取，请核对内容是否正确"]
    return text, "utf-8", []


def _ladder(data: bytes) -> tuple[str, str, list[str]]:
    """BOM; UTF-16 by NUL pattern; strict UTF-8; strict GB18030 unless Big5 reads as much more common text."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name, []
            except UnicodeDecodeError as exc:
                raise ReadError(MSG_ENCODING, detail=f"{name}: {exc}") from exc
    if b"\x00" in data[:_SAMPLE]:
        found = _utf16_without_bom(data)
        if found is not None:
            return found[0], "utf-16", ["文件为不带 BOM 的 UTF-16 编码，请核对内容是否正确"]
        # A stray NUL in a text file is not fatal: the control-character ratio decides later.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _utf8_or_short_gbk(data, text)
    others = _alternatives(data)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        alt = _better(others, 0.0, strict=False)  # no GB18030 reading to weigh against
        if alt is not None:
            return alt
        # Undecodable bytes with NULs are binary data, not text in an exotic encoding.
        message = MSG_BINARY if b"\x00" in data[:_SAMPLE] else MSG_ENCODING
        raise ReadError(message, detail=str(exc)) from exc
    # Every Big5 byte pair is also valid GBK: GB18030 "succeeds" on Big5 files, with rare characters.
    # A GB18030 reading full of control characters is no reading at all; a clean one needs strong evidence.
    clean = not _CONTROL.search(text[:_SAMPLE])
    alt = _better(others, common_share(text) + _ALT_MARGIN, strict=clean)
    if alt is not None:
        return alt
    return text, "gb18030", []


def _alternatives(data: bytes) -> list[tuple[str, str]]:
    """(encoding name, text) of the other strict decodings to weigh against GB18030: Big5, UTF-16 without NULs."""
    others: list[tuple[str, str]] = []
    big5 = _big5(data)
    if big5 is not None:
        others.append(("big5", big5))
    if len(data) % 2 == 0 and b"\x00" not in data[:_SAMPLE] and not _GB_FOUR_BYTES.search(data[:_SAMPLE]):
        # UTF-16 of Chinese without any ASCII has no NUL bytes to show it.
        for codec in ("utf-16-le", "utf-16-be"):
            with contextlib.suppress(UnicodeDecodeError):
                others.append(("utf-16", data.decode(codec)))
    return others


def _better(others: list[tuple[str, str]], beat: float, *, strict: bool = True) -> tuple[str, str, list[str]] | None:
    """The alternative decoding with the most frequent characters, if it reaches `beat` and _MIN_COMMON.

    A few characters prove nothing (GB18030 "ù" is Big5 "迄"): the mainland default wins there. Against a
    clean GB18030 reading (`strict`) the alternative needs `need` distinct characters, not a few repeated
    ones (°ā────■ in GB18030 reads as Big5 ∼芋岸岸岸岸←); against a garbled one, enough characters will do.
    """
    best: tuple[float, str, str] | None = None
    for name, text in others:
        need = _ALT_MIN_CHARS if name == "big5" else _UTF16_MIN_CHARS
        wide = _WIDE.findall(text[:_SAMPLE])
        distinct = need if strict else 1
        if len(wide) < need or len(set(wide)) < distinct or _CONTROL.search(text[:_SAMPLE]):
            continue
        share = common_share(text)
        if share >= max(beat, _MIN_COMMON) and (best is None or share > best[0]):
            best = (share, name, text)
    if best is None:
        return None
    warnings = ["文件为不带 BOM 的 UTF-16 编码，请核对内容是否正确"] if best[1] == "utf-16" else []
    return best[2], best[1], warnings


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
