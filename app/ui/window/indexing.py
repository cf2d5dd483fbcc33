"""The main window's index builds: start-up check, 更新索引, 添加文件夹/文件, progress in the status bar, cancel,
and the 导入报告 (one row per file read or refused).

Progress appears only after PROGRESS_DELAY_MS, so quick work never flashes a bar. While a build runs
the search box is disabled and says why; the views reload once it is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.core.models import FileOutcome, IndexReport
from app.core.progress import CancelToken
from app.ui.common import strings as S
from app.ui.common.dialogs import show_error
from app.ui.common.tasks import ProgressFn
from app.ui.window import strings as T
from app.ui.window.importreport import ImportReportDialog, reportable

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

PROGRESS_DELAY_MS = 600  # quick work never flashes a progress bar


def _warm_up() -> None:
    """Load jieba's dictionary now, so the user's first search does not pay for it."""
    from app.core.library import warm_up

    warm_up()


class IndexingMixin:
    """Index builds for `MainWindow` (its attributes: library, tasks, search, progress, views …)."""

    def start(self: WindowLike) -> None:
        """The first background task: check the index (building it if needed) once the window shows."""
        self.start_indexing(only_if_needed=True)

    def start_indexing(self: WindowLike, *, only_if_needed: bool, extra: Sequence[Path] = (),
                       full: bool = False) -> None:
        if self.index_handle is not None:
            return
        lib = self.library
        extra = list(extra)

        def work(progress: ProgressFn, cancel: CancelToken) -> IndexReport | None:
            if only_if_needed and not lib.needs_index():
                _warm_up()
                return None
            progress(0, 0, S.SEARCH_PLACEHOLDER_INDEXING)
            report = lib.index(extra, full=full, progress=progress, cancel=cancel)
            _warm_up()
            return report

        self._importing = bool(extra)
        self.reindex_action.setEnabled(False)
        self._had_index = self.search.box.isEnabled()
        if not only_if_needed:
            self._on_index_progress(0, 0, S.SEARCH_PLACEHOLDER_INDEXING)
        self.index_handle = self.tasks.run_write(
            work, self._on_index_done, on_progress=self._on_index_progress,
            on_cancelled=self._on_index_cancelled, on_error=self._on_index_failed, name="index")

    def _on_index_progress(self: WindowLike, done: int, total: int, message: str) -> None:
        if self.search.box.placeholderText() != S.SEARCH_PLACEHOLDER_INDEXING:
            self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_INDEXING)
            self.search.status.setText(T.STATUS_INDEXING)
        if not self.progress.isVisible() and not self._progress_timer.isActive():
            self._progress_timer.start()
        self.progress.update_progress(done, total, message)

    def _on_progress_timer_timeout(self: WindowLike) -> None:
        if self.index_handle is not None:
            self.progress.cancel_button.setEnabled(True)
            self.progress.show()

    def _end_indexing(self: WindowLike, searchable: bool, message: str = "") -> None:
        self.index_handle = None
        self._progress_timer.stop()
        self.progress.hide()
        self.reindex_action.setEnabled(True)
        if self.search.status.text() == T.STATUS_INDEXING:
            self.search.status.setText(S.STATUS_HINT)
        if searchable:
            self.search.set_searchable(True)
        else:
            self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_NO_INDEX)
        if message:
            self.statusBar().showMessage(message, 15_000)

    def _on_index_done(self: WindowLike, report: IndexReport | None) -> None:
        for view in self.views:
            view.invalidate()
        if report is None:
            self._end_indexing(True, T.READY)
        else:
            msg = T.INDEX_DONE.format(documents=report.documents, clauses=report.clauses, seconds=report.seconds)
            if report.failed:
                msg += T.INDEX_FAILED_FILES.format(n=len(report.failed))
            self._end_indexing(True, msg)
            self.last_index_report = report
            rows = reportable(report, imported=self._importing)
            if rows and not self._close_when_idle:
                self.show_import_report(rows)
            versions = getattr(self, "version_ui", None)
            if versions is not None and not self._close_when_idle:
                versions.index_done(report)  # 《X》似乎是《Y》的新版本 (app.ui.compare)
        if not self._close_when_idle:
            self.search.focus_search()
            if self.search.box.text().strip():
                self.search.search_now()

    def _on_index_cancelled(self: WindowLike) -> None:
        self._end_indexing(self._had_index, T.INDEX_CANCELLED)

    def _on_index_failed(self: WindowLike, exc: BaseException) -> None:
        self._end_indexing(self._had_index)
        if not self._close_when_idle:
            show_error(self, exc)

    def cancel_indexing(self: WindowLike) -> None:
        if self.index_handle is not None:
            self.index_handle.cancel()
            self.progress.cancel_button.setEnabled(False)
            self.progress.label.setText(T.INDEX_CANCELLING)

    def add_folder(self: WindowLike, folder: str) -> None:
        """Index a folder of documents in the background (it is remembered for later refreshes)."""
        self.start_indexing(only_if_needed=False, extra=[Path(folder)])

    def add_files(self: WindowLike, files: list[str]) -> None:
        """Index chosen files in the background; the import report lists what became of each."""
        self.start_indexing(only_if_needed=False, extra=[Path(f) for f in files])

    def choose_files(self: WindowLike) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, T.ADD_FILES_TITLE, "", T.ADD_FILES_FILTER)
        if files:
            self.add_files(files)

    def show_import_report(self: WindowLike, rows: list[FileOutcome] | None = None) -> ImportReportDialog:
        """The last refresh's per-file report (all its rows when called from the menu)."""
        report = self.last_index_report
        if rows is None:
            rows = [f for f in report.files if not f.shipped or f.status != "ok"] if report else []
        dlg = ImportReportDialog(rows, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.import_report_dialog = dlg
        return dlg
