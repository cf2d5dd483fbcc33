"""The main window's desk: the 我的任务 tab, Ctrl+D (收藏为任务), the 设置 menu (数据备份与恢复),
what the data check at start found, drafts offered back, the periodic backup, and flushing the note
being typed when the session ends (RELIABILITY.md C3, C4, C9, G2).

Nothing here blocks the GUI thread on the user database: reads go to the read pool, writes to the
TaskManager's user thread. Only `flush_user_edits` waits (briefly) for that thread, at shutdown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QVBoxLayout, QWidget

from app.core.desk import DeskTask
from app.core.errors import NotFoundError
from app.core.userdata import Draft, OpenReport
from app.ui.common import strings as S
from app.ui.common.banner import Banner
from app.ui.common.dialogs import show_error
from app.ui.desk.backup import BackupDialog
from app.ui.desk.data import local_time, pending_drafts
from app.ui.desk.indicatorprogress import IndicatorProgressDialog
from app.ui.desk.table import task_title
from app.ui.desk.view import TasksView
from app.ui.window import strings as T

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

log = logging.getLogger("policydesk.ui.desk")

BACKUP_INTERVAL_MS = 30 * 60 * 1000  # RELIABILITY.md C3: every 30–60 min of activity (only if data changed)
FLUSH_WAIT_MS = 5_000


def _menu(win: WindowLike, title: str) -> QMenu | None:
    for act in win.menuBar().actions():
        if act.text() == title and act.menu() is not None:
            return act.menu()  # type: ignore[return-value]
    return None


class DeskMixin:
    """For `MainWindow`: call `_init_desk()` once its panes, tabs and menus exist."""

    def _init_desk(self: WindowLike) -> None:
        lib = self.library
        self.data_banner = Banner(self, name="dataBanner")
        self.drafts_banner = Banner(self, name="draftsBanner")
        tabs = self.takeCentralWidget()
        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.data_banner)
        lay.addWidget(self.drafts_banner)
        lay.addWidget(tabs, 1)
        self.setCentralWidget(central)
        self.tasks_view = TasksView(lib, self.tasks, self, current_clause=lambda: self.reader.current_clause_id)
        self.views.append(self.tasks_view)
        self.tabs.addTab(self.tasks_view, S.TAB_TASKS)
        self.tasks_view.open_clause.connect(self.open_clause)
        self.tasks_view.message.connect(self._on_desk_message)
        self.tasks_view.track.connect(lambda cid, name: self.open_progress(cid, name))
        exporter = getattr(self, "exporter", None)
        if exporter is not None:
            self.tasks_view.export_requested.connect(exporter.open)
        self.indicators.track_requested.connect(self._on_track_requested)
        self.indicators.bookmark_requested.connect(self._on_bookmark_indicator)
        self.reader_pane.bookmark_requested.connect(self.bookmark_current)
        self.reader.clause_loaded.connect(lambda r: self._refresh_bookmark_mark(r.clause_id))
        self.progress_dialog: IndicatorProgressDialog | None = None
        self.backup_dialog: BackupDialog | None = None
        self._desk_menus()
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(self.periodic_backup)
        self.backup_timer.start()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # Windows logoff / shutdown: the note being typed is kept (G2)
            app.commitDataRequest.connect(self._on_commit_data_request)
            app.aboutToQuit.connect(self.flush_user_edits)
        self._open_user_data()

    def _desk_menus(self: WindowLike) -> None:
        self.bookmark_action = QAction(T.ACTION_BOOKMARK, self)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.setShortcutVisibleInContextMenu(True)
        self.bookmark_action.triggered.connect(self.bookmark_current)
        clause_menu = _menu(self, S.MENU_CLAUSE)
        if clause_menu is not None:
            clause_menu.insertAction(clause_menu.actions()[0], self.bookmark_action)
        else:
            self.addAction(self.bookmark_action)
        view_menu = _menu(self, S.MENU_VIEW)
        show = QAction(S.TAB_TASKS, self)
        show.setShortcut(QKeySequence(f"Ctrl+{self.tabs.count()}"))
        show.triggered.connect(lambda: self.tabs.setCurrentWidget(self.tasks_view))
        (view_menu or self).addAction(show)
        settings = QMenu(S.MENU_SETTINGS, self)
        backups = QAction(T.ACTION_BACKUPS, self)
        backups.triggered.connect(self.open_backups)
        settings.addAction(backups)
        check = QAction(T.ACTION_CHECK_DATA, self)
        check.triggered.connect(self.check_data)
        settings.addAction(check)
        department = QAction(T.ACTION_MY_DEPARTMENT, self)
        department.triggered.connect(self.choose_my_department)
        settings.addAction(department)
        help_menu = _menu(self, S.MENU_HELP)
        if help_menu is not None:
            self.menuBar().insertMenu(help_menu.menuAction(), settings)
        else:
            self.menuBar().addMenu(settings)

    # -- start: what the data check found, drafts left behind ---------------------------------------
    def _open_user_data(self: WindowLike) -> None:
        lib = self.library

        def work() -> tuple[OpenReport | None, dict[str, Draft]]:
            tasks = lib.desk.tasks()
            return lib.user_report, pending_drafts(lib, tasks)

        self.tasks.run_read(work, self._on_user_data_opened, on_error=lambda exc: show_error(self, exc),
                            name="open_user_data")

    def _on_user_data_opened(self: WindowLike, result: tuple[OpenReport | None, dict[str, Draft]]) -> None:
        report, drafts = result
        if report is not None and report.messages:
            text = "\n".join(report.messages)
            self.data_banner.show_message(text, [(S.ACTION_BACKUPS_SHORT, self.open_backups)])
            if report.recovered:  # a damaged file was replaced: say so where it cannot be missed
                box = QMessageBox(QMessageBox.Icon.Warning, T.DATA_RECOVERED_TITLE, text,
                                  QMessageBox.StandardButton.NoButton, self)
                box.setObjectName("dataRecoveredBox")
                box.addButton(S.BANNER_CLOSE, QMessageBox.ButtonRole.AcceptRole)
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()
        if drafts:
            self.offer_drafts(drafts)
        self._refresh_task_marks()

    def offer_drafts(self: WindowLike, drafts: dict[str, Draft]) -> None:
        newest = max(d.updated_at for d in drafts.values())
        self.drafts_banner.show_message(
            T.DRAFTS_FOUND.format(n=len(drafts), time=local_time(newest)),
            [(T.DRAFTS_RESTORE, lambda: self.restore_drafts(drafts)),
             (T.DRAFTS_DISCARD, lambda: self.discard_drafts(drafts))], closable=False)

    def restore_drafts(self: WindowLike, drafts: dict[str, Draft]) -> None:
        """Save each draft as its task's note (the user chose 恢复), then show the first one."""
        lib = self.library

        def work() -> list[str]:
            done = []
            for tid, dr in drafts.items():
                try:
                    lib.user.update_task(tid, note=dr.text)
                except NotFoundError:
                    continue
                lib.user.clear_draft(dr.key)
                done.append(tid)
            return done

        def on_done(ids: list[str]) -> None:
            self.statusBar().showMessage(T.DRAFTS_RESTORED.format(n=len(ids)), 10_000)
            view = self.tasks_view
            view._select_after_load = ids[0] if ids else None
            if not view.editor.is_dirty():
                view.editor.load(None)
            self.tabs.setCurrentWidget(view)
            view.reload()

        self.tasks.run_user(work, on_done, on_error=lambda exc: show_error(self, exc), name="restore_drafts")

    def discard_drafts(self: WindowLike, drafts: dict[str, Draft]) -> None:
        lib = self.library

        def work() -> int:
            for dr in drafts.values():
                lib.user.clear_draft(dr.key)
            return len(drafts)

        def on_done(n: int) -> None:
            self.statusBar().showMessage(T.DRAFTS_DISCARDED.format(n=n), 10_000)
            view = self.tasks_view
            for tid in drafts:
                view.drafts.pop(tid, None)
            shown = drafts.get(view.editor.task_id or "")
            if shown is not None and view.editor.note.toPlainText() == shown.text:  # back to the saved note
                view.editor.load(view.current_task())
            view.invalidate()

        self.tasks.run_user(work, on_done, on_error=lambda exc: show_error(self, exc), name="discard_drafts")

    # -- bookmarks -----------------------------------------------------------------------------------
    def bookmark_current(self: WindowLike) -> None:
        """Ctrl+D: bookmark the clause selected in the results (or read) as a task; again: open the task."""
        hit = self.search.current_hit()
        cid = hit.id if hit is not None and self.search.list.hasFocus() else None
        cid = cid or self.reader.current_clause_id or (hit.id if hit is not None else None)
        if self.tabs.currentIndex() != 0 or not cid:
            self.statusBar().showMessage(T.BOOKMARK_NOTHING, 8_000)
            return
        self._bookmark(cid, None)

    def _bookmark(self: WindowLike, cid: str, indicator: str | None) -> None:
        lib = self.library

        def work() -> tuple[DeskTask, bool]:
            existing = lib.user.find_task(cid, None if indicator is None else f"{cid}#{indicator}")
            task = existing or lib.desk.bookmark(cid, indicator=indicator)
            return lib.desk.view(task), existing is None

        self.tasks.run_user(work, self._on_bookmarked, on_error=lambda exc: show_error(self, exc), name="bookmark")

    def _on_bookmarked(self: WindowLike, result: tuple[DeskTask, bool]) -> None:
        d, new = result
        self.tasks_view.show_task(d)
        if new:
            self.statusBar().showMessage(T.BOOKMARK_DONE.format(title=task_title(d.task)), 10_000)
        else:
            self.tabs.setCurrentWidget(self.tasks_view)
            self.statusBar().showMessage(T.BOOKMARK_EXISTS, 8_000)
        self._refresh_bookmark_mark(self.reader.current_clause_id)
        self._refresh_task_marks()

    def _on_desk_message(self: WindowLike, message: str) -> None:
        """Something changed in 我的任务 (added, deleted, restored, saved): say so, refresh the ★ mark."""
        self.statusBar().showMessage(message, 10_000)
        self._refresh_bookmark_mark(self.reader.current_clause_id)
        self._refresh_task_marks()

    def _on_bookmark_indicator(self: WindowLike, row: dict[str, Any]) -> None:
        self._bookmark(row["clause"], row["name"])

    def _refresh_bookmark_mark(self: WindowLike, clause_id: str | None) -> None:
        if not clause_id:
            return
        lib = self.library

        def done(found: bool) -> None:
            if self.reader.current_clause_id == clause_id:
                self.reader_pane.set_bookmarked(found)

        self.tasks.run_read(lambda: lib.user.find_task(clause_id) is not None, done,
                            on_error=lambda exc: log.warning("bookmark mark: %s", exc), name="bookmarked")

    def _refresh_task_marks(self: WindowLike) -> None:
        """Read which clauses are tasks (as ☆ 收藏 / ★ 已收藏 counts them: the clause itself, not one of
        its indicators) and let the result list star their hits."""
        lib = self.library
        self.tasks.run_read(lambda: {t.clause_id for t in lib.user.list_tasks(indicators=False)},
                            self.search.set_task_clauses,
                            on_error=lambda exc: log.warning("task marks: %s", exc), name="task_marks")

    # -- indicator progress, my department, backups --------------------------------------------------
    def _on_track_requested(self: WindowLike, row: dict[str, Any]) -> None:
        where = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=row.get("doc_title", "")),
                                             *row.get("path", [])[-2:]])
        self.open_progress(row["clause"], row["name"], row, where)

    def open_progress(self: WindowLike, clause_id: str, name: str, prefill: dict[str, Any] | None = None,
                      where: str = "") -> IndicatorProgressDialog:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.setParent(None)
        dlg = IndicatorProgressDialog(self.library, self.tasks, clause_id, name, prefill, where, self)
        dlg.changed.connect(lambda _key: self.tasks_view.reload_progress())
        self.progress_dialog = dlg
        dlg.open()
        return dlg

    def choose_my_department(self: WindowLike) -> None:
        self.tabs.setCurrentWidget(self.tasks_view)
        self.tasks_view.pages.setCurrentIndex(0)
        self.tasks_view.suggestions.set_expanded(True)
        self.tasks_view.suggestions.department.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def check_data(self: WindowLike) -> BackupDialog:
        """设置 › 检查数据: the backup dialog, running the full integrity check at once."""
        dlg = self.open_backups()
        if dlg.check_button.isEnabled():
            dlg.check_data()
        return dlg

    def open_backups(self: WindowLike) -> BackupDialog:
        if self.backup_dialog is not None and self.backup_dialog.isVisible():
            self.backup_dialog.raise_()
            return self.backup_dialog
        if self.backup_dialog is not None:
            self.backup_dialog.setParent(None)
        dlg = BackupDialog(self.library, self.tasks, self)
        dlg.changed.connect(self._on_user_data_replaced)
        dlg.message.connect(lambda m: self.statusBar().showMessage(m, 10_000))
        self.backup_dialog = dlg
        dlg.open()
        return dlg

    def _on_user_data_replaced(self: WindowLike) -> None:
        self.tasks_view.editor.load(None)
        self.tasks_view.invalidate()
        commenting = getattr(self, "commenting", None)
        if commenting is not None:  # the comments were restored or imported with the rest (app.ui.comments)
            commenting.refresh()
        self._refresh_bookmark_mark(self.reader.current_clause_id)
        self._refresh_task_marks()

    def periodic_backup(self: WindowLike) -> None:
        """Every 30 min: a verified backup if anything changed since the last one (on the user thread)."""
        if self._closed:
            return
        lib = self.library
        self.tasks.run_user(lambda: lib.user.backup_db(), on_error=lambda exc: log.warning("periodic backup failed: %s", exc),
                            name="periodic_backup")

    def _on_commit_data_request(self: WindowLike, _manager: object) -> None:
        self.flush_user_edits()

    def flush_user_edits(self: WindowLike) -> None:
        """Session ends (close, logoff): the note being typed goes to its draft, and pending saves finish."""
        if self._closed or not hasattr(self, "tasks_view"):
            return
        editor = self.tasks_view.editor
        if editor.note_dirty():
            editor.save_draft_now()
        if not self.tasks.user_pool.waitForDone(FLUSH_WAIT_MS):
            log.warning("user data saves still running at shutdown")
