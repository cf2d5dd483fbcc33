"""The OFD package: zip checks, expat parsing without DTDs, path resolution and the small XML helpers."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.core.errors import ReadError
from app.core.read.ofd_package import (
    MSG_DAMAGED,
    _child,
    _children,
    _float,
    _floats,
    _local,
    _Package,
    parse_xml,
)
from app.core.read.zipsafe import MSG_BOMB, MSG_DTD

NS = "http://www.ofdspec.org/2016"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def test_parse_xml_with_and_without_namespace() -> None:
    root = parse_xml(f'<ofd:OFD xmlns:ofd="{NS}" Version="1.1"><ofd:DocBody>体</ofd:DocBody></ofd:OFD>'.encode(),
                     label="OFD.xml")
    assert root.tag == "{" + NS + "}OFD" and root.get("Version") == "1.1"
    assert _local(root.tag) == "OFD" and root[0].text == "体"
    plain = parse_xml(b"<OFD><DocBody/></OFD>", label="OFD.xml")
    assert plain.tag == "OFD" and _local(plain[0].tag) == "DocBody"


@pytest.mark.parametrize(
    "xml",
    [b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', '<!DOCTYPE a><a/>'.encode("utf-16")],
)
def test_dtd_is_refused(xml: bytes) -> None:
    with pytest.raises(ReadError) as info:
        parse_xml(xml, label="Content.xml")
    assert info.value.message == MSG_DTD


@pytest.mark.parametrize("xml", [b"<a><b></a>", b"", b"<a>", b"not xml"])
def test_malformed_xml_is_damaged(xml: bytes) -> None:
    with pytest.raises(ReadError) as info:
        parse_xml(xml, label="Content.xml")
    assert info.value.message == MSG_DAMAGED
    assert "Content.xml" in (info.value.detail or "")


def test_element_helpers() -> None:
    root = parse_xml(f'<p xmlns="{NS}"><Layer id="1"/><Other/><Layer id="2"/></p>'.encode(), label="x")
    assert [c.get("id") for c in _children(root, "Layer")] == ["1", "2"]
    first = _child(root, "Layer")
    assert first is not None and first.get("id") == "1"
    assert _child(root, "Missing") is None
    assert _child(None, "Layer") is None and _children(None, "Layer") == []
    assert _local(None) == ""


def test_number_helpers() -> None:
    assert _floats("0 0 210 297") == [0.0, 0.0, 210.0, 297.0]
    assert _floats("1.5,-2 +3e1 .5") == [1.5, -2.0, 30.0, 0.5]
    assert _floats(None) == [] and _floats("abc") == []
    assert _float("12.5 3", None) == 12.5
    assert _float("", 3.5) == 3.5 and _float(None, None) is None


def test_package_paths() -> None:
    pkg = _Package(_zip({
        "OFD.xml": b"<OFD/>",
        "Doc_0/Document.xml": b"<Document/>",
        "Doc_0/Pages/Page_0/Content.xml": b"<Page/>",
        "Doc_0/Res/": b"",
    }))
    assert set(pkg.infos) == {"OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"}
    assert pkg.resolve("", "Doc_0/Document.xml") == "Doc_0/Document.xml"
    assert pkg.resolve("Doc_0", "Pages/Page_0/Content.xml") == "Doc_0/Pages/Page_0/Content.xml"
    assert pkg.resolve("Doc_0/Pages", "/Doc_0/Document.xml") == "Doc_0/Document.xml"  # absolute
    assert pkg.resolve("Doc_0", "Pages\\Page_0\\..\\Page_0\\Content.xml") == "Doc_0/Pages/Page_0/Content.xml"
    assert pkg.resolve("", "doc_0/DOCUMENT.xml") == "Doc_0/Document.xml"  # case differs in many writers
    assert pkg.has("OFD.xml") and not pkg.has("missing.xml")
    assert pkg.xml("Doc_0/Document.xml").tag == "Document"
    with pytest.raises(ReadError) as info:
        pkg.xml("Doc_0/Missing.xml")
    assert info.value.message == MSG_DAMAGED


def test_package_refuses_what_zipsafe_refuses() -> None:
    with pytest.raises(ReadError) as info:
        _Package(b"not a zip at all")
    assert info.value.message == MSG_DAMAGED
    with pytest.raises(ReadError) as info:
        _Package(_zip({"pad.bin": b"\0" * (3 * 1024 * 1024)}))
    assert info.value.message == MSG_BOMB
