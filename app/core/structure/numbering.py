"""Numbering systems of Chinese policy documents: 第X部分/篇, 第X章, 第X节, 一、, （一）, 1. 1、 1．, 1）, （1）, ①.

A numbered line is matched against every system; the plan parser decides from the sequence
(value = previous + 1, or 1 under a new parent) whether it is a heading or text that happens to
start with a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.numbers import cn_to_int

_CN = "零〇一二三四五六七八九十百"
_CN_NUM = rf"[{_CN}]{{1,4}}"
_ANY_NUM = rf"[{_CN}\d０-９]{{1,4}}"
_DIGITS = r"[\d０-９]{1,3}"
_SP = r"[ \t\u3000]*"

# A heading line this short without a full stop is a heading even without Markdown.
SHORT_HEADING = 40
# An inline heading (`（一）加强组织领导。各地区要…`) is a first sentence at most this long.
INLINE_HEADING = 30
# Markdown/bold lines longer than this carry text after their heading.
STRONG_HEADING = 60


@dataclass(frozen=True, slots=True)
class System:
    """One numbering system."""

    key: str
    rank: int | None  # fixed rank (部分/篇 0, 章 1, 节 2); None: nests in order of appearance
    item: bool  # an item system (1. （1） ①): its clauses are items, not containers


PART = System("部分", 0, False)
VOLUME = System("篇", 0, False)
CHAPTER = System("章", 1, False)
SUBSECTION = System("节", 2, False)
CN = System("一、", None, False)
PAREN_CN = System("（一）", None, False)
ARABIC = System("1.", None, True)
ARABIC_CLOSE = System("1）", None, True)
PAREN_ARABIC = System("（1）", None, True)
CIRCLED = System("①", None, True)

_RANKED = re.compile(rf"^第{_SP}({_ANY_NUM}){_SP}(部分|篇|章|节)(?![的中])[ \t\u3000：:]*(.*)$")
_RANKED_SYSTEMS = {"部分": PART, "篇": VOLUME, "章": CHAPTER, "节": SUBSECTION}
_PATTERNS: tuple[tuple[System, re.Pattern[str]], ...] = (
    (CN, re.compile(rf"^({_CN_NUM}){_SP}[、．]{_SP}(.*)$")),
    (PAREN_CN, re.compile(rf"^[（(]{_SP}({_CN_NUM}){_SP}[）)]{_SP}(.*)$")),
    (PAREN_ARABIC, re.compile(rf"^[（(]{_SP}({_DIGITS}){_SP}[）)]{_SP}(.*)$")),
    (ARABIC, re.compile(rf"^({_DIGITS}){_SP}[.．、](?![\d０-９]){_SP}(.*)$")),
    (ARABIC_CLOSE, re.compile(rf"^({_DIGITS})[）)]{_SP}(.*)$")),
    (CIRCLED, re.compile(rf"^([①-⑳]){_SP}(.*)$")),
)
BOX = re.compile(rf"^专栏{_SP}([\d０-９]{{1,3}}|{_CN_NUM})?{_SP}[：:．.、]?{_SP}(.*)$")
ANNEX = re.compile(rf"^附件{_SP}([\d０-９]{{1,3}}|{_CN_NUM})?{_SP}[：:．.、]?{_SP}(.*)$")
_SENTENCE_END = "。！？!?"
_INLINE_END = "。！？!?：:"
_LIST_END = "；;，,、"


@dataclass(frozen=True, slots=True)
class Number:
    """A numbered line: its system, label (id part), printed prefix, value and the text after it."""

    system: System
    label: str  # "一", "（一）", "第一章", "1", "（1）", "①": the clause id part and `number`
    prefix: str  # as shown in paths: "一、", "（一）", "第一章 ", "1.", "①"
    value: int | None
    rest: str


def _value(num: str) -> int | None:
    if len(num) == 1 and "①" <= num <= "⑳":
        return ord(num) - ord("①") + 1
    return cn_to_int(num)


def match_number(text: str) -> Number | None:
    """Match the numbering at the start of `text` (a line of plain text)."""
    if not text:
        return None
    first = text[0]
    if first == "第":
        m = _RANKED.match(text)
        if m is None:
            return None
        num, kind = m.group(1), m.group(2)
        label = f"第{num}{kind}"
        return Number(_RANKED_SYSTEMS[kind], label, label + " ", _value(num), m.group(3).strip())
    for system, pattern in _PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        num, rest = m.group(1), m.group(2).strip()
        digits = num.translate({0xFF10 + i: 0x30 + i for i in range(10)})
        if system is CN:
            label, prefix = num, num + "、"
        elif system is PAREN_CN or system is PAREN_ARABIC:
            label = prefix = f"（{digits}）"
        elif system is ARABIC:
            label, prefix = digits, text[: len(text) - len(m.group(2))].strip()
        elif system is ARABIC_CLOSE:
            label = prefix = f"{digits}）"
        else:
            label = prefix = num
        return Number(system, label, prefix, _value(num), rest)
    return None


def split_inline(rest: str) -> tuple[str, str]:
    """Split `加强组织领导。各地区要…` into its heading sentence and the text after it.

    The heading is the first sentence (with its final mark) when it is short, holds no `；` and at
    most one `，`; otherwise there is no heading and everything is text.
    """
    end = next((i for i, ch in enumerate(rest[: INLINE_HEADING + 1]) if ch in _INLINE_END), -1)
    if end <= 0:
        return "", rest
    head = rest[: end + 1]
    if "；" in head or ";" in head or head.count("，") + head.count(",") > 1:
        return "", rest
    return head, rest[end + 1 :].strip()


def is_heading_line(text: str) -> bool:
    """A short line with no sentence inside and no final stop: `一、总体要求`, `（二）主要目标`."""
    if not text or len(text) > SHORT_HEADING:
        return False
    if text[-1] in _SENTENCE_END or text[-1] in _LIST_END or text[-1] in "；;：:":
        return False
    return not any(ch in _SENTENCE_END or ch in "；;" for ch in text)


def is_list_item(rest: str) -> bool:
    """An enumeration element (`未依法取得许可证的；`) rather than a heading or a paragraph."""
    return bool(rest) and rest[-1] in _LIST_END


def strip_final(heading: str) -> str:
    """`加强组织领导。` → `加强组织领导` (container headings are stored without their stop)."""
    return heading.rstrip("。！？!?：:；; \u3000")
