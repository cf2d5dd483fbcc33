"""Word styles: bold, heading level, table-of-contents and numbering lookups with basedOn inheritance."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core.read.docx.wml import _VAL, _int, _on, _on_attr, _w

_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*(?:\d|heading|标题)", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})


@dataclass
class _Style:
    name: str = ""
    based_on: str = ""
    bold: bool | None = None
    outline: int | None = None  # 0-based outline level from w:outlineLvl
    num_id: str | None = None
    ilvl: int | None = None


class _Styles:
    """Style lookups with basedOn inheritance (first definition up the chain wins)."""

    def __init__(self, root: Any) -> None:
        self.styles: dict[str, _Style] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self.default_para = ""
        self.default_bold = False
        if root is None:
            return
        rpr_default = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('b')}")
        if rpr_default is not None:
            self.default_bold = _on(rpr_default)
        for el in root.iter(_w("style")):
            sid = el.get(_w("styleId")) or ""
            st = _Style()
            name = el.find(_w("name"))
            st.name = (name.get(_VAL) or "") if name is not None else ""
            based = el.find(_w("basedOn"))
            st.based_on = (based.get(_VAL) or "") if based is not None else ""
            b = el.find(f"{_w('rPr')}/{_w('b')}")
            if b is not None:
                st.bold = _on(b)
            ppr = el.find(_w("pPr"))
            if ppr is not None:
                st.outline = _int(ppr.find(_w("outlineLvl")))
                num_pr = ppr.find(_w("numPr"))
                if num_pr is not None:
                    num = num_pr.find(_w("numId"))
                    st.num_id = num.get(_VAL) if num is not None else None
                    st.ilvl = _int(num_pr.find(_w("ilvl")))
            self.styles[sid] = st
            if el.get(_w("type")) == "paragraph" and _on_attr(el.get(_w("default"))):
                self.default_para = sid

    def chain(self, sid: str) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            st = self.styles[sid]
            yield sid, st
            sid = st.based_on

    def _memo(self, kind: str, sid: str, compute: Any) -> Any:
        key = (kind, sid)
        if key not in self._cache:
            self._cache[key] = compute(sid)
        return self._cache[key]

    def bold(self, sid: str) -> bool | None:
        result: bool | None = self._memo("bold", sid, self._bold)
        return result

    def _bold(self, sid: str) -> bool | None:
        return next((st.bold for _, st in self.chain(sid) if st.bold is not None), None)

    def heading_level(self, sid: str) -> int:
        result: int = self._memo("heading", sid, self._heading_level)
        return result

    def _heading_level(self, sid: str) -> int:
        for _, st in self.chain(sid):
            name = st.name.strip().lower()
            m = _HEADING_STYLE.match(name)
            if m:
                return max(1, int(m.group(1)))
            if name in _TITLE_STYLES:
                return 1
            if st.outline is not None:
                return st.outline + 1 if st.outline < 9 else 0
        return 0

    def is_toc(self, sid: str) -> bool:
        result: bool = self._memo("toc", sid, self._is_toc)
        return result

    def _is_toc(self, sid: str) -> bool:
        return any(_TOC_STYLE.match(st.name.strip()) for _, st in self.chain(sid))

    def numbering(self, sid: str) -> tuple[str | None, int | None, str]:
        """(numId, ilvl, id of the style that carries the numId) from the style chain."""
        for style_id, st in self.chain(sid):
            if st.num_id is not None:
                ilvl = st.ilvl
                if ilvl is None:
                    ilvl = next((s.ilvl for _, s in self.chain(sid) if s.ilvl is not None), None)
                return st.num_id, ilvl, style_id
        return None, None, ""
