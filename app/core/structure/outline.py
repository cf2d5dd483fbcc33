"""Law and generic parser: 编/章/节 containers, 第X条 articles (款 and 项 inside), headings and text blocks.

Containers nest by their rank (编 > 章 > 节) among themselves and by Markdown level against other
headings (序言, 附件, or the 一、 headings of 司法解释), because both appear in the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core import models
from app.core.numbers import cn_to_int
from app.core.structure._build import ClauseBuilder, Draft
from app.core.structure._text import CN_ITEM, ITEM, Line, Para, assemble, ends_sentence

_NUM = r"[零〇一二三四五六七八九十百千两\d０-９]{1,12}"
ARTICLE = re.compile(rf"^第({_NUM})条(?:之([一二三四五六七八九十]{{1,3}}))?(?=[ \t\u3000]|$)")
CONTAINER = re.compile(rf"^第({_NUM})([编章节])(?:[ \t\u3000]*)(.*)$")
_RANKS = {"编": 1, "章": 2, "节": 3}
_LEVELS = {"编": models.LEVEL_PART, "章": models.LEVEL_CHAPTER, "节": models.LEVEL_SUBSECTION}
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
BLOCK_CHARS = 1500
PREAMBLE_LABEL = "序言"
_PLAIN_HEADING_MAX = 40
_BOLD_HEADING_MAX = 60


@dataclass(slots=True)
class _Node:
    """An open container or heading on the stack."""

    draft: Draft
    depth: int  # Markdown level (plain law containers: 编 2, 章 3, 节 4)
    rank: int | None  # 编 1, 章 2, 节 3; None for other headings
    law: bool


def _tidy(name: str) -> str:
    """`监  护` → `监护`, other runs of spaces → one space."""
    return " ".join(_CJK_SPACE.sub("", name).split())


def match_container(line: Line) -> re.Match[str] | None:
    """Match a 第X编/章/节 heading; plain lines only when they are short and unfinished."""
    m = CONTAINER.match(line.text)
    if m is None or line.kind == "table":
        return None
    if line.kind == "heading" or line.bold:
        return m
    if (
        len(line.text) <= _PLAIN_HEADING_MAX
        and not ends_sentence(line.text)
        and not m.group(3).startswith("的")
    ):
        return m
    return None


def _is_break(line: Line) -> bool:
    return (
        line.kind != "text"
        or line.bold
        or bool(ITEM.match(line.text) or ARTICLE.match(line.text))
        or match_container(line) is not None
    )


class _Outline:
    """Walk paragraphs, keeping the stack of open containers and the clause receiving text."""

    def __init__(self, builder: ClauseBuilder, law: bool) -> None:
        self.b = builder
        self.law = law
        self.stack: list[_Node] = []
        self.article: Draft | None = None
        self.block: Draft | None = None
        self.preamble: Draft | None = None
        self.started = False  # a heading, container or article has been seen

    def _pop(self, depth: int, rank: int | None) -> None:
        while self.stack:
            top = self.stack[-1]
            closes = top.rank >= rank if top.rank is not None and rank is not None else top.depth >= depth
            if not closes:
                break
            self.stack.pop()

    def _top(self) -> Draft | None:
        return self.stack[-1].draft if self.stack else None

    def _law_parent(self) -> Draft | None:
        return next((n.draft for n in reversed(self.stack) if n.law), None)

    def open_container(self, m: re.Match[str], line: Line) -> None:
        num, kind, name = m.group(1), m.group(2), _tidy(m.group(3))
        rank = _RANKS[kind]
        self._pop(line.level or rank + 1, rank)
        label = f"第{num}{kind}"
        parent = self._top()
        draft = self.b.add(
            [label],
            _LEVELS[kind],
            number=label,
            number_value=cn_to_int(num),
            heading=name,
            path=(parent.path if parent else ()) + (f"{label} {name}" if name else label,),
            parent=parent,
            under=self._law_parent(),
        )
        self.stack.append(_Node(draft, line.level or rank + 1, rank, True))
        self.article = self.block = None
        self.started = True

    def open_heading(self, line: Line) -> None:
        depth = line.level or 7
        self._pop(depth, None)
        parent = self._top()
        text = _tidy(line.text)
        m = CN_ITEM.match(text)
        number, value, heading = (m.group(1), cn_to_int(m.group(1)), m.group(2)) if m else ("", None, text)
        draft = self.b.add(
            [self.b.next_block_label()],
            models.LEVEL_BLOCK,
            number=number,
            number_value=value,
            heading=heading,
            path=(parent.path if parent else ()) + (text,),
            parent=parent,
        )
        self.stack.append(_Node(draft, depth, None, False))
        self.article, self.block = None, draft
        self.started = True

    def open_article(self, m: re.Match[str], text: str) -> None:
        num, sub = m.group(1), m.group(2)
        label = f"第{num}条" + (f"之{sub}" if sub else "")
        parent = self._top()
        self.article = self.b.add(
            [label],
            models.LEVEL_ARTICLE,
            number=label,
            number_value=cn_to_int(num),
            path=(parent.path if parent else ()) + (label,),
            parent=parent,
        )
        rest = text[m.end() :].strip()
        if rest:
            self.article.append(rest)
        self.block = None
        self.started = True

    def add_text(self, text: str, line: Line) -> None:
        if self.article is not None:
            self.article.append(text)
            return
        if self.law and not self.started:
            if self.preamble is None:
                self.preamble = self.b.add([PREAMBLE_LABEL], models.LEVEL_PREAMBLE, path=(PREAMBLE_LABEL,))
            self.preamble.append(text)
            return
        item = CN_ITEM.match(text) if line.kind == "text" else None
        block = self.block
        if block is None or (block.size and (item is not None or block.size + len(text) > BLOCK_CHARS)):
            block = self._new_block(item)
        block.append(text)

    def _new_block(self, item: re.Match[str] | None) -> Draft:
        parent = self._top()
        base = parent.path if parent else ()
        if item is not None:
            path = (*base, item.group(1) + "、")
        else:
            path = base or ("正文",)
        self.block = self.b.add(
            [self.b.next_block_label()],
            models.LEVEL_BLOCK,
            number=item.group(1) if item else "",
            number_value=cn_to_int(item.group(1)) if item else None,
            path=path,
            parent=parent,
        )
        return self.block

    def handle(self, para: Para) -> None:
        line, text = para.line, para.text
        m = ARTICLE.match(text)
        if m is not None and line.kind != "table":
            self.open_article(m, text)
            return
        c = match_container(line)
        if c is not None:
            self.open_container(c, line)
        elif line.kind == "heading" or (line.bold and len(text) <= _BOLD_HEADING_MAX):
            self.open_heading(line)
        else:
            self.add_text(text, line)


def parse_outline(lines: list[Line], builder: ClauseBuilder, *, law: bool) -> list[str]:
    """Walk law or generic text into `builder`; return Chinese warnings."""
    outline = _Outline(builder, law)
    for para in assemble(lines, _is_break):
        outline.handle(para)
    warnings: list[str] = []
    dups = [d for d in builder.duplicates if d.startswith("第") and d.endswith("条")]
    if dups:
        shown = "、".join(dups[:10]) + ("等" if len(dups) > 10 else "")
        warnings.append(f"条文编号重复：{shown}")
    return warnings
