"""意见反馈表: the comments on a document in the table ministries and the 市政府 send out with a 征求意见稿.

    关于《美丽上海建设“十五五”规划（征求意见稿）》的意见反馈表
    填报单位：…  联系人：…  联系电话：…  填报日期：2026年5月8日
    序号 | 章节条款（原文位置） | 原文内容 | 修改意见 | 修改理由（依据）

One table per document, rows in the clause order of the document. The position cites the document's own
numbering (`collect.location`: 三、（一）“健全碳排放双控制度体系”, 第四十条), never a made-up number. 原文内容
is the passage a comment was made on, or with `whole_clause` the clause text (the passage emphasised in Word).
Writers: `feedback_docx` (A4 landscape, 仿宋_GB2312 table, repeated header row) and `feedback_xlsx` (one sheet
per document); the file is written like every export (safe name, temp file, verified, os.replace).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core.export.errors import ExportError, NothingToExportError, VerifyError
from app.core.export.feedback_model import BLANK as BLANK
from app.core.export.feedback_model import (
    FEEDBACK_FORMATS,
    HEADERS,
    MSG_FORMAT,
    FeedbackOptions,
    FeedbackRow,
    FeedbackTable,
)
from app.core.export.files import target_path, write_atomic
from app.core.export.model import ExportResult, Format, clean_text, one_line
from app.core.progress import CancelToken, Progress, null_progress
from app.core.userdata import Comment, CommentDefaults

if TYPE_CHECKING:
    from app.core.comments import ClauseIndex, CommentDesk
    from app.core.ports import LibraryPort

    class CommentsLibrary(LibraryPort, Protocol):
        """The facade with its comments: what `collect_feedback` reads."""

        @property
        def comments(self) -> CommentDesk: ...

def opinion_text(c: Comment, prefix: bool = True) -> str:
    """修改意见: 【修改】 + the proposal (a bare 删除 says so)."""
    body = c.proposal.strip()
    if not body and c.kind == "delete":
        body = "建议删除该段文字。" if c.quote else "建议删除该条。"
    if prefix and c.kind != "other":
        return f"【{c.kind_label}】{body}"
    return body


def reason_text(c: Comment, cite: Callable[[str], str]) -> str:
    """修改理由（依据）: the reason, then the cited clauses as 依据：《…》第四十条；《…》三、（一）."""
    parts = [c.reason.strip()] if c.reason.strip() else []
    if c.cited:
        parts.append("依据：" + "；".join(cite(x) for x in c.cited))
    return "\n".join(parts)


def position_label(c: Comment, ix: ClauseIndex) -> str:
    """章节条款（原文位置）: the clause cited by its own numbering where it is now, else as the comment recorded it."""
    from app.core.export.collect import location

    clause = ix.clause(c.clause_id) if c.anchor_state != "missing" else None
    if clause is not None:
        return location(clause, ix.of(clause.doc_id))
    where = "".join(one_line(p) for p in c.path) or c.clause_id
    return f"{where}（原条款已变更或删除）" if c.anchor_state == "missing" else where


def _original(c: Comment, whole: bool) -> tuple[str, tuple[int, int] | None]:
    text = clean_text(c.text).strip() or one_line(c.heading) or one_line(c.path[-1] if c.path else "")
    if c.quote and not whole:
        return clean_text(c.quote), None
    if c.quote and c.quote_offset is not None:
        lead = len(clean_text(c.text)) - len(clean_text(c.text).lstrip())
        start = c.quote_offset - lead
        if start >= 0 and text[start:start + len(c.quote)] == c.quote:
            return text, (start, start + len(c.quote))
    return text, None


def _header_value(given: str | None, values: Sequence[str], default: str) -> str:
    if given is not None:
        return one_line(given)
    seen = [v for v in values if v]
    if len(set(seen)) == 1:
        return seen[0]
    if default:
        return default
    return Counter(seen).most_common(1)[0][0] if seen else ""


def build_tables(comments: Sequence[Comment], ix: ClauseIndex, defaults: CommentDefaults,
                 options: FeedbackOptions | None = None) -> list[FeedbackTable]:
    """The forms for `comments` (already in document order): one per document, in first-seen order."""
    options = options or FeedbackOptions()
    date = options.generated or _dt.date.today()
    per: dict[str, list[Comment]] = {}
    for c in comments:
        per.setdefault(c.doc_id, []).append(c)
    tables: list[FeedbackTable] = []
    for doc_id, group in per.items():
        unit = _header_value(options.unit, [c.unit for c in group], defaults.unit)
        contact = _header_value(options.contact, [c.contact for c in group], defaults.contact)
        phone = _header_value(options.phone, [c.phone for c in group], defaults.phone)
        rows = []
        for n, c in enumerate(group, 1):
            original, emphasis = _original(c, options.whole_clause)
            opinion = opinion_text(c, options.kind_prefix)
            if c.unit and c.unit != unit:  # a colleague's comment in this form: say whose it is
                who = "，".join(x for x in (c.unit, c.contact, c.phone) if x)
                opinion += f"\n（提出单位：{who}）"
            rows.append(FeedbackRow(n, position_label(c, ix), original, clean_text(opinion),
                                    clean_text(reason_text(c, ix.citation)), emphasis, c.id, c.clause_id,
                                    c.anchor_state))
        title = ix.titles.get(doc_id) or group[0].doc_title or doc_id
        tables.append(FeedbackTable(doc_id, one_line(title), tuple(rows), clean_text(unit), clean_text(contact),
                                    clean_text(phone), date))
    return tables


def collect_feedback(lib: CommentsLibrary, *, doc_id: str | None = None,
                     options: FeedbackOptions | None = None) -> list[FeedbackTable]:
    """The 意见反馈表 of every document with comments, or of `doc_id` only."""
    from app.core.comments import ClauseIndex

    desk = lib.comments
    ix = ClauseIndex(lib)
    comments = desk.store.find(doc_id=doc_id)
    if not comments:
        if doc_id is not None and doc_id in ix.titles:
            raise NothingToExportError(f"《{ix.titles[doc_id]}》还没有意见。")
        if doc_id is not None:
            raise NothingToExportError(f"找不到文件：{doc_id}（或该文件没有意见）。")
        raise NothingToExportError("没有可导出的意见：请先对条款提出意见（policydesk comment add CLAUSE_ID …）。")
    return build_tables(desk.ordered(comments, ix), ix, desk.defaults(), options)


def render(tables: Sequence[FeedbackTable], fmt: Format, *, options: FeedbackOptions | None = None,
           progress: Progress = null_progress, cancel: CancelToken | None = None) -> bytes:
    if fmt == "docx":
        from app.core.export.feedback_docx import render_docx

        return render_docx(tables, progress=progress, cancel=cancel)
    if fmt == "xlsx":
        from app.core.export.feedback_xlsx import render_xlsx

        return render_xlsx(tables, progress=progress, cancel=cancel)
    raise ExportError(MSG_FORMAT)


def verifier(fmt: Format, tables: Sequence[FeedbackTable]) -> Callable[[Path], None]:
    """Re-open the written file: every table's title and header, and the number of rows."""

    def check(path: Path) -> None:
        if fmt == "docx":
            from docx import Document

            doc = Document(str(path))
            text = "".join(p.text for p in doc.paragraphs)
            got = [(tuple(c.text for c in t.rows[0].cells), len(t.rows) - 1) for t in doc.tables]
        else:
            from openpyxl import load_workbook

            from app.core.export.feedback_xlsx import HEADER_ROW

            wb = load_workbook(path, read_only=True)
            try:
                sheets = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
            finally:
                wb.close()
            text = "".join(str(rows[0][0]) for rows in sheets if rows)
            got = [(tuple(str(v) for v in rows[HEADER_ROW - 1][:len(HEADERS)]), len(rows) - HEADER_ROW)
                   for rows in sheets if len(rows) >= HEADER_ROW]
        want = [(HEADERS, len(t.rows)) for t in tables]
        if got != want or any(t.title not in text for t in tables):
            raise VerifyError("导出的意见反馈表校验失败（标题、表头或行数不符），未保存。")

    return check


