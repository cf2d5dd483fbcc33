"""Text → clause tree: plans (numbered headings of any system, bold tasks, 专栏), laws (编/章/节/条) and generic text blocks.

`parse_document` is a pure function of its arguments: the same text always yields the same clause
ids, so bookmarks and notes keep pointing at the same clause across re-indexing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core import models
from app.core.models import Clause
from app.core.structure._build import ClauseBuilder
from app.core.structure._text import Line, body_lines, drop_page_numbers, ends_sentence, split_header, to_line
from app.core.structure.notice import doc_number, doc_type, issuer_of_title, parse_date, split_notice
from app.core.structure.numbering import PAREN_CN, is_heading_line, match_number, split_inline
from app.core.structure.outline import ARTICLE, CONTAINER, parse_outline
from app.core.structure.plan import is_plan_heading, parse_plan

__all__ = ["STYLES", "ParsedDocument", "detect_style", "ends_sentence", "parse_document"]

STYLES = ("law", "plan", "generic")
PLAN_KIND = "规划"
NOTICE_LABEL = "印发通知"
_SUBTITLE = re.compile(r"^[（(][^（()）]{1,30}[）)]$")

_ARTICLE_LINE = re.compile(
    r"^[#* \t\u3000]*第[零〇一二三四五六七八九十百千两\d０-９]{1,12}条(?:之[一二三四五六七八九十]{1,3})?(?:[ \t\u3000*]|$)",
    re.MULTILINE,
)
# Candidate plan heading lines: a chapter-like numbering (一、, 第X章/节/部分/篇) or a （一） one at the
# start of a line, after optional Markdown heading or bold marks. `_plan_heading` checks the shape.
_PLAN_LINE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*"
    r"(?:[一二三四五六七八九十]{1,3}[、．]|第[一二三四五六七八九十\d]{1,3}(?:章|节|部分|篇)|[（(][一二三四五六七八九十]{1,3}[）)])"
    r"[^\n]*$",
    re.MULTILINE,
)
_SECTION_LINES = 3  # （一） heading lines that make a plan without 一、 chapters
_DOC_TITLE_MAX = 80


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed document: title, history lines (laws), clauses in document order and warnings.

    `meta` holds what the text says about the document: "doc_number" (文号), "issuer", "date"
    (YYYY-MM-DD) and "doc_type" (规划/实施方案/…, from the title); absent keys are unknown.
    """

    title: str
    history: tuple[str, ...]
    clauses: tuple[Clause, ...]
    warnings: tuple[str, ...]
    style: str = "generic"
    meta: dict[str, str] = field(default_factory=dict, compare=True, hash=False)


def _plan_heading(raw: str) -> str:
    """"chapter", "section" or "" for one candidate line (see `_PLAN_LINE`)."""
    line = to_line(raw)
    if line is None or line.kind == "table":
        return ""
    num = match_number(line.text)
    if num is None or num.system.item:
        return ""
    strong = line.kind == "heading" or line.bold or bool(line.lead)
    if not (strong or is_heading_line(line.text) or split_inline(num.rest)[0]):
        return ""
    return "section" if num.system is PAREN_CN else "chapter"


def detect_style(text: str, kind: str | None = None) -> str:
    """Return "plan", "law" or "generic" for `text` (`kind="规划"` forces "plan").

    Law: there are `第X条` article lines. Plan: no articles, and numbered heading lines: two
    chapter-level ones (一、, 第X章, 第X部分, …) or three （一） ones. A heading line is a Markdown
    heading, a bold line, a short line without a full stop, or `（一）加强组织领导。…` with a short
    first sentence.
    """
    if kind == PLAN_KIND:
        return "plan"
    if _ARTICLE_LINE.search(text):
        return "law"
    chapters = sections = 0
    for m in _PLAN_LINE.finditer(text):  # lazily: a long text stops at its first few headings
        found = _plan_heading(m.group(0))
        chapters += found == "chapter"
        sections += found == "section"
        if chapters >= 2 or sections >= _SECTION_LINES:
            return "plan"
    return "generic"


