"""Text → clause tree: plans (一、/（一）/bold tasks), laws (编/章/节/条) and generic text blocks.

`parse_document` is a pure function of its arguments: the same text always yields the same clause
ids, so bookmarks and notes keep pointing at the same clause across re-indexing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.models import Clause
from app.core.structure._build import ClauseBuilder
from app.core.structure._text import body_lines, ends_sentence, split_header
from app.core.structure.outline import ARTICLE, CONTAINER, parse_outline
from app.core.structure.plan import is_plan_heading, parse_plan

__all__ = ["STYLES", "ParsedDocument", "detect_style", "ends_sentence", "parse_document"]

STYLES = ("law", "plan", "generic")
PLAN_KIND = "规划"

_ARTICLE_LINE = re.compile(
    r"^[#* \t\u3000]*第[零〇一二三四五六七八九十百千两\d０-９]{1,12}条(?:之[一二三四五六七八九十]{1,3})?(?:[ \t\u3000*]|$)",
    re.MULTILINE,
)
# 一、 chapter headings shaped as headings: Markdown, bold, or a short line without a full stop.
_PLAN_CHAPTER_LINE = re.compile(
    r"^(?:[ \t]*#{1,6}[ \t]*(?:\*\*)?|\*\*)[ \t]*[一二三四五六七八九十]{1,3}、"
    r"|^[一二三四五六七八九十]{1,3}、[^\n。；;：:！？!?]{1,30}$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed document: title, history lines (laws), clauses in document order and warnings."""

    title: str
    history: tuple[str, ...]
    clauses: tuple[Clause, ...]
    warnings: tuple[str, ...]
    style: str = "generic"


def detect_style(text: str, kind: str | None = None) -> str:
    """Return "plan", "law" or "generic" for `text` (`kind="规划"` forces "plan").

    Law: there are `第X条` article lines. Plan: no articles, and at least two 一、 chapter headings.
    """
    if kind == PLAN_KIND:
        return "plan"
    if _ARTICLE_LINE.search(text):
        return "law"
    chapters = _PLAN_CHAPTER_LINE.finditer(text)
    # Two chapter headings, found lazily: stop scanning a long text at the second one.
    if next(chapters, None) is not None and next(chapters, None) is not None:
        return "plan"
    return "generic"


def _is_structural(text: str) -> bool:
    return bool(is_plan_heading(text) or ARTICLE.match(text) or CONTAINER.match(text))


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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    style = detect_style(text, kind)
    header = split_header(text, _is_structural)
    lines = body_lines(header.body)
    builder = ClauseBuilder(doc_id)
    if style == "plan":
        warnings = parse_plan(lines, builder)
    else:
        warnings = parse_outline(lines, builder, law=style == "law")
    clauses = builder.build()
    if not any(c.text for c in clauses):
        warnings.append("未识别到正文内容")
    return ParsedDocument(
        title=title if title is not None else header.title,
        history=header.history,
        clauses=clauses,
        warnings=tuple(warnings),
        style=style,
    )
