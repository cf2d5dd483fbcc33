"""Wires commenting into the main window: the 意见 tab (after 我的任务), 提意见… (Ctrl+M) in the 条款 menu,
the reading pane (header button, badge, context menu) and the result list's context menu, the 意见N marks
on result rows, and 导出意见反馈表… in the 文库 menu beside 导出…. `CommentsController(win)` once the
window's panes, tabs, menus, exporter and desk exist.

Reads (counts, the clause a comment is on) go to the read pool, saves to the user thread, the export to the
write thread; nothing here waits on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.core.export import ExportResult
from app.core.userdata import Comment
from app.ui.comments import strings as T
from app.ui.comments.editor import CommentEditor, Target, load_target
from app.ui.comments.feedback import FeedbackDialog
from app.ui.comments.reader import ReaderComments, Selection
from app.ui.comments.style import apply
from app.ui.comments.view import CommentsView
from app.ui.common import strings as S
from app.ui.common.dialogs import show_error
from app.ui.common.theme import Theme
from app.ui.search.resultlist import HitRole

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

log = logging.getLogger("policydesk.ui.comments")
STATUS_MS = 10_000


def _menu(win: WindowLike, title: str) -> QMenu | None:
    for act in win.menuBar().actions():
        menu = act.menu()
        if act.text() == title and isinstance(menu, QMenu):
            return menu
    return None


class CommentsController(QObject):
    def __init__(self, win: WindowLike) -> None:
        super().__init__(win)
        self.win = win
        self.counts: dict[str, int] = {}
        self.editor: CommentEditor | None = None
        self._old_editor: CommentEditor | None = None
        self.feedback: FeedbackDialog | None = None
        self.view = CommentsView(win.library, win.tasks, win)
        win.views.append(self.view)
        tasks_view = getattr(win, "tasks_view", None)
        at = win.tabs.indexOf(tasks_view) + 1 if tasks_view is not None else win.tabs.count()
        win.tabs.insertTab(at, self.view, T.TAB_COMMENTS)
        self.reader = ReaderComments(win.reader_pane)
        self._actions()

        self.view.open_clause.connect(win.open_clause)
        self.view.message.connect(self._status)
        self.view.changed.connect(self.refresh_counts)
        self.view.edit_requested.connect(self.edit_comment)
        self.view.feedback_requested.connect(self.open_feedback)
        self.view.loaded.connect(self.refresh_counts)
        self.view.export_instead = self._export_from_view  # type: ignore[attr-defined]  # Ctrl+E on this tab
        self.reader.comment_requested.connect(self.open_editor)
        self.reader.badge_clicked.connect(self.show_clause_comments)
        exporter = getattr(win, "exporter", None)
        if exporter is not None:
            exporter.results_menu_hooks.append(self._results_menu)
            exporter.other_exports.append(self)
        win.search.search_finished.connect(lambda _r: self.refresh_counts())
        win.tasks.write_idle.connect(self.refresh_counts)  # after an index build (comments re-anchored)
        win.theme_manager.changed.connect(self.restyle)
        self.refresh_counts()

    def _actions(self) -> None:
        win = self.win
        self.action = QAction(T.ACTION_COMMENT, win)
        self.action.setObjectName("commentAction")
        self.action.setShortcut(QKeySequence(T.SHORTCUT))
        self.action.setShortcutVisibleInContextMenu(True)
        self.action.triggered.connect(self.comment_current)
        clause_menu = _menu(win, S.MENU_CLAUSE)
        if clause_menu is not None:
            items = clause_menu.actions()
            bookmark = getattr(win, "bookmark_action", None)
            after = items.index(bookmark) + 1 if bookmark in items else 0
            clause_menu.insertAction(items[after] if after < len(items) else None, self.action)  # type: ignore[arg-type]
        else:
            win.addAction(self.action)
        self.export_action = QAction(T.ACTION_EXPORT, win)
        self.export_action.setObjectName("feedbackExportAction")
        self.export_action.triggered.connect(lambda: self.open_feedback(None))
        lib_menu = _menu(win, S.MENU_LIBRARY)
        exporter = getattr(win, "exporter", None)
        if lib_menu is not None:
            items = lib_menu.actions()
            export = exporter.action if exporter is not None else None
            after = items.index(export) + 1 if export in items else len(items)
            lib_menu.insertAction(items[after] if after < len(items) else None, self.export_action)  # type: ignore[arg-type]
        view_menu = _menu(win, S.MENU_VIEW)
        show = QAction(T.TAB_COMMENTS, win)
        taken = [a.shortcut().toString() for a in (view_menu.actions() if view_menu is not None else [])]
        n = 1 + max((int(k[5:]) for k in taken if k.startswith("Ctrl+") and k[5:].isdigit()), default=0)
        if n <= 9:  # the next of the View menu's Ctrl+1 … (检索 … 我的任务): Ctrl+7
            show.setShortcut(QKeySequence(f"Ctrl+{n}"))
        show.triggered.connect(lambda: win.tabs.setCurrentWidget(self.view))
        (view_menu or win).addAction(show)

    def refresh(self) -> None:
        """Comments changed elsewhere (carried over to a new version, data restored): badges, marks and the tab."""
        self.refresh_counts()
        self.view.invalidate()

    def restyle(self, t: Theme) -> None:
        self.reader.restyle(t)
        for dlg in (self.editor, self.feedback):
            if dlg is not None:
                apply(dlg, t=t)

    def _status(self, message: str) -> None:
        self.win.statusBar().showMessage(message, STATUS_MS)

    # -- counts: the reader's badge and the result list's marks ---------------------------------------------
    def refresh_counts(self) -> None:
        if self.win._closed or self.win._close_when_idle:  # closing: start nothing new
            return
        lib = self.win.library
        self.win.tasks.run_read(lambda: lib.comments.counts(), self._on_counts,
                                on_error=lambda exc: log.warning("comment counts: %s", exc), name="comment_counts")

    def _on_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.reader.set_counts(counts)
        search = self.win.search
        if search.model.set_comment_counts(counts):
            search.list.relayout()
            search.list.viewport().update()

    # -- adding and editing ----------------------------------------------------------------------------------
    def comment_current(self) -> None:
        """Ctrl+M: the hit selected in the result list (when it has the focus), else what the reader shows
        (its selected passage, or the whole clause), else the selected hit."""
        win = self.win
        hit = win.search.current_hit()
        if win.tabs.currentWidget() is not win.splitter:
            self._status(T.COMMENT_NOTHING)
        elif hit is not None and win.search.list.hasFocus():
            self.open_editor(Selection(hit.id))
        elif win.reader.rendered is not None:
            self.reader.request()
        elif hit is not None:
            self.open_editor(Selection(hit.id))
        else:
            self._status(T.COMMENT_NOTHING)

    def open_editor(self, sel: Selection) -> None:
        """提意见 on `sel` (read the clause and the defaults first, then show the dialog)."""
        lib = self.win.library
        self.win.tasks.run_read(lambda: load_target(lib, sel.clause_id, sel.quote, sel.offset), self._show_editor,
                                on_error=lambda exc: show_error(self.win, exc), name="comment_target")

    def edit_comment(self, comment_id: str) -> None:
        lib = self.win.library
        self.win.tasks.run_read(lambda: load_target(lib, None, comment_id=comment_id), self._show_editor,
                                on_error=lambda exc: show_error(self.win, exc), name="comment_target")

    def _show_editor(self, target: Target) -> None:
        if self.editor is not None and self.editor.isVisible():
            self.editor.raise_()
            return
        if self._old_editor is not None:  # free the one before last: the last may still be on the stack
            self._old_editor.setParent(None)
        self._old_editor = self.editor
        dlg = CommentEditor(self.win.library, self.win.tasks, target, self.win)
        apply(dlg)
        dlg.saved.connect(self._on_saved)
        self.editor = dlg
        dlg.open()  # window-modal, no nested event loop

    def _on_saved(self, comment: Comment, new: bool) -> None:
        where = self.editor.target.citation if self.editor is not None else comment.clause_id
        self._status((T.SAVED_NEW if new else T.SAVED_EDIT).format(where=where))
        self.refresh_counts()
        self.view.show_comment(comment.id)

    def show_clause_comments(self, clause_id: str) -> None:
        """The reader's 意见 N: the 意见 tab, listing the comments on that clause only."""
        where = self.win.reader_pane.header.text() if self.win.reader.current_clause_id == clause_id else ""
        self.view.set_clause_filter(clause_id, where)
        self.win.tabs.setCurrentWidget(self.view)

    def _results_menu(self, menu: QMenu, pos: QPoint) -> None:
        lst = self.win.search.list
        index = lst.indexAt(pos)
        hit = index.data(HitRole) if index.isValid() else self.win.search.current_hit()
        if hit is None:
            return
        act = menu.addAction(f"{T.MENU_COMMENT}\t{T.SHORTCUT}")
        act.setObjectName("commentResultAction")
        act.triggered.connect(lambda: self.open_editor(Selection(hit.id)))
        menu.addSeparator()

    # -- the 意见反馈表 ---------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.feedback is not None and self.feedback.running

    def _export_from_view(self) -> None:
        self.open_feedback(self.view.doc_filter.currentData())

    def open_feedback(self, doc_id: str | None = None) -> FeedbackDialog:
        dlg = self.feedback
        if dlg is None:
            w = self.win
            dlg = self.feedback = FeedbackDialog(w.library, w.tasks, w.settings, w)
            apply(dlg)
            dlg.exported.connect(self._on_exported)
        if not dlg.running:
            rendered = self.win.reader.rendered
            dlg.load(doc_id or (rendered.doc_id if rendered is not None else None))
        if dlg.isVisible():
            dlg.raise_()
            dlg.activateWindow()
        else:
            dlg.show()
        return dlg

    def _on_exported(self, result: ExportResult) -> None:
        self._status(T.EXPORT_DONE_STATUS.format(path=result.path))
