"""Plan parser: numbered headings of any numbering system, bold task sentences, 专栏 boxes, 附件.

Plans come converted from PDF or Word, with Markdown levels that mean nothing, or as plain text:
the structure comes from the numbering only. Numbering systems (第X部分/篇, 第X章, 第X节, 一、,
（一）, 1., 1）, （1）, ①) nest in the order the document uses them: a system seen for the first
time becomes a child of the innermost open heading; a system already open pops back to its level.
A numbered line is a heading only when it continues its system's sequence (previous + 1, or 1
under a new parent); otherwise it is text, and so are the items that continue the list it starts.
Bold task sentences (`**健全碳排放双控制度体系。**…`) are tasks numbered by ordinal under the
nearest heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core import models
from app.core.numbers import cn_to_int
from app.core.structure._build import ClauseBuilder, Draft
from app.core.structure._text import Line, Para, assemble, ends_sentence
from app.core.structure.numbering import (
    ANNEX,
    BOX,
    CN,
    STRONG_HEADING,
    Number,
    System,
    is_heading_line,
    is_list_item,
    match_number,
    split_inline,
    strip_final,
)

PREAMBLE_LABEL = "序言"
_TASK = "task"
_ANNEX_KEY = "附件"
_BOX_MAX = 60
_RANKED_LEVELS = {"部分": models.LEVEL_PART, "篇": models.LEVEL_PART, "章": models.LEVEL_CHAPTER,
                  "节": models.LEVEL_SUBSECTION}
_TOP_KEYS = frozenset({"部分", "篇", _ANNEX_KEY})
_MAX_GAPS_SHOWN = 10


def is_plan_heading(text: str) -> bool:
    """Whether `text` starts with plan numbering (used to refuse it as a title)."""
    return match_number(text) is not None


def _box_or_annex(line: Line, text: str) -> tuple[str, re.Match[str]] | None:
    """A `专栏1 …` or `附件1：…` heading line (short, not a sentence)."""
    if line.kind == "table":
        text = text.strip("| \t")
    if not text or len(text) > _BOX_MAX or text[0] not in "专附":
        return None
    if line.kind == "text" and not line.bold and ends_sentence(text) and text[-1] not in "：:":
        return None
    for kind, pattern in (("box", BOX), ("annex", ANNEX)):
        m = pattern.match(text)
        if m is not None and (m.group(1) or not m.group(2) or m.group(2)[0] in "：: \u3000"
                              or line.kind != "text" or line.bold or len(text) <= 20):
            return kind, m
    return None


def _closed(para: Para) -> bool:
    """A short numbered heading line (`（一）主要目标`) is never continued by the next line."""
    if len(para.parts) != 1:
        return False
    text = para.parts[0]
    num = match_number(text)
    if num is not None:
        return is_heading_line(text) and bool(num.rest)
    return _box_or_annex(para.line, text) is not None


def _is_break(line: Line) -> bool:
    return (
        line.kind != "text"
        or line.bold
        or bool(line.lead)
        or match_number(line.text) is not None
        or _box_or_annex(line, line.text) is not None
    )


@dataclass(slots=True)
class _Node:
    """An open heading: its numbering system (or "task"/"附件"), value and clause."""

    key: str
    rank: int | None
    value: int | None
    item: bool
    draft: Draft
    headed: bool = True  # the heading line had a heading (not only text after its number)


class _PlanState:
    """The stack of open headings and the clause receiving text while walking the plan."""

    def __init__(self, builder: ClauseBuilder) -> None:
        self.b = builder
        self.stack: list[_Node] = []
        self.target: Draft | None = None
        self.tasks_in: dict[str, int] = {}
        # system -> (next value, headed) of a list found to be text: its items are text too
        self.shadow: dict[str, tuple[int, bool]] = {}
        self.box: Draft | None = None
        self.box_next: dict[str, int] = {}  # system -> next value of a list inside the box
        self.gaps: list[str] = []
        self.last: dict[str, int] = {}  # system -> value of its last heading anywhere in the document

    # --- placing a numbered line ----------------------------------------------------------------

    def _slot(self, system: System) -> int:
        """Stack index a heading of `system` takes: its own level if open, else below the innermost."""
        rank = system.rank
        if rank is not None:
            i = 0
            while i < len(self.stack):
                above = self.stack[i].rank
                if above is None or above >= rank:
                    break
                i += 1
            return i
        return next((k for k, n in enumerate(self.stack) if n.key == system.key), len(self.stack))

    def place(self, num: Number, strong: bool) -> int | None:
        """Where `num` opens a heading; None when it breaks its sequence (then it is text).

        A number continues its sequence when it follows the open heading of its system (previous
        + 1), or starts a list under a new parent (1), or carries on the document-wide count of its
        system (规划纲要 number 章 across 篇). Markdown or bold heading lines are accepted out of
        sequence (with a warning): their shape says they are headings, a skipped number is a typo.
        """
        i = self._slot(num.system)
        prev = self.stack[i] if i < len(self.stack) and self.stack[i].key == num.system.key else None
        if prev is not None:
            ok = prev.value is not None and num.value == prev.value + 1
        else:
            last = self.last.get(num.system.key)
            ok = num.value == 1 or (last is not None and num.value == last + 1)
        if ok:
            return i
        if not strong:
            return None
        before = prev.draft.number if prev is not None else "（开头）"
        self.gaps.append(f"{before}之后为{num.label}")
        return i

    def reopens(self, num: Number) -> bool:
        """Whether `num` continues a heading that is open (pops back to it), not a new list."""
        i = self._slot(num.system)
        prev = self.stack[i] if i < len(self.stack) and self.stack[i].key == num.system.key else None
        return prev is not None and prev.value is not None and num.value == prev.value + 1

    def _level(self, system: System, i: int) -> str:
        if system.item:
            return models.LEVEL_ITEM
        if system.rank is not None:
            return _RANKED_LEVELS[system.key]
        if system is CN and all(n.key in _TOP_KEYS for n in self.stack[:i]):
            return models.LEVEL_CHAPTER
        return models.LEVEL_SECTION

    def open_number(self, num: Number, i: int, heading: str, body: str) -> None:
        level = self._level(num.system, i)
        del self.stack[i:]
        parent = self.stack[-1].draft if self.stack else None
        if not num.system.item:
            heading = strip_final(heading)
        shown = (num.prefix + heading).strip()
        draft = self.b.add(
            [num.label],
            level,
            number=num.label,
            number_value=num.value,
            heading=heading,
            path=(parent.path if parent else ()) + (shown,),
            parent=parent,
            under=parent,
        )
        if body:
            draft.append(body)
        self.stack.append(_Node(num.system.key, num.system.rank, num.value, num.system.item, draft, bool(heading)))
        if num.value is not None:
            self.last[num.system.key] = num.value
        self._opened(draft)

    def _opened(self, draft: Draft) -> None:
        self.target = draft
        self.shadow.clear()
        self.box = None

    # --- tasks, boxes, annexes --------------------------------------------------------------------

    def _container(self) -> Draft | None:
        """The innermost open heading that is neither an item nor a task."""
        return next((n.draft for n in reversed(self.stack) if not n.item and n.key != _TASK), None)

    def open_task(self, heading: str, body: str) -> None:
        while self.stack and (self.stack[-1].item or self.stack[-1].key == _TASK):
            self.stack.pop()
        parent = self.stack[-1].draft if self.stack else None
        key = parent.id if parent else ""
        ordinal = self.tasks_in.get(key, 0) + 1
        self.tasks_in[key] = ordinal
        draft = self.b.add(
            [str(ordinal)],
            models.LEVEL_TASK,
            number=str(ordinal),
            number_value=ordinal,
            heading=heading,
            path=(parent.path if parent else ()) + (heading,),
            parent=parent,
            under=parent,
        )
        if body:
            draft.append(body)
        self.stack.append(_Node(_TASK, None, ordinal, True, draft))
        self._opened(draft)

    def _add_block(self, word: str, m: re.Match[str], path: tuple[str, ...], parent: Draft | None) -> Draft:
        """A 专栏/附件 block labelled with its number (专栏1, 附件２ → 附件2)."""
        num = (m.group(1) or "").translate({0xFF10 + i: 0x30 + i for i in range(10)})
        label = f"{word}{num}"
        return self.b.add(
            [label],
            models.LEVEL_BLOCK,
            number=label,
            number_value=cn_to_int(num) if num else None,
            heading=m.group(2).strip(" ：:\u3000"),
            path=path,
            parent=parent,
            under=parent,
        )

    def open_box(self, m: re.Match[str], text: str) -> None:
        """A 专栏 box: one block clause holding its lines, below the innermost heading."""
        parent = self._container()
        draft = self._add_block("专栏", m, (parent.path if parent else ()) + (text,), parent)
        self._opened(draft)
        self.box = draft
        self.box_next = {}

    def open_annex(self, m: re.Match[str], text: str) -> None:
        """附件1 ….: a top-level block; numbering below it starts afresh."""
        self.stack.clear()
        draft = self._add_block("附件", m, (text,), None)
        self.stack.append(_Node(_ANNEX_KEY, -1, None, False, draft))
        self._opened(draft)

    def add_text(self, text: str) -> None:
        if self.target is None:
            self.target = self.b.add([PREAMBLE_LABEL], models.LEVEL_PREAMBLE, path=(PREAMBLE_LABEL,))
        self.target.append(text)

    # --- one paragraph ----------------------------------------------------------------------------

    def in_box_list(self, num: Number) -> bool:
        """A numbered line of a list inside the open 专栏 box (which a box's lists never leave).

        A list the box started goes on in the box; a new list starts in it unless the line reopens
        a heading of the plan (`（二）` after the box, under the plan's open `（一）`).
        """
        if self.box is None or num.system.rank is not None:
            return False
        expected = self.box_next.get(num.system.key)
        if expected is None:
            if num.value != 1 or self.reopens(num):
                return False
        elif num.value != expected:
            return False
        self.box_next[num.system.key] = (num.value or 0) + 1
        return True

    def in_shadow(self, num: Number, headed: bool) -> bool:
        """An item continuing a list that was found to be text (`1.` inside item 3 starts one).

        When the number also continues the open heading of its system, the line goes with the
        one it resembles: a `3、加强执法检查。…` headed like its open sibling `2、健全收运体系。…`
        reopens the plan's list; a `2．运输过程应全程密闭；` shaped like the inner list stays text.
        """
        run = self.shadow.get(num.system.key)
        if run is None or num.value != run[0]:
            return False
        if self.reopens(num) and headed != run[1]:
            i = self._slot(num.system)
            if self.stack[i].headed == headed:
                return False
        self.shadow[num.system.key] = (run[0] + 1, run[1])
        return True

    def numbered(self, num: Number, line: Line, text: str) -> bool:
        """Open a heading for a numbered paragraph; False when it is text."""
        strong = line.kind == "heading" or line.bold or bool(line.lead)
        heading, body, shaped = _split(num, line, text)
        if self.in_box_list(num):
            return False
        if not strong and self.in_shadow(num, bool(heading)):
            return False
        i = self.place(num, strong) if shaped or num.system.item else None
        if i is None:
            if num.value == 1:
                self.shadow[num.system.key] = (2, bool(heading))
            return False
        self.open_number(num, i, heading, body)
        return True

    def handle(self, para: Para) -> None:
        line, text = para.line, para.text
        special = _box_or_annex(line, text)
        if special is not None:
            kind, m = special
            (self.open_box if kind == "box" else self.open_annex)(m, text.strip("| \t"))
            return
        if line.kind != "table":
            num = match_number(text)
            if num is not None and self.numbered(num, line, text):
                return
            if num is None and line.lead:
                self.open_task(line.lead, text[len(line.lead) :].strip())
                return
        self.add_text(text)


def _split(num: Number, line: Line, text: str) -> tuple[str, str, bool]:
    """Heading, text after it, and whether the line is shaped like a heading at all."""
    rest = num.rest
    if line.lead:
        tail = text[len(line.lead) :]
        heading = rest[: len(rest) - len(tail)].strip() if tail and rest.endswith(tail) else rest
        if heading and heading != rest:
            return heading, tail.strip(), True
        if not tail:
            return rest, "", True
    if (line.kind == "heading" or line.bold) and len(rest) <= STRONG_HEADING:
        return rest, "", True
    if is_heading_line(rest):
        return rest, "", True
    heading, body = split_inline(rest)
    if heading and (body or not num.system.item):
        return heading, body, True
    # One sentence after an item number is the item's text (`（2）加快海上风电建设；`), not a heading.
    return "", rest, not is_list_item(rest)


def parse_plan(lines: list[Line], builder: ClauseBuilder) -> list[str]:
    """Walk the plan's lines into `builder`; return Chinese warnings about the numbering."""
    state = _PlanState(builder)
    for para in assemble(lines, _is_break, _closed):
        state.handle(para)
    warnings: list[str] = []
    if state.gaps:
        shown = "；".join(state.gaps[:_MAX_GAPS_SHOWN]) + ("等" if len(state.gaps) > _MAX_GAPS_SHOWN else "")
        warnings.append(f"规划编号不连续：{shown}")
    return warnings
