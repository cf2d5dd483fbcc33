"""Opening a .docx package: the checks before python-docx, the plain-lxml body and the whole read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from app.core.errors import ReadError
from app.core.read.docx.package import (
    MSG_DAMAGED,
    MSG_ENCRYPTED,
    MSG_LEGACY,
    MSG_NO_TEXT,
    OLE_MAGIC,
    _check_package,
    _is_encrypted_ole,
    _plain_body,
    read_package,
)
from app.core.read.docx.wml import W
from app.core.read.zipsafe import MSG_DTD


def _docx(*paragraphs: tuple[str, str | None]) -> bytes:
    d = docx.Document()
    for text, style in paragraphs:
        d.add_paragraph(text, style=style)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _error(call, *args) -> ReadError:  # type: ignore[no-untyped-def]
    with pytest.raises(ReadError) as info:
        call(*args)
    return info.value


def test_messages_are_distinct_chinese_sentences() -> None:
    messages = {MSG_DAMAGED, MSG_ENCRYPTED, MSG_LEGACY, MSG_NO_TEXT}
    assert len(messages) == 4 and all("文" in m for m in messages)


def test_encrypted_ole_needs_the_encrypted_package_stream() -> None:
    assert _is_encrypted_ole(OLE_MAGIC + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"))
    assert not _is_encrypted_ole(OLE_MAGIC + b"\0" * 100)  # a legacy .doc
    assert not _is_encrypted_ole(b"PK\x03\x04" + "EncryptedPackage".encode("utf-16-le"))


def test_read_package_gives_markdown_text() -> None:
    data = _docx(("测试规划", "Title"), ("一、总体要求", "Heading 1"), ("为做好工作，制定本规划。", None))
    decoded = read_package(Path("plan.docx"), data)
    assert decoded.text == "# 测试规划\n\n# 一、总体要求\n\n为做好工作，制定本规划。\n"
    assert decoded.encoding == "docx"
    assert decoded.warnings == ()


def test_warnings_are_sorted_and_unique() -> None:
    members = _members(_docx(("正文", None)))
    body = (
        f'<w:document xmlns:w="{W}"><w:body>'
        "<w:ins><w:p><w:r><w:t>插入</w:t></w:r></w:p></w:ins>"
        '<w:altChunk xmlns:r="urn:r" r:id="x"/>'
        "<w:p><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:t>留</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    members["word/document.xml"] = body.encode()
    decoded = read_package(Path("x.docx"), _zip(members))
    assert decoded.text == "插入\n\n留\n"
    assert decoded.warnings == tuple(sorted(decoded.warnings)) and len(decoded.warnings) == 2


def test_opendocument_package_is_legacy() -> None:
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
    assert _error(_check_package, data).message == MSG_LEGACY


def test_zip_without_the_main_part_is_damaged() -> None:
    assert _error(_check_package, _zip({"[Content_Types].xml": b"<Types/>"})).message == MSG_DAMAGED


def test_dtd_in_a_relationship_part_is_refused() -> None:
    members = _members(_docx(("正文", None)))
    members["word/_rels/document.xml.rels"] = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><Relationships/>'
    error = _error(_check_package, _zip(members))
    assert error.message == MSG_DTD and "document.xml.rels" in (error.detail or "")


def test_a_valid_package_passes_the_checks() -> None:
    _check_package(_docx(("正文", None)))  # no exception, and the body is found:
    body = _plain_body(_docx(("正文", None)), "word/document.xml")
    assert body.tag == "{" + W + "}body"
    assert "".join(body.itertext()) == "正文"


def test_main_part_without_body() -> None:
    data = _zip({"word/document.xml": f'<w:document xmlns:w="{W}"/>'.encode()})
    assert _error(_plain_body, data, "word/document.xml").message == MSG_DAMAGED


def test_no_text_and_broken_parts() -> None:
    assert _error(read_package, Path("blank.docx"), _docx(("", None))).message == MSG_NO_TEXT
    members = _members(_docx(("正文", None)))
    members["word/styles.xml"] = b"<w:styles"  # malformed XML in a part python-docx parses
    assert _error(read_package, Path("bad.docx"), _zip(members)).message == MSG_DAMAGED
