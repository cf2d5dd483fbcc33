"""Plan parser: 一、 chapters, （一） sections and bold task headings, whatever the Markdown levels say.

The plan was converted from a PDF: `#`…`####` and bold markers appear on chapters and sections
alike, so structure comes from the numbering only.
"""

from __future__ import annotations

import re

from app.core import models
from app.core.numbers import cn_to_int
from app.core.structure._build import ClauseBuilder, Draft
from app.core.structure._text import ITEM, Line, Para, assemble, ends_sentence

CHAPTER = re.compile(r"^([一二三四五六七八九十百]{1,4})\s*、\s*(\S.*)$")
SECTION = re.compile(r"^[（(]\s*([一二三四五六七八九十百]{1,4})\s*[）)]\s*(\S.*)$")
PREAMBLE_LABEL = "序言"
# A plain line this short without a full stop reads as a heading (plans typed without Markdown).
_SHORT_HEADING = 40


def heading_like(line: Line) -> bool:
    """Whether a line is shaped like a heading: Markdown heading, all bold, or short and unfinished."""
    if line.kind == "heading" or line.bold:
        return True
    return line.kind == "text" and len(line.text) <= _SHORT_HEADING and not ends_sentence(line.text)


def is_plan_heading(text: str) -> bool:
    """Whether `text` is a chapter or section heading of a plan (used to refuse it as a title)."""
    return bool(CHAPTER.match(text) or SECTION.match(text))


def _is_break(line: Line) -> bool:
    return line.kind != "text" or line.bold or bool(line.lead) or bool(ITEM.match(line.text))


class _PlanState:
    """Where the next paragraph goes while walking the plan."""

    def __init__(self, builder: ClauseBuilder) -> None:
        self.b = builder
        self.chapter: Draft | None = None
        self.section: Draft | None = None
        self.target: Draft | None = None
        self.tasks_in: dict[str, int] = {}
        self.chapter_values: list[int | None] = []

    def open_chapter(self, num: str, title: str) -> None:
        value = cn_to_int(num)
        self.chapter = self.b.add(
            [num],
            models.LEVEL_CHAPTER,
            number=num,
            number_value=value,
            heading=title,
            path=(f"{num}、{title}",),
        )
        self.chapter_values.append(value)
        self.section = None
        self.target = self.chapter

    def open_section(self, num: str, title: str) -> None:
        label = f"（{num}）"
        parent = self.chapter
        path = (parent.path if parent else ()) + (label + title,)
        self.section = self.b.add(
            [label],
            models.LEVEL_SECTION,
            number=label,
            number_value=cn_to_int(num),
            heading=title,
            path=path,
            parent=parent,
            under=parent,
        )
        self.target = self.section

    def open_task(self, heading: str, body: str) -> None:
        parent = self.section or self.chapter
        key = parent.id if parent else ""
        ordinal = self.tasks_in.get(key, 0) + 1
        self.tasks_in[key] = ordinal
        path = (parent.path if parent else ()) + (heading,)
        self.target = self.b.add(
            [str(ordinal)],
            models.LEVEL_TASK,
            number=str(ordinal),
            number_value=ordinal,
            heading=heading,
            path=path,
            parent=parent,
            under=parent,
        )
        if body:
            self.target.append(body)

    def add_text(self, text: str) -> None:
        if self.target is None:
            self.target = self.b.add([PREAMBLE_LABEL], models.LEVEL_PREAMBLE, path=(PREAMBLE_LABEL,))
        self.target.append(text)


def _handle(state: _PlanState, para: Para) -> None:
    line, text = para.line, para.text
    if heading_like(line):
        m = CHAPTER.match(text)
        if m:
            state.open_chapter(m.group(1), m.group(2).strip())
            return
        m = SECTION.match(text)
        if m:
            state.open_section(m.group(1), m.group(2).strip())
            return
    if line.lead:
        state.open_task(line.lead, text[len(line.lead) :].strip())
        return
    state.add_text(text)


def parse_plan(lines: list[Line], builder: ClauseBuilder) -> list[str]:
    """Walk the plan's lines into `builder`; return Chinese warnings about the numbering."""
    state = _PlanState(builder)
    for para in assemble(lines, _is_break):
        _handle(state, para)
    values = state.chapter_values
    warnings: list[str] = []
    if values and values != list(range(1, len(values) + 1)):
        shown = "、".join("?" if v is None else str(v) for v in values[:30])
        warnings.append(f"规划章编号不连续：{shown}")
    return warnings
