"""The 意见 view's tree: one row per document (《文件》（n 条）), its comments under it in document order,
columns 位置 / 原文 / 修改意见 / 理由 / 类型 / 提出单位 / 更新时间 / 状态. Rebuilt from the loaded rows on every
filter change (a few hundred comments at most), so grouping and order never drift."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from app.ui.comments import strings as T
from app.ui.comments.model import (
    CommentFilter,
    CommentRow,
    local_stamp,
    one_line,
    original_text,
    state_text,
    state_tip,
)
from app.ui.common import theme

RowRole = Qt.ItemDataRole.UserRole + 11  # the CommentRow (column 0 of a comment row)
DocRole = Qt.ItemDataRole.UserRole + 12  # the document id (column 0 of a group row)
(COL_WHERE, COL_ORIGINAL, COL_PROPOSAL, COL_REASON, COL_KIND, COL_UNIT, COL_UPDATED, COL_STATE) = range(8)
WIDTHS = (17.5, 15, 18, 11, 3.6, 8, 8.6, 6)  # in CJK character widths (the last one stretches)
CELL_MAX = 200  # characters of a long text shown in a cell (the tooltip has more)


def _item(text: str, tip: str = "") -> QStandardItem:
    it = QStandardItem(text[:CELL_MAX])
    it.setEditable(False)
    if tip:
        it.setToolTip(tip[:1200])
    return it


def comment_items(row: CommentRow, t: theme.Theme) -> list[QStandardItem]:
    c = row.comment
    where = _item(row.position, f"《{row.doc_title}》{row.position}\n{c.clause_id}")
    where.setData(row, RowRole)
    original = _item(original_text(c), c.quote or c.text)
    proposal = _item(one_line(c.proposal) or ("（建议删除）" if c.kind == "delete" else ""), c.proposal)
    reason = _item(one_line(c.reason), c.reason)
    kind = _item(c.kind_label)
    who = "，".join(x for x in (c.unit, c.contact, c.phone) if x)
    unit = _item(c.unit, who)
    updated = _item(local_stamp(c.updated_at))
    state = _item(state_text(c), state_tip(c))
    items = [where, original, proposal, reason, kind, unit, updated, state]
    if c.deleted:
        for it in items:
            it.setForeground(QBrush(QColor(t.fainter)))
            font = QFont(it.font())
            font.setItalic(True)
            it.setFont(font)
    elif c.anchor_state in ("changed", "missing"):
        state.setForeground(QBrush(QColor(t.urg_soon)))
        state.setBackground(QBrush(QColor(t.urg_soon_bg)))
        where.setText("⚠ " + row.position)
        where.setForeground(QBrush(QColor(t.urg_soon)))
    return items


def group_items(doc_id: str, title: str, n: int, columns: int) -> list[QStandardItem]:
    head = _item(T.GROUP_ROW.format(title=title, n=n))
    head.setData(doc_id, DocRole)
    font = QFont(head.font())
    font.setBold(True)
    head.setFont(font)
    head.setSelectable(False)
    rest = []
    for _ in range(columns - 1):
        it = _item("")
        it.setSelectable(False)
        rest.append(it)
    return [head, *rest]


class CommentModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(T.COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(T.COLUMNS))

    def set_rows(self, rows: Iterable[CommentRow], flt: CommentFilter) -> int:
        """List the rows `flt` accepts, grouped by document (in the rows' order); returns how many."""
        self.removeRows(0, self.rowCount())
        t = theme.current()
        groups: dict[str, list[CommentRow]] = {}
        titles: dict[str, str] = {}
        for r in rows:
            if flt.accepts(r):
                groups.setdefault(r.comment.doc_id, []).append(r)
                titles.setdefault(r.comment.doc_id, r.doc_title)
        shown = 0
        for doc_id, members in groups.items():
            head = group_items(doc_id, titles[doc_id], len(members), self.columnCount())
            for r in members:
                head[0].appendRow(comment_items(r, t))
            self.appendRow(head)
            shown += len(members)
        return shown

    def row_at(self, index: QModelIndex) -> CommentRow | None:
        if not index.isValid() or not index.parent().isValid():
            return None
        value = index.siblingAtColumn(0).data(RowRole)
        return value if isinstance(value, CommentRow) else None

    def index_of(self, comment_id: str) -> QModelIndex:
        for g in range(self.rowCount()):
            head = self.item(g, 0)
            for r in range(head.rowCount()):
                row = head.child(r, 0).data(RowRole)
                if row is not None and row.id == comment_id:
                    return head.child(r, 0).index()
        return QModelIndex()

    def first_comment(self) -> QModelIndex:
        head = self.item(0, 0) if self.rowCount() else None
        return head.child(0, 0).index() if head is not None and head.rowCount() else QModelIndex()