def export_feedback(lib: CommentsLibrary, out: Path, *, fmt: str | None = None, doc_id: str | None = None,
                    options: FeedbackOptions | None = None, overwrite: bool = False,
                    progress: Progress = null_progress, cancel: CancelToken | None = None) -> ExportResult:
    """Write the 意见反馈表 to `out` (.docx or .xlsx; the name is made safe, `(2)` when taken unless
    `overwrite`). Raises `PolicyDeskError` subclasses with Chinese messages."""
    from app.core.export.formats import format_for

    options = options or FeedbackOptions()
    fmt_ = format_for(out, fmt)
    if fmt_ not in FEEDBACK_FORMATS:
        raise ExportError(MSG_FORMAT)
    target = target_path(out.parent, out.name, fmt_, overwrite=overwrite)
    progress(0, 1, "正在收集意见…")
    tables = collect_feedback(lib, doc_id=doc_id, options=options)
    if cancel is not None:
        cancel.check()
    data = render(tables, fmt_, options=options, progress=progress, cancel=cancel)
    count = sum(len(t.rows) for t in tables)
    progress(count, count, "正在保存并校验…")
    write_atomic(target, data, verify=verifier(fmt_, tables), cancel=cancel)
    progress(count, count, f"已导出 {count} 条意见")
    notices = []
    if len(tables) > 1:
        where = "每个文件一页起" if fmt_ == "docx" else "每个文件一个工作表"
        notices.append(f"意见涉及 {len(tables)} 个文件，已分别列表（{where}）。")
    states = Counter(r.anchor_state for t in tables for r in t.rows)
    if states["changed"]:
        notices.append(f"{states['changed']} 条意见所针对的条款内容已修改，原文内容为提出意见时的文本。")
    if states["missing"]:
        notices.append(f"{states['missing']} 条意见所针对的条款已变更或删除，位置和原文内容为提出意见时的记录。")
    return ExportResult(path=target, format=fmt_, count=count, notices=tuple(notices))


__all__ = ["FEEDBACK_FORMATS", "HEADERS", "FeedbackOptions", "FeedbackRow", "FeedbackTable", "build_tables",
           "collect_feedback", "export_feedback", "position_label", "render"]
