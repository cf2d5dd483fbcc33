"""Closing the main window carefully: ask while background work runs, cancel cooperatively, wait (≤10 s).

"等待完成" closes once the work ends; "取消并退出" cancels it and closes when it stops, or after
CLOSE_TIMEOUT_MS at the latest. The question is asked with `open()`, never a nested event loop, so the
work keeps reporting while it is up.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from app.ui.window import strings as T

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

log = logging.getLogger("policydesk.ui.window")

CLOSE_TIMEOUT_MS = 10_000


class ClosingMixin:
    """Closing for `MainWindow` (its attributes: tasks, library, statusBar(), _close_when_idle …)."""

    def closeEvent(self: WindowLike, event: QCloseEvent) -> None:
        if self.tasks.busy() and not self._forced:
            event.ignore()
            if not self._close_when_idle:
                self._ask_close()
            return
        self.shutdown()
        event.accept()

    def _ask_close(self: WindowLike) -> None:
        exporting = self.index_handle is None and self.exporter.running()  # else the index build is named
        box = QMessageBox(QMessageBox.Icon.Question, T.CLOSE_BUSY_TITLE,
                          T.CLOSE_BUSY_TEXT_EXPORT if exporting else T.CLOSE_BUSY_TEXT,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closeBusyBox")
        wait = box.addButton(T.CLOSE_WAIT, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(T.CLOSE_CANCEL, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(wait)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_clicked(button: object) -> None:
            if button is cancel:
                self.close_when_idle(cancel=True)
            elif button is wait:
                self.close_when_idle(cancel=False)

        box.buttonClicked.connect(on_clicked)
        box.open()  # no nested event loop: work keeps reporting while the question is up

    def close_when_idle(self: WindowLike, *, cancel: bool) -> None:
        """Close as soon as background work ends; with `cancel`, ask it to stop (and give up after 10 s)."""
        self._close_when_idle = True
        self.statusBar().showMessage(T.INDEX_CANCELLING if cancel else T.CLOSE_WAITING)
        if cancel:
            self.cancel_indexing()
            self.tasks.cancel_all()
            QTimer.singleShot(CLOSE_TIMEOUT_MS, self._on_close_timeout)
        if not self.tasks.busy():
            QTimer.singleShot(0, self.close)

    def _on_tasks_write_idle(self: WindowLike) -> None:
        if self._close_when_idle:
            self.close()

    def _on_close_timeout(self: WindowLike) -> None:
        if not self._closed and self.tasks.busy():
            log.warning("background work did not stop within %d ms; closing anyway", CLOSE_TIMEOUT_MS)
            self._forced = True
            self.close()

    def shutdown(self: WindowLike) -> None:
        """Stop background work, wait for it (≤10 s), close the library. Safe to call twice."""
        if self._closed:
            return
        self.flush_user_edits()  # the note being typed goes to its draft; pending saves finish
        self._closed = True
        self._progress_timer.stop()
        self.search.debounce.stop()
        self._save_settings()
        self.tasks.cancel_all()
        if not self.tasks.wait_all(1000 if self._forced else CLOSE_TIMEOUT_MS):
            log.warning("background work still running at shutdown")
        self.library.close()
