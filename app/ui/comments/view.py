"""The 意见 tab: every comment, grouped by document in document order, with filters (文件, 类型, text, one
clause), 显示已删除 with 恢复, editing (double-click / Enter), Delete with 撤销, 转到条款, and for a comment
whose clause changed or vanished in a library update 确认新内容 / 重新关联…. 导出意见反馈表… opens the export.

Reads go to a read thread (`fetch_comments`), writes to the TaskManager's user thread; after each write the
view reloads and keeps the selected comment.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.userdata import Comment
from app.ui.comments import strings as T
from app.ui.comments.detail import CommentDetail
from app.ui.comments.model import KINDS, CommentFilter, CommentRow, CommentsData, fetch_comments
from app.ui.comments.picker import ClausePickerDialog
from app.ui.comments.table import WIDTHS, CommentModel
from app.ui.common.banner import Banner
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import LazyView, em
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager

UNDO_MS = 30_000


class CommentsView(LazyView):
    what = T.VIEW_WHAT
    message = Signal(str)  # for the status bar
    changed = Signal()  # a comment was deleted, restored or re-attached: the badges need a refresh
    edit_requested = Signal(str)  # comment id: open the editor
    feedback_requested = Signal(object)  # document id (None: every document): open the 意见反馈表 export

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.setObjectName("commentsView")
        self.data = CommentsData()
        self.clause_filter: str | None = None
        self._select_after_load: str | None = None
        self.reattach_dialog: ClausePickerDialog | None = None
        self.banner = Banner(self, name="commentsBanner")
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("commentFilter")
        self.filter_box.setPlaceholderText(T.FILTER_PLACEHOLDER)
        self.filter_box.setClearButtonEnabled(True)
        self.doc_filter = QComboBox(self)
        self.doc_filter.setObjectName("commentDocFilter")
        self.doc_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.doc_filter.setMinimumContentsLength(12)
        self.doc_filter.addItem(T.FILTER_ALL_DOCS, None)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("commentKindFilter")
        self.kind_filter.addItem(T.FILTER_ALL_KINDS, None)
        for code, label in KINDS:
            self.kind_filter.addItem(label, code)
        self.show_deleted = QCheckBox(T.SHOW_DELETED, self)
        self.show_deleted.setObjectName("commentShowDeleted")
        self.export_button = QPushButton(T.BUTTON_EXPORT, self)
        self.export_button.setObjectName("commentExport")
        self.export_button.setToolTip(T.BUTTON_EXPORT_TIP)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 3)
        filters.addWidget(self.doc_filter, 2)
        filters.addWidget(self.kind_filter, 0)
        filters.addWidget(self.show_deleted)
        filters.addStretch(0)
        filters.addWidget(self.export_button)

        self.clause_row = QWidget(self)
        self.clause_label = QLabel(self.clause_row)
        self.clause_label.setObjectName("commentClauseFilter")
        self.clause_label.setWordWrap(True)
        self.clause_clear = QPushButton(T.CLAUSE_FILTER_CLEAR, self.clause_row)
        crow = QHBoxLayout(self.clause_row)
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(self.clause_label, 1)
        crow.addWidget(self.clause_clear)
        self.clause_row.hide()

        self.model = CommentModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("commentTree")
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setExpandsOnDoubleClick(False)
        head = self.tree.header()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        for col, chars in enumerate(WIDTHS[:-1]):
            self.tree.setColumnWidth(col, em(self.tree, chars))
        self.set_primary(self.tree)
        self.detail = CommentDetail(self)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.detail)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([380, 240])
        self.info.setWordWrap(False)

        self.edit_button = QPushButton(T.BUTTON_EDIT, self)
        self.delete_button = QPushButton(T.BUTTON_DELETE, self)
        self.restore_button = QPushButton(T.BUTTON_RESTORE, self)
        self.open_button = QPushButton(T.BUTTON_OPEN, self)
        self.confirm_button = QPushButton(T.BUTTON_CONFIRM, self)
        self.confirm_button.setToolTip(T.STATE_CHANGED_TIP)
        self.reattach_button = QPushButton(T.BUTTON_REATTACH, self)
        self.reattach_button.setToolTip(T.STATE_MISSING_TIP)
        actions = QHBoxLayout()
        for b in (self.edit_button, self.delete_button, self.restore_button, self.open_button):
            actions.addWidget(b)
        actions.addSpacing(12)
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.reattach_button)
        actions.addStretch(1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.addWidget(self.banner)
        lay.addLayout(filters)
        lay.addWidget(self.clause_row)
        lay.addWidget(self.split, 1)
        lay.addWidget(self.info)
        lay.addLayout(actions)

        self.filter_box.textChanged.connect(self._on_filters_changed)
        self.doc_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.kind_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.show_deleted.toggled.connect(self._on_filters_changed)
        self.clause_clear.clicked.connect(lambda: self.set_clause_filter(None))
        self.tree.selectionModel().currentRowChanged.connect(lambda _c, _p: self._on_current_changed())
        self.tree.activated.connect(self._on_activated)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.restore_button.clicked.connect(self.restore_current)
        self.open_button.clicked.connect(self.open_current)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.reattach_button.clicked.connect(self.ask_reattach)
        self.export_button.clicked.connect(lambda: emit(self.feedback_requested, self.doc_filter.currentData()))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree, self.delete_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._update_buttons()

    # -- loading and filters ------------------------------------------------------------------------------
    def fetch(self, library: Library) -> CommentsData:
        return fetch_comments(library)

    def restyle(self) -> None:
        if self.is_loaded:
            self._refill()
        self.detail.restyle()

    def fill(self, data: CommentsData) -> None:
        self.data = data
        docs: dict[str, tuple[str, int]] = {}
        for r in data.rows:
            if not r.comment.deleted:
                title, n = docs.get(r.comment.doc_id, (r.doc_title, 0))
                docs[r.comment.doc_id] = (title, n + 1)
        current = self.doc_filter.currentData()
        self.doc_filter.blockSignals(True)
        while self.doc_filter.count() > 1:
            self.doc_filter.removeItem(1)
        for doc_id, (title, n) in docs.items():
            self.doc_filter.addItem(T.GROUP_ROW.format(title=title, n=n), doc_id)
        self.doc_filter.setCurrentIndex(max(0, self.doc_filter.findData(current)) if current else 0)
        self.doc_filter.blockSignals(False)
        self._refill()

    def current_filter(self) -> CommentFilter:
        return CommentFilter(doc_id=self.doc_filter.currentData(), kind=self.kind_filter.currentData(),
                             text=self.filter_box.text().strip(), clause_id=self.clause_filter,
                             deleted=self.show_deleted.isChecked())

    def _on_filters_changed(self, *_args: object) -> None:
        if self.is_loaded:
            self._refill()

    def _refill(self) -> None:
        keep = self._select_after_load or (self.current_row().id if self.current_row() else None)
        self._select_after_load = None
        shown = self.model.set_rows(self.data.rows, self.current_filter())
        self.tree.expandAll()
        for g in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(g, QModelIndex(), True)
        if not (keep and self.select(keep)):
            first = self.model.first_comment()
            if first.isValid():
                self.tree.setCurrentIndex(first)
        self._update_count(shown)
        self._on_current_changed()

    def _update_count(self, shown: int) -> None:
        live = sum(1 for r in self.data.rows if not r.comment.deleted)
        gone = len(self.data.rows) - live
        if live or gone:
            text = T.COUNT_DELETED.format(n=live, d=gone, shown=shown) if gone else T.COUNT.format(n=live, shown=shown)
        else:
            text = ""
        self.info.setText(text)
        if not live and not (gone and self.show_deleted.isChecked()):
            self.set_empty(T.NONE if self.is_loaded else "")
        elif not shown:
            self.set_empty(T.NO_MATCH.format(n=live))
        else:
            self.set_empty("")

    def set_clause_filter(self, clause_id: str | None, where: str = "") -> None:
        """Only the comments on `clause_id` (the reader's 意见 N badge); None lists everything again."""
        self.clause_filter = clause_id
        self.clause_label.setText(T.CLAUSE_FILTER.format(where=where or clause_id) if clause_id else "")
        self.clause_row.setVisible(clause_id is not None)
        if clause_id is not None:  # the other filters must not hide what was asked for
            self.filter_box.blockSignals(True)
            self.filter_box.clear()
            self.filter_box.blockSignals(False)
            for combo in (self.doc_filter, self.kind_filter):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
        if self.is_loaded:
            self._refill()

    def clear_filters(self) -> None:
        self.set_clause_filter(None)
        self.filter_box.clear()
        self.doc_filter.setCurrentIndex(0)
        self.kind_filter.setCurrentIndex(0)

    # -- selection -----------------------------------------------------------------------------------------
    def current_row(self) -> CommentRow | None:
        return self.model.row_at(self.tree.currentIndex())

    def select(self, comment_id: str) -> bool:
        idx = self.model.index_of(comment_id)
        if not idx.isValid():
            return False
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        return True

    def show_comment(self, comment_id: str) -> None:
        """Select `comment_id` once the view has (re)loaded."""
        self._select_after_load = comment_id
        self.invalidate()

    def _on_current_changed(self) -> None:
        self.detail.show_row(self.current_row(), self.data.citations)
        self._update_buttons()

    def _update_buttons(self) -> None:
        r = self.current_row()
        c = r.comment if r is not None else None
        live = c is not None and not c.deleted
        self.edit_button.setEnabled(live)
        self.delete_button.setEnabled(live)
        self.restore_button.setVisible(self.show_deleted.isChecked())
        self.restore_button.setEnabled(c is not None and c.deleted)
        self.open_button.setEnabled(live and c is not None and c.anchor_state != "missing")
        self.confirm_button.setVisible(live and c is not None and c.anchor_state == "changed")
        self.reattach_button.setVisible(live and c is not None and c.anchor_state in ("changed", "missing"))

    def _on_activated(self, index: QModelIndex) -> None:
        r = self.model.row_at(index)
        if r is None:
            return
        if r.comment.deleted:
            self.restore_current()
        else:
            emit(self.edit_requested, r.id)

    # -- actions -------------------------------------------------------------------------------------------
    def edit_current(self) -> None:
        r = self.current_row()
        if r is not None and not r.comment.deleted:
            emit(self.edit_requested, r.id)

    def open_current(self) -> None:
        r = self.current_row()
        if r is None:
            return
        if r.comment.anchor_state == "missing":
            emit(self.message, T.OPEN_MISSING)
            return
        emit(self.open_clause, r.comment.clause_id)

    def delete_current(self) -> None:
        r = self.current_row()
        if r is None or r.comment.deleted:
            return
        lib, cid = self.library, r.id
        self._write(lambda: lib.comments.delete(cid), lambda _x: self._on_deleted(r), "delete_comment")

    def _on_deleted(self, r: CommentRow) -> None:
        text = T.DELETED_MSG.format(where=r.where)
        self.banner.show_message(text, [(T.UNDO, lambda: self.restore(r.id))], timeout_ms=UNDO_MS)
        emit(self.message, text)
        self._after_write()

    def restore_current(self) -> None:
        r = self.current_row()
        if r is not None and r.comment.deleted:
            self.restore(r.id)

    def restore(self, comment_id: str) -> None:
        lib = self.library
        self._select_after_load = comment_id
        self._write(lambda: lib.comments.undelete(comment_id), self._on_restored, "undelete_comment")

    def _on_restored(self, c: Comment) -> None:
        self.banner.hide()
        r = next((x for x in self.data.rows if x.id == c.id), None)
        emit(self.message, T.RESTORED_MSG.format(where=r.where if r is not None else c.clause_id))
        self._after_write()

    def confirm_current(self) -> None:
        r = self.current_row()
        if r is None:
            return
        lib, cid = self.library, r.id
        self._select_after_load = cid
        self._write(lambda: lib.comments.confirm_anchor(cid),
                    lambda _c: self._done(T.CONFIRMED_MSG.format(where=r.where)), "confirm_comment")

    def ask_reattach(self) -> ClausePickerDialog | None:
        r = self.current_row()
        if r is None:
            return None
        c = r.comment
        query = (c.heading or c.quote or " ".join(c.text.split())[:20]).strip()
        if self.reattach_dialog is not None:
            self.reattach_dialog.setParent(None)
        dlg = ClausePickerDialog(self.library, self.tasks, self, reattach=True, query=query)
        dlg.chosen.connect(lambda clause_id, label: self.reattach(r.id, clause_id, label))
        self.reattach_dialog = dlg
        dlg.open()
        return dlg

    def reattach(self, comment_id: str, clause_id: str, label: str = "") -> None:
        lib = self.library
        self._select_after_load = comment_id
        self._write(lambda: lib.comments.reattach(comment_id, clause_id),
                    lambda _c: self._done(T.REATTACHED_MSG.format(where=label or clause_id)), "reattach_comment")

    def _done(self, message: str) -> None:
        emit(self.message, message)
        self._after_write()

    def _write(self, fn: Any, on_done: Any, name: str) -> None:
        self.tasks.run_user(fn, on_done, on_error=self._show_error, name=name)

    def _after_write(self) -> None:
        emit(self.changed)
        self.invalidate()

    def _show_error(self, exc: BaseException) -> None:
        self.banner.show_message(error_message(exc))
        emit(self.message, error_message(exc))
