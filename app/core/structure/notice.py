"""The 关于印发…的通知 wrapper around a plan, and document metadata (文号, issuer, date, document type).

A notice (`沪府发〔2022〕7号`, `各区人民政府…：`, `现将《…》印发给你们`, issuer, date) is not the plan:
the document is the attached plan. `split_notice` finds where the notice ends and the plan's own
title line, so the plan parser starts at the plan and the plan's title becomes the document title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.numbers import cn_to_int
from app.core.structure._text import Line, ends_sentence

# Document types, longest first so that 实施方案 wins over 方案.
DOC_TYPES = (
    "规划纲要", "实施方案", "行动方案", "工作方案", "实施意见", "指导意见", "行动计划", "实施细则",
    "管理办法", "实施办法", "工作要点", "规划", "方案", "意见", "计划", "纲要", "办法", "细则",
    "规定", "条例", "决定", "通知", "通告", "公告", "要点", "指南", "法",
)
_TYPE_SUFFIX = re.compile(r"[（(][^（()）]{1,30}[）)]$")
_NOTICE_TITLE = re.compile(r"关于(?:印发|转发|发布|下发|颁发)(.{2,120}?)的?通知$")
_QUOTED = re.compile(r"《([^《》\n]{2,120})》")
_ISSUE = re.compile(r"(?:印发|转发|发布|下发)给你们|现(?:予)?(?:印发|发布|转发)|现将.{0,120}(?:印发|转发|发布)")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔［\[【(（]\s*((?:19|20)\d{2})\s*[〕］\]】)）]\s*([\d０-９]{1,4})\s*号"
)
_CN_DATE_DIGIT = "〇零○一二三四五六七八九十"
_DATE = re.compile(
    rf"^[（(]?\s*([\d０-９]{{4}}|[{_CN_DATE_DIGIT}]{{4}})\s*年\s*([\d０-９]{{1,2}}|[{_CN_DATE_DIGIT}]{{1,3}})\s*月"
    rf"\s*([\d０-９]{{1,2}}|[{_CN_DATE_DIGIT}]{{1,3}})\s*日\s*[）)]?$"
)
_REMARK = re.compile(r"^[（(][^（()）]{2,20}[）)]$")  # （此件公开发布） （本文有删减）
_ANNEX = re.compile(r"^附\s*件\s*[\d０-９一二三四五六七八九十]{0,3}\s*[：:]?\s*(.*)$")
_SUBTITLE = re.compile(r"^[（(][^（()）]{1,30}[）)]$")
_ADDRESSEE = re.compile(r"^[^。；]{2,200}[：:]$")
_TITLE_MAX = 80
_ISSUER_MAX = 40
_SCAN = 80  # the notice is at the top: look this many lines into the body at most


@dataclass(slots=True)
class Notice:
    """Where the notice ends, the plan's title and the metadata found on the way."""

    lines: list[str]  # the notice text, line by line (kept as a preamble clause)
    body_start: int  # index of the first plan line
    title: str  # the plan's title ("" when unknown)
    meta: dict[str, str] = field(default_factory=dict)


def doc_type(title: str) -> str:
    """规划/实施方案/行动方案/…: the document type named at the end of a title ("" if none)."""
    t = title.strip().rstrip("。")
    while True:
        m = _TYPE_SUFFIX.search(t)
        if m is None or m.start() == 0:
            break
        t = t[: m.start()].rstrip()
    t = t.rstrip("》\"”")
    return next((d for d in DOC_TYPES if t.endswith(d)), "")


def parse_date(text: str) -> str:
    """`2022年7月8日` / `二〇二二年七月八日` → `2022-07-08` ("" when not a date line)."""
    m = _DATE.match(text.strip())
    if m is None:
        return ""
    year = cn_to_int(m.group(1))
    month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
    if year is None or month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def doc_number(text: str) -> str:
    """The 文号 in `text` (`国发〔2021〕23号`), normalised to 〔〕 and ASCII digits."""
    m = _DOC_NUMBER.search(text)
    if m is None:
        return ""
    agency = m.group(0)[: m.group(0).index(m.group(1)) - 1].rstrip("〔［[【(（ ")
    num = m.group(2).translate({0xFF10 + i: 0x30 + i for i in range(10)})
    return f"{agency}〔{m.group(1)}〕{int(num)}号"


