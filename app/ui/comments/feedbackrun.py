"""Running the 意见反馈表 export for `FeedbackDialog`: the 覆盖 question, `Library.export_comments` on the
write thread (queued behind an index build; the window's closing flow waits for or cancels it) with
progress and 取消, then the file written or the Chinese error, inside the dialog."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from app.core.errors import PolicyDeskError
from app.core.export import ExportResult
from app.core.export.feedback import FeedbackOptions
from app.core.export.files import target_path
from app.core.progress import CancelToken
from app.ui.comments import strings as T
from app.ui.exportworker import KEY_FOLDER, open_url
from app.ui.qtcompat import emit
from app.ui.tasks import ProgressFn

if TYPE_CHECKING:
    from app.ui.comments.feedback import FeedbackDialog

log = logging.getLogger("policydesk.ui.feedback")

KEY_FORMAT, KEY_WHOLE = "feedback/format", "feedback/whole_clause"


class FeedbackRunMixin:
    """Exporting for `FeedbackDialog` (its attributes: library, tasks, settings, handle, result …)."""

    @property
    def running(self: FeedbackDialog) -> bool:
        return self.handle is not None

    def options(self: FeedbackDialog) -> FeedbackOptions:
        def given(box: Any) -> str | None:
            return str(box.text()).strip() or None

        return FeedbackOptions(whole_clause=self.whole_clause.isChecked(), unit=given(self.unit),
                               contact=given(self.contact), phone=given(self.phone))

    def start_export(self: FeedbackDialog) -> None:
        """导出: ask before replacing an existing file, then export on the write thread."""
        if self.running or not self.documents:
            return
        self._set_message("")
        self._show_open_buttons(False)
        path = self.target_file()
        if path is None:
            self._set_message(T.EXPORT_NO_TARGET, "error")
            self.target.setFocus()
            return
        try:
            final = target_path(path.parent, path.name, self.fmt(), overwrite=True)
            alt = target_path(path.parent, path.name, self.fmt(), overwrite=False) if final.exists() else None
        except PolicyDeskError as exc:
            self._on_failed(exc)
            return
        if alt is not None:
            self._ask_overwrite(path, final, alt)
        else:
            self._run(path, overwrite=False)

    def _ask_overwrite(self: FeedbackDialog, path: Path, final: Path, alt: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, T.EXPORT_OVERWRITE_TITLE,
                          T.EXPORT_OVERWRITE_TEXT.format(name=final.name, alt=alt.name),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("feedbackOverwriteBox")
        replace = box.addButton(T.EXPORT_OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(T.EXPORT_KEEP_BOTH, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(T.EXPORT_OVERWRITE_CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_clicked(button: object) -> None:
            if button is replace:
                self._run(path, overwrite=True)
            elif button is keep:
                self._run(path, overwrite=False)

        box.buttonClicked.connect(on_clicked)
        box.open()

    def _run(self: FeedbackDialog, path: Path, *, overwrite: bool) -> None:
        fmt, options, lib, doc_id = self.fmt(), self.options(), self.library, self.doc_id()
        self.settings.set(KEY_FORMAT, fmt)
        self.settings.set(KEY_WHOLE, "1" if options.whole_clause else "0")

        def work(progress: ProgressFn, cancel: CancelToken) -> Any:
            progress(0, 0, T.EXPORT_RUNNING)
            return lib.export_comments(path, fmt=fmt, doc_id=doc_id, options=options, overwrite=overwrite,
                                       progress=progress, cancel=cancel)

        waiting = self.tasks.busy()
        self._set_running(True, T.EXPORT_WAITING if waiting else T.EXPORT_RUNNING)
        self.handle = self.tasks.run_write(work, self._on_done, on_progress=self._on_progress,
                                           on_cancelled=self._on_cancelled, on_error=self._on_failed,
                                           name="export_feedback")

    def cancel_export(self: FeedbackDialog) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(T.EXPORT_CANCELLING)

    def _on_progress(self: FeedbackDialog, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.status.setText(message)

    def _on_done(self: FeedbackDialog, result: ExportResult) -> None:
        self.handle = None
        self._set_running(False)
        self.result = result
        self.settings.set(KEY_FOLDER, str(result.path.parent))
        self.settings.sync()
        asked = self.target_file()
        lines = [T.EXPORT_DONE.format(n=result.count, path=result.path)]
        if asked is not None and asked.name != result.path.name:
            lines.append(T.EXPORT_RENAMED)
        lines.extend(result.notices)
        self._set_message("\n".join(lines), "done")
        self._show_open_buttons(True)
        self.open_file_button.setFocus()
        emit(self.exported, result)

    def _on_failed(self: FeedbackDialog, exc: BaseException) -> None:
        from app.ui.dialogs import error_message

        self.handle = None
        self._set_running(False)
        if isinstance(exc, PolicyDeskError):
            log.warning("feedback export failed: %s (%s)", exc.message, exc.detail or "")
        else:
            log.error("feedback export crashed", exc_info=(type(exc), exc, exc.__traceback__))
        self._set_message(error_message(exc), "error")
        self.target.setFocus()

    def _on_cancelled(self: FeedbackDialog) -> None:
        self.handle = None
        self._set_running(False)
        self._set_message(T.EXPORT_CANCELLED)

    def _set_running(self: FeedbackDialog, running: bool, text: str = "") -> None:
        for w in (self.doc_box, self.word, self.excel, self.quote_only, self.whole_clause, self.unit, self.contact,
                  self.phone, self.target, self.browse_button, self.export_button):
            w.setEnabled(not running)
        self.progress_row.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.fit()
        if running:
            self.bar.setRange(0, 0)
            self.status.setText(text)

    def _set_message(self: FeedbackDialog, text: str, kind: str = "") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.fit()

    def fit(self: FeedbackDialog) -> None:
        """Grow to what is shown now (a message, the progress row) rather than squeeze the fields."""
        want = self.sizeHint().height()
        if self.isVisible() and want > self.height():
            self.resize(self.width(), want)

    def _show_open_buttons(self: FeedbackDialog, on: bool) -> None:
        self.open_file_button.setVisible(on)
        self.open_folder_button.setVisible(on)

    def open_file(self: FeedbackDialog) -> None:
        if self.result is not None:
            self._open(self.result.path)

    def open_folder(self: FeedbackDialog) -> None:
        if self.result is not None:
            self._open(self.result.path.parent)

    def _open(self: FeedbackDialog, path: Path) -> None:
        if not open_url(QUrl.fromLocalFile(str(path))):
            self._set_message(T.EXPORT_OPEN_FAILED.format(path=path), "error")
