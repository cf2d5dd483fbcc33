"""The 意见反馈表 as data: its header, options, rows and one table per document (no writer, no Library).

A leaf of `app.core.export`: `feedback` builds the tables, `feedback_docx` and `feedback_xlsx` write them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

HEADERS = ("序号", "章节条款（原文位置）", "原文内容", "修改意见", "修改理由（依据）")
FEEDBACK_FORMATS = ("docx", "xlsx")
BLANK = "__________"  # a field left for the hand to fill in
MSG_FORMAT = "意见反馈表只能导出为 Word（.docx）或 Excel（.xlsx）。"


@dataclass(frozen=True)
class FeedbackOptions:
    """How the 意见反馈表 is made. unit/contact/phone override the 填报单位 line (None: from the comments, else
    the defaults in settings)."""

    whole_clause: bool = False  # 原文内容: the whole clause text, not just the passage a comment quotes
    kind_prefix: bool = True  # 修改意见 starts with 【修改】/【补充】/【删除】
    unit: str | None = None
    contact: str | None = None
    phone: str | None = None
    generated: _dt.date | None = None  # 填报日期 (tests fix it)


@dataclass(frozen=True)
class FeedbackRow:
    number: int
    position: str  # 章节条款（原文位置）
    original: str  # 原文内容
    opinion: str  # 修改意见
    reason: str  # 修改理由（依据）
    emphasis: tuple[int, int] | None = None  # the quoted passage inside `original` (whole-clause mode)
    comment_id: str = ""
    clause_id: str = ""
    anchor_state: str = "ok"  # the comment's: "changed"/"missing" when the clause is no longer as commented

    @property
    def cells(self) -> tuple[str, str, str, str, str]:
        return str(self.number), self.position, self.original, self.opinion, self.reason


@dataclass(frozen=True)
class FeedbackTable:
    """The form of one document."""

    doc_id: str
    doc_title: str
    rows: tuple[FeedbackRow, ...]
    unit: str = ""
    contact: str = ""
    phone: str = ""
    date: _dt.date = _dt.date(2000, 1, 1)

    @property
    def title(self) -> str:
        """关于《…（征求意见稿）》的意见反馈表: the document's title as it is, draft mark included."""
        return f"关于《{self.doc_title.strip('《》')}》的意见反馈表"

    @property
    def fields(self) -> list[tuple[str, str]]:
        d = self.date
        return [("填报单位", self.unit or BLANK), ("联系人", self.contact or BLANK),
                ("联系电话", self.phone or BLANK), ("填报日期", f"{d.year}年{d.month}月{d.day}日")]

    @property
    def filled_line(self) -> str:
        return "    ".join(f"{k}：{v}" for k, v in self.fields)


__all__ = ["BLANK", "FEEDBACK_FORMATS", "HEADERS", "MSG_FORMAT", "FeedbackOptions", "FeedbackRow", "FeedbackTable"]