def plan_title_of(notice_title: str) -> str:
    """`…关于印发《上海市碳达峰实施方案》的通知` → `上海市碳达峰实施方案`."""
    m = _QUOTED.search(notice_title)
    if m is not None:
        return m.group(1)
    m = _NOTICE_TITLE.search(notice_title)
    return m.group(1).strip("《》“”") if m else ""


def issuer_of_title(title: str) -> str:
    """`国务院关于…的意见` → `国务院`."""
    i = title.find("关于")
    if 2 <= i <= _ISSUER_MAX:
        return title[:i].strip()
    return ""


def _title_line(text: str) -> bool:
    return 2 <= len(text) <= _TITLE_MAX and not ends_sentence(text) and not _DATE.match(text)


def _is_signature(text: str) -> bool:
    """An issuer line above the date: short, no punctuation but spaces and 、."""
    return 2 <= len(text) <= _ISSUER_MAX and not any(ch in text for ch in "，。；：:,;！？《》“”")


def split_notice(lines: list[Line], header_title: str, first_heading: int) -> Notice | None:
    """Find a 关于印发…的通知 wrapper at the top of `lines`; None when there is none.

    Args:
        lines: the body lines.
        header_title: the title found by the header split ("" if none).
        first_heading: index of the first numbered heading of the plan (the notice ends before it).
    """
    limit = min(first_heading, _SCAN, len(lines))
    texts = [ln.text for ln in lines[:limit]]
    title_at = next((i for i, t in enumerate(texts[:3]) if _NOTICE_TITLE.search(t)), None)
    notice_title = header_title if _NOTICE_TITLE.search(header_title) else ""
    if title_at is not None:
        notice_title = texts[title_at]
    issue_at = next((i for i, t in enumerate(texts) if _ISSUE.search(t)), None)
    numbered = next((i for i, t in enumerate(texts[:6]) if doc_number(t) and len(t) <= 40), None)
    if not notice_title and (issue_at is None or numbered is None):
        return None
    # The notice's own lines: from the top to its date (or to the 现将…印发 line); none when only
    # the header title says 印发 and the body starts with the plan.
    start = issue_at if issue_at is not None else (title_at if title_at is not None else -1)
    date_at = next((i for i in range(start, limit) if parse_date(texts[i])), None) if start >= 0 else None
    end = (date_at if date_at is not None else start) + 1
    meta: dict[str, str] = {}
    if date_at is not None:
        meta["date"] = parse_date(texts[date_at])
        sig = []
        for i in range(date_at - 1, start, -1):
            if not _is_signature(texts[i]):
                break
            sig.append(texts[i])
        if sig:
            meta["issuer"] = " ".join(reversed(sig))
    if "issuer" not in meta and notice_title:
        issuer = issuer_of_title(notice_title)
        if issuer:
            meta["issuer"] = issuer
    number = next((doc_number(t) for t in texts[:end] if doc_number(t)), "")
    if number:
        meta["doc_number"] = number
    title = ""
    while end < limit and _REMARK.match(texts[end]):
        end += 1
    while end < limit:
        annex = _ANNEX.match(texts[end])
        if annex is None or len(texts[end]) > _TITLE_MAX:
            break
        if annex.group(1) and _title_line(annex.group(1)):
            title = annex.group(1)
        end += 1
    notice_end = end
    if end < limit and _title_line(texts[end]) and not _ADDRESSEE.match(texts[end]):
        title = texts[end]
        end += 1
        if end < limit and _SUBTITLE.match(texts[end]):
            title += texts[end]
            end += 1
    if not title:
        title = plan_title_of(notice_title) or next(
            (m.group(1) for t in texts[start : start + 1] for m in [_QUOTED.search(t)] if m), ""
        )
    notice_lines = [t for i, t in enumerate(texts[:notice_end]) if not (i == title_at == 0 and t == header_title)]
    return Notice(notice_lines, end, title, meta)
