"""WordprocessingML names and attribute readers shared by the .docx reader's parts."""

from __future__ import annotations

from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{" + W + "}"


def _w(tag: str) -> str:
    return _W + tag


_P, _TBL, _R, _T, _TR, _TC = _w("p"), _w("tbl"), _w("r"), _w("t"), _w("tr"), _w("tc")
_VAL = _w("val")
# Containers whose children are block content (paragraphs, tables) or rows/cells.
_BLOCK_WRAPPERS = frozenset({_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo")})
# Subtrees inside a paragraph that hold no visible text of the paragraph itself.
_SKIP_INLINE = frozenset(
    {
        _w("del"),
        _w("moveFrom"),
        _w("pPr"),
        _w("rPr"),
        _w("instrText"),
        _w("delText"),
        _w("rt"),  # ruby annotation: the base text is kept
        _w("footnoteReference"),
        _w("endnoteReference"),
        _w("commentReference"),
        "{" + MC + "}Fallback",  # duplicate of mc:Choice (text boxes in VML)
    }
)
_FALSE = frozenset({"0", "false", "off", "none"})


def _on(el: Any) -> bool:
    """A WordprocessingML on/off property (`<w:b/>`, `<w:b w:val="0"/>`)."""
    val = el.get(_VAL)
    return val is None or val.lower() not in _FALSE


def _on_attr(val: str | None) -> bool:
    return val is not None and val.lower() not in _FALSE


def _int(el: Any) -> int | None:
    if el is None:
        return None
    try:
        return int(el.get(_VAL) or "")
    except ValueError:
        return None


def _int_attr(val: str | None) -> int | None:
    try:
        return int(val or "")
    except ValueError:
        return None
