"""WordprocessingML names and the on/off and integer attribute readers shared by the .docx reader's parts."""

from __future__ import annotations

import pytest
from lxml import etree

from app.core.read.docx.wml import (
    _BLOCK_WRAPPERS,
    _P,
    _SKIP_INLINE,
    _TBL,
    _VAL,
    MC,
    W,
    _int,
    _int_attr,
    _on,
    _on_attr,
    _w,
)


def _el(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:x xmlns:w="{W}">{xml}</w:x>')[0]


def test_clark_names() -> None:
    assert _w("p") == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
    assert (_w("p"), _w("tbl"), _w("val")) == (_P, _TBL, _VAL)
    assert _el("<w:p/>").tag == _P


def test_wrappers_and_skipped_inline_parts() -> None:
    assert {_w("sdt"), _w("sdtContent"), _w("ins")} <= _BLOCK_WRAPPERS
    assert _w("del") in _SKIP_INLINE and _w("instrText") in _SKIP_INLINE
    assert "{" + MC + "}Fallback" in _SKIP_INLINE
    assert _w("t") not in _SKIP_INLINE and _P not in _BLOCK_WRAPPERS


@pytest.mark.parametrize(
    ("xml", "on"),
    [
        ("<w:b/>", True),
        ('<w:b w:val="1"/>', True),
        ('<w:b w:val="true"/>', True),
        ('<w:b w:val="on"/>', True),
        ('<w:b w:val="0"/>', False),
        ('<w:b w:val="false"/>', False),
        ('<w:b w:val="OFF"/>', False),
        ('<w:b w:val="none"/>', False),
    ],
)
def test_on_off_property(xml: str, on: bool) -> None:
    assert _on(_el(xml)) is on


def test_on_off_attribute_needs_a_value() -> None:
    assert _on_attr("1") and _on_attr("True")
    assert not _on_attr(None) and not _on_attr("0") and not _on_attr("false")


def test_integer_readers() -> None:
    assert _int(_el('<w:ilvl w:val="3"/>')) == 3
    assert _int(_el('<w:ilvl w:val="x"/>')) is None
    assert _int(_el("<w:ilvl/>")) is None
    assert _int(None) is None
    assert _int_attr("-2") == -2
    assert _int_attr("") is None and _int_attr(None) is None and _int_attr("1.5") is None
