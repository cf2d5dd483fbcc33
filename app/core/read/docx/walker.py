"""The body walk of a .docx: paragraphs and tables in document order → Markdown-shaped lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core.read.docx.numbering import Numbering
from app.core.read.docx.styles import _Styles
from app.core.read.docx.wml import (
    _BLOCK_WRAPPERS,
    _P,
    _R,
    _SKIP_INLINE,
    _T,
    _TBL,
    _TC,
    _TR,
    _VAL,
    _int,
    _on,
    _w,
)

_LEAD_END = "。！？；：:"
_REVISIONS = "文档含有未接受的修订，已按修订后的内容读取"
# Elements of a run that stand for one character.
_CHARACTERS = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def _join(left: str, right: str) -> str:
    """Separator for text joined across a line break: none inside Chinese, a space otherwise."""
    if not left or not right or (_is_wide(left[-1]) and _is_wide(right[0])):
        return ""
    return " "


def _resolve_breaks(text: str) -> str:
    if "\n" not in text:
        return text
    parts = [p.strip() for p in text.split("\n")]
    out = parts[0]
    for part in parts[1:]:
        out += _join(out, part) + part
    return out


def _sep(label: str, text: str, suffix: str) -> str:
    if not label or suffix == "nothing" or not text:
        return ""
    if label and not label[-1].isalnum() and (_is_wide(text[0]) or _is_wide(label[-1])):
        return ""
    return " "


@dataclass
class _Para:
    pieces: list[tuple[str, bool]]
    style: str
    extra: list[Any]  # text-box contents found inside the paragraph


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.out: list[str] = []
        self.warnings: set[str] = set()

    # blocks

    def blocks(self, parent: Any) -> Iterator[Any]:
        """Paragraphs and tables under `parent` in order, looking through sdt/customXml/ins wrappers."""
        stack = [iter(parent)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in (_P, _TBL):
                yield child
            elif tag in _BLOCK_WRAPPERS:
                if tag in (_w("ins"), _w("moveTo")):
                    self.warnings.add(_REVISIONS)
                stack.append(iter(child))
            elif tag == _w("altChunk"):
                self.warnings.add("文档中嵌入的其他格式内容（altChunk）未读取")
            elif tag in (_w("del"), _w("moveFrom")):
                self.warnings.add(_REVISIONS)

    def walk(self, parent: Any) -> None:
        for block in self.blocks(parent):
            if block.tag == _TBL:
                self.table(block)
            else:
                self.paragraph(block)

    def _cells(self, parent: Any, tag: str) -> Iterator[Any]:
        stack = [iter(parent)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == tag:
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                stack.append(iter(child))

    def table(self, tbl: Any) -> None:
        for row in self._table_rows(tbl):
            if any(row):
                self.out.append("| " + " | ".join(c.replace("|", "｜") for c in row) + " |")

    def _table_rows(self, tbl: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        for tr in self._cells(tbl, _TR):
            cells: list[str] = []
            for tc in self._cells(tr, _TC):
                tc_pr = tc.find(_w("tcPr"))
                if tc_pr is not None:
                    h_merge = tc_pr.find(_w("hMerge"))
                    if h_merge is not None and (h_merge.get(_VAL) or "continue") != "restart":
                        continue
                    v_merge = tc_pr.find(_w("vMerge"))
                    if v_merge is not None and (v_merge.get(_VAL) or "continue") != "restart":
                        cells.append("")
                        continue
                cells.append(self._cell_text(tc))
            rows.append(cells)
        return rows

    def _cell_text(self, tc: Any) -> str:
        parts: list[str] = []
        for block in self.blocks(tc):
            if block.tag == _TBL:
                parts.extend(" ".join(c for c in row if c) for row in self._table_rows(block))
            else:
                para = self._collect(block)
                if para is None:
                    continue
                label, suffix = self._label(block, para.style)
                text = _resolve_breaks("".join(t for t, _ in para.pieces)).replace("\t", " ").strip()
                if label or text:
                    parts.append(label + _sep(label, text, suffix) + text)
                for box in para.extra:
                    parts.append(self._cell_text(box))
        return " ".join(p for p in parts if p)

    # paragraphs

    def _style_of(self, p: Any) -> str:
        ps = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        if ps is not None and ps.get(_VAL):
            return str(ps.get(_VAL))
        return self.styles.default_para

    def _label(self, p: Any, style: str) -> tuple[str, str]:
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num = num_pr.find(_w("numId"))
            num_id = num.get(_VAL) if num is not None else None
            ilvl = _int(num_pr.find(_w("ilvl")))
        if num_id is None:
            s_num, s_ilvl, s_style = self.styles.numbering(style)
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
            if ilvl is None and num_id is not None:
                ilvl = self.numbering.level_for_style(num_id, s_style)
        if not num_id or num_id == "0":
            return "", ""
        return self.numbering.label(num_id, min(max(ilvl or 0, 0), 8))

    def _run_bold(self, r: Any, para_bold: bool) -> bool:
        rpr = r.find(_w("rPr"))
        if rpr is not None:
            b = rpr.find(_w("b"))
            if b is not None:
                return _on(b)
            rs = rpr.find(_w("rStyle"))
            if rs is not None:
                bold = self.styles.bold(rs.get(_VAL) or "")
                if bold is not None:
                    return bold
        return para_bold

    def _collect(self, p: Any) -> _Para | None:
        style = self._style_of(p)
        if self.styles.is_toc(style):
            return None
        para_bold = self.styles.bold(style)
        if para_bold is None:
            para_bold = self.styles.default_bold
        pieces: list[tuple[str, bool]] = []
        extra: list[Any] = []
        stack = [iter(p)]
        bold_stack: list[bool | None] = [None]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                bold_stack.pop()
                continue
            descend, run_bold = self._inline(el, bold_stack[-1], para_bold, pieces, extra)
            if descend:
                stack.append(iter(el))
                bold_stack.append(run_bold)
        return _Para(pieces, style, extra)

    def _inline(
        self, el: Any, run_bold: bool | None, para_bold: bool, pieces: list[tuple[str, bool]], extra: list[Any]
    ) -> tuple[bool, bool | None]:
        """Take one element of a paragraph: its text goes to `pieces`, a text box to `extra`. Returns whether
        its children are to be walked, and the bold state they inherit."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_INLINE:
            if tag in (_w("del"), _w("moveFrom")):
                self.warnings.add(_REVISIONS)
            return False, run_bold
        if tag == _w("txbxContent"):
            extra.append(el)
            return False, run_bold
        if tag == _R:
            rpr = el.find(_w("rPr"))
            if rpr is not None and (rpr.find(_w("vanish")) is not None and _on(rpr.find(_w("vanish")))):
                return False, run_bold
            return True, self._run_bold(el, para_bold)
        if tag == _T:
            pieces.append((el.text or "", bool(run_bold)))
            return False, run_bold
        if tag in _CHARACTERS:
            pieces.append((_CHARACTERS[tag], bool(run_bold)))
            return False, run_bold
        if tag == _w("ins"):
            self.warnings.add(_REVISIONS)
        return True, run_bold

    def paragraph(self, p: Any) -> None:
        para = self._collect(p)
        if para is None:
            return
        label, suffix = self._label(p, para.style)
        self._emit(p, para, label, suffix)
        for box in para.extra:
            self.walk(box)

    def _emit(self, p: Any, para: _Para, label: str, suffix: str) -> None:
        text = _resolve_breaks("".join(t for t, _ in para.pieces)).replace("\t", " ").strip()
        if not text and not label:
            return
        level = self._heading(p, para.style)
        sep = _sep(label, text, suffix)
        if level:
            self.out.append("#" * min(level, 6) + " " + label + sep + text)
            return
        visible = [(t, b) for t, b in para.pieces if t.strip()]
        if visible and all(b for _, b in visible) and text:
            self.out.append(f"**{label}{sep}{text}**")
            return
        lead = self._lead(para.pieces)
        if lead:
            rest = text[len(lead) :].strip() if text.startswith(lead) else ""
            if rest:
                self.out.append(f"**{label}{sep}{lead}**{rest}")
                return
        self.out.append(label + sep + text)

    def _heading(self, p: Any, style: str) -> int:
        outline = _int(p.find(f"{_w('pPr')}/{_w('outlineLvl')}"))
        if outline is not None:
            return outline + 1 if 0 <= outline < 9 else 0
        return self.styles.heading_level(style)

    @staticmethod
    def _lead(pieces: list[tuple[str, bool]]) -> str:
        """The leading bold text up to its last sentence punctuation, or ""."""
        prefix: list[str] = []
        for text, bold in pieces:
            if not bold and text.strip():
                break
            prefix.append(text)
        bold_text = _resolve_breaks("".join(prefix)).replace("\t", " ").lstrip()
        cut = max(bold_text.rfind(ch) for ch in _LEAD_END)
        if cut < 1:
            return ""
        return bold_text[: cut + 1].strip()