def _is_structural(text: str) -> bool:
    return bool(is_plan_heading(text) or ARTICLE.match(text) or CONTAINER.match(text))


def _first_heading(lines: list[Line]) -> int:
    """Index of the first chapter-level numbered line (the plan starts there at the latest)."""
    for i, line in enumerate(lines):
        num = match_number(line.text)
        if num is not None and not num.system.item and num.system is not PAREN_CN and line.kind != "table":
            return i
    return len(lines)


def _title_line(lines: list[Line], first: int) -> tuple[str, int]:
    """A plain-text plan's title: a first line naming a document type (方案, 规划…), plus a
    `（2021—2025年）` subtitle line; returns the title and the number of lines it takes."""
    if not lines or first == 0:
        return "", 0
    text = lines[0].text
    if len(text) > _DOC_TITLE_MAX or ends_sentence(text) or not (doc_type(text) or "关于" in text):
        return "", 0
    if len(lines) > 1 and first > 1 and _SUBTITLE.match(lines[1].text):
        return text + lines[1].text, 2
    return text, 1


def _metadata(title: str, history: tuple[str, ...], lines: list[Line]) -> dict[str, str]:
    """文号, issuer, date and type a document states without a notice wrapper."""
    meta: dict[str, str] = {}
    kind = doc_type(title)
    if kind:
        meta["doc_type"] = kind
    top = [*history, *(ln.text for ln in lines[:6])]
    number = next((doc_number(t) for t in top if len(t) <= 40 and doc_number(t)), "")
    if number:
        meta["doc_number"] = number
    date = next((parse_date(t) for t in top if parse_date(t)), "")
    if date:
        meta["date"] = date
    issuer = issuer_of_title(title)
    if issuer:
        meta["issuer"] = issuer
    return meta


def parse_document(
    text: str, doc_id: str, *, kind: str | None = None, title: str | None = None
) -> ParsedDocument:
    """Split a document into clauses.

    Args:
        text: the document text (ideally already `clean_text`-ed; any string is accepted).
        doc_id: prefix of every clause id, e.g. "plan" → "plan/四/（二）/3".
        kind: the document kind; "规划" forces the plan parser, otherwise the style is detected.
        title: the known title; overrides the one found in the text.

    Returns:
        The parsed document. Never raises on odd input; problems become `warnings`.
    """
    text = drop_page_numbers(text.replace("\r\n", "\n").replace("\r", "\n"))
    style = detect_style(text, kind)
    header = split_header(text, _is_structural)
    lines = body_lines(header.body)
    builder = ClauseBuilder(doc_id)
    found_title = header.title
    notice = split_notice(lines, header.title, _first_heading(lines))
    meta = _metadata(header.title, header.history, lines)
    if notice is not None:
        meta.update(notice.meta)
        if notice.title:
            found_title = notice.title
            meta["doc_type"] = doc_type(notice.title) or meta.get("doc_type", "")
    if style == "plan":
        if notice is not None:
            if notice.lines:
                draft = builder.add([NOTICE_LABEL], models.LEVEL_PREAMBLE, path=(NOTICE_LABEL,))
                for line in notice.lines:
                    draft.append(line)
            lines = lines[notice.body_start :]
        elif not found_title:
            found_title, taken = _title_line(lines, _first_heading(lines))
            lines = lines[taken:]
            if found_title and doc_type(found_title):
                meta["doc_type"] = doc_type(found_title)
            if found_title and "issuer" not in meta and issuer_of_title(found_title):
                meta["issuer"] = issuer_of_title(found_title)
        warnings = parse_plan(lines, builder)
    else:
        warnings = parse_outline(lines, builder, law=style == "law")
    clauses = builder.build()
    if not any(c.text for c in clauses):
        warnings.append("未识别到正文内容")
    return ParsedDocument(
        title=title if title is not None else found_title,
        history=header.history,
        clauses=clauses,
        warnings=tuple(warnings),
        style=style,
        meta={k: v for k, v in meta.items() if v},
    )
