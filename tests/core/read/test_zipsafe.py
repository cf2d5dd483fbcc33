"""Zip packages opened safely: entry count, declared sizes and ratios checked first; DOCTYPE/ENTITY spotted."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from app.core.errors import ReadError
from app.core.read.zipsafe import (
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL,
    MSG_BOMB,
    MSG_DTD,
    RATIO_FLOOR,
    has_dtd,
    open_zip,
    read_member,
)

DAMAGED = "测试：文件已损坏"


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _central_field(data: bytes, member: str, offset: int, value: int) -> bytes:
    """Rewrite a 4-byte field of `member`'s central directory record (24: uncompressed size, 16: CRC)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", out, pos + offset, value)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def _refused(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as info:
        open_zip(data, damaged=DAMAGED, label="test")
    return info.value


def test_limits_are_consistent() -> None:
    assert MAX_ZIP_ENTRIES > 0 and MAX_ZIP_RATIO > 1
    assert 0 < RATIO_FLOOR < MAX_ZIP_TOTAL
    assert MSG_BOMB != MSG_DTD


def test_a_normal_package_opens_and_its_members_read() -> None:
    zf = open_zip(_zip({"a.xml": "<a>甲</a>".encode(), "b/c.txt": b"hello"}), damaged=DAMAGED, label="test")
    infos = {i.filename: i for i in zf.infolist()}
    assert set(infos) == {"a.xml", "b/c.txt"}
    assert read_member(zf, infos["b/c.txt"], damaged=DAMAGED, label="test") == b"hello"


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7", "文本".encode(), b"PK\x03\x04truncated"])
def test_not_a_zip_gets_the_callers_message(data: bytes) -> None:
    error = _refused(data)
    assert error.message == DAMAGED
    assert error.detail is not None and error.detail.startswith("test:")


def test_too_many_entries() -> None:
    data = _zip({f"e{i}": b"" for i in range(MAX_ZIP_ENTRIES + 1)}, zipfile.ZIP_STORED)
    error = _refused(data)
    assert error.message == MSG_BOMB and "entries" in (error.detail or "")


def test_high_ratio_above_the_floor_is_a_bomb() -> None:
    data = _zip({"pad.bin": b"\0" * (RATIO_FLOOR + 1024)})
    assert _refused(data).message == MSG_BOMB


def test_high_ratio_below_the_floor_is_harmless() -> None:
    blob = b"\0" * (RATIO_FLOOR // 2)
    zf = open_zip(_zip({"cells.xml": blob}), damaged=DAMAGED, label="test")
    info = zf.infolist()[0]
    assert info.file_size > MAX_ZIP_RATIO * info.compress_size  # really compressed far beyond the ratio
    assert read_member(zf, info, damaged=DAMAGED, label="test") == blob


def test_declared_total_above_the_limit() -> None:
    # Every member declares just the ratio floor (never a ratio bomb on its own); together they pass the total.
    count = MAX_ZIP_TOTAL // RATIO_FLOOR + 1
    data = _zip({f"m{i}": b"x" for i in range(count)}, zipfile.ZIP_STORED)
    for i in range(count):
        data = _central_field(data, f"m{i}", 24, RATIO_FLOOR)
    error = _refused(data)
    assert error.message == MSG_BOMB and "uncompressed" in (error.detail or "")


def test_corrupt_member_reads_as_damaged() -> None:
    data = _central_field(_zip({"a.txt": b"some text" * 10}), "a.txt", 16, 0)  # wrong CRC
    zf = open_zip(data, damaged=DAMAGED, label="test")
    with pytest.raises(ReadError) as info:
        read_member(zf, zf.infolist()[0], damaged=DAMAGED, label="test")
    assert info.value.message == DAMAGED
    assert "a.txt" in (info.value.detail or "")


@pytest.mark.parametrize("codec", ["ascii", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("marker", ["<!DOCTYPE x>", '<!ENTITY e "v">'])
def test_dtd_markers_in_every_encoding(marker: str, codec: str) -> None:
    xml = f'<?xml version="1.0"?>{marker}<root/>'
    assert has_dtd(xml.encode(codec))


def test_plain_xml_has_no_dtd() -> None:
    assert not has_dtd('<?xml version="1.0" encoding="UTF-8"?><w:document><w:t>DOCTYPE 一词</w:t></w:document>'.encode())
    assert not has_dtd(b"")
