"""What the 意见 screens show, read on a worker thread and filtered on the GUI thread (no widgets here).

`fetch_comments` reads every comment (the trash too) with its position in the document as the library
has it now (`position_label`: 四、（五）1. or 第四十条); `CommentFilter` picks what the view lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.core.comments import ClauseIndex
from app.core.errors import NotFoundError
from app.core.export.feedback import position_label
from app.core.library import Library
from app.core.userdata import COMMENT_KIND_LABELS, Comment
from app.ui.comments import strings as T

KINDS: tuple[tuple[str, str], ...] = tuple(COMMENT_KIND_LABELS.items())  # (code, label): 修改/补充/删除/其他


@dataclass(frozen=True)
class CommentRow:
    """One comment as the view lists it."""

    comment: Comment
    position: str  # 四、（五）1. / 第四十条 (where the clause is now, or was)
    doc_title: str

    @property
    def id(self) -> str:
        return self.comment.id

    @property
    def where(self) -> str:
        """《文件》四、（五）1.: the comment named in messages."""
        return f"《{self.doc_title}》{self.position}"


@dataclass
class CommentsData:
    rows: list[CommentRow] = field(default_factory=list)  # live ones then deleted ones, each in document order
    citations: dict[str, str] = field(default_factory=dict)  # cited clause id -> 《文件》第十条


def fetch_comments(library: Library) -> CommentsData:
    """Worker-side: every comment, live and deleted, with its position and document title."""
    desk = library.comments
    ix = ClauseIndex(library)
    live = desk.ordered(desk.store.find(), ix)
    gone = desk.ordered(desk.store.find(deleted=True), ix)
    rows = []
    for c in [*live, *gone]:
        try:
            where = position_label(c, ix)
        except NotFoundError:
            where = "".join(c.path) or c.clause_id
        rows.append(CommentRow(c, where, ix.titles.get(c.doc_id) or c.doc_title or c.doc_id))
    cited = {x for c in live for x in c.cited}
    return CommentsData(rows, {x: ix.citation(x) for x in sorted(cited)})


def row_for(library: Library, comment: Comment) -> CommentRow:
    """Worker-side: one comment's row (after a save)."""
    ix = ClauseIndex(library)
    return CommentRow(comment, position_label(comment, ix), ix.titles.get(comment.doc_id) or comment.doc_title)


@dataclass(frozen=True)
class CommentFilter:
    doc_id: str | None = None
    kind: str | None = None  # a code: modify / add / delete / other
    text: str = ""
    clause_id: str | None = None
    deleted: bool = False  # also list the trash

    def accepts(self, row: CommentRow) -> bool:
        c = row.comment
        if c.deleted and not self.deleted:
            return False
        if self.doc_id is not None and c.doc_id != self.doc_id:
            return False
        if self.clause_id is not None and c.clause_id != self.clause_id:
            return False
        if self.kind is not None and c.kind != self.kind:
            return False
        if self.text:
            hay = "\n".join((c.proposal, c.reason, c.quote, c.text, c.heading, row.position, c.unit))
            return all(word in hay for word in self.text.split())
        return True


def state_text(c: Comment) -> str:
    """内容已修改 / 原条款已删除 / 已删除 (the trash), "" when the comment sits on its clause as made."""
    if c.deleted:
        return T.STATE_DELETED
    return {"changed": T.STATE_CHANGED, "missing": T.STATE_MISSING}.get(c.anchor_state, "")


def state_tip(c: Comment) -> str:
    return {"changed": T.STATE_CHANGED_TIP, "missing": T.STATE_MISSING_TIP}.get(c.anchor_state, "")


def original_text(c: Comment) -> str:
    """原文 column: the quoted passage, else the start of the clause marked （整条）."""
    if c.quote:
        return one_line(c.quote)
    return T.WHOLE_CLAUSE + one_line(c.text or c.heading)


def one_line(text: str) -> str:
    return " ".join(text.split())


def local_stamp(stamp: str) -> str:
    """2026-05-08 14:03 in local time (the stored stamp is UTC ISO)."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
