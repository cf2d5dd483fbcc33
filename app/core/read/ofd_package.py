"""The OFD package: a zip checked before anything is inflated (`zipsafe`), and every XML part parsed by expat
with DOCTYPE/ENTITY declarations refused; small element and number helpers for the reader."""

from __future__ import annotations

import posixpath
import re
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from app.core.errors import ReadError
from app.core.read.zipsafe import MSG_DTD, has_dtd, open_zip, read_member

MSG_DAMAGED = "文件已损坏，无法作为 OFD 文档打开"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


# --- safe XML -----------------------------------------------------------------------------------


def _qname(name: str) -> str:
    return "{" + name if "}" in name else name


def parse_xml(blob: bytes, *, label: str) -> ET.Element:
    """Parse XML with expat, refusing DOCTYPE and entity declarations (no expansion is ever possible).

    Raises:
        ReadError: DTD/entity declarations (MSG_DTD) or malformed XML (MSG_DAMAGED).
    """
    if has_dtd(blob):
        raise ReadError(MSG_DTD, detail=f"ofd: DOCTYPE/ENTITY in {label}")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_args: Any) -> Any:
        raise ReadError(MSG_DTD, detail=f"ofd: DTD in {label}")

    def start(name: str, attrs: dict[str, str]) -> None:
        builder.start(_qname(name), {_qname(k): v for k, v in attrs.items()})

    def end(name: str) -> None:
        builder.end(_qname(name))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(blob, True)
        return builder.close()
    except ReadError:
        raise
    except (expat.ExpatError, AssertionError, ValueError) as exc:  # TreeBuilder asserts on a truncated tree
        raise ReadError(MSG_DAMAGED, detail=f"ofd: {label}: {exc}") from exc


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    if el is None:
        return None
    return next((c for c in el if _local(c.tag) == name), None)


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def _floats(text: str | None) -> list[float]:
    return [float(m) for m in _NUMBER.findall(text or "")]


def _float(text: str | None, default: float | None) -> float | None:
    values = _floats(text)
    return values[0] if values else default


# --- package --------------------------------------------------------------------------------------


class _Package:
    def __init__(self, data: bytes) -> None:
        self.zf = open_zip(data, damaged=MSG_DAMAGED, label="ofd")
        self.infos = {self._norm(i.filename): i for i in self.zf.infolist() if not i.is_dir()}
        self.lower = {k.lower(): k for k in self.infos}

    @staticmethod
    def _norm(name: str) -> str:
        name = posixpath.normpath(name.replace("\\", "/").lstrip("/"))
        return "" if name == "." else name

    def resolve(self, base_dir: str, loc: str) -> str:
        loc = loc.strip().replace("\\", "/")
        joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
        name = self._norm(joined)
        if name not in self.infos:
            name = self.lower.get(name.lower(), name)
        return name

    def has(self, name: str) -> bool:
        return name in self.infos

    def xml(self, name: str) -> ET.Element:
        info = self.infos.get(name)
        if info is None:
            raise ReadError(MSG_DAMAGED, detail=f"ofd: {name} missing")
        return parse_xml(read_member(self.zf, info, damaged=MSG_DAMAGED, label="ofd"), label=name)
