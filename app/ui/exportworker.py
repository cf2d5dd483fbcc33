"""Running an export for the 导出 dialog (`ExportRunMixin`): the 覆盖 question, the write-thread task with
progress and 取消, and what the dialog shows afterwards (the file written, or the Chinese error).

Like the main window's index builds: the engine call runs on the single write thread (so it queues
behind an index build and the window's closing flow waits for or cancels it), results come back on
the GUI thread. Nothing is opened but local files (`open_url`).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from app.core.errors import PolicyDeskError
from app.core.export import ExportResult
from app.core.export.files import target_path
from app.core.progress import CancelToken
from app.ui import strings as S
from app.ui.qtcompat import emit
from app.ui.tasks import ProgressFn

if TYPE_CHECKING:
    from app.ui.exportdialog import ExportDialog

log = logging.getLogger("policydesk.ui.export")

KEY_FOLDER, KEY_FORMAT, KEY_LAYOUT = "export/folder", "export/format", "export/layout"
PAGED = ("docx", "pdf")  # the formats with a 公文/普通 layout


def open_url(url: QUrl) -> bool:
    """Hand a local file or folder to the system (Word, WPS, the file manager). Never anything remote."""
    if not url.isLocalFile():
        return False
    return bool(QDesktopServices.openUrl(url))


class ExportRunMixin:
    """Exporting for `ExportDialog` (its attributes: library, tasks, settings, request, handle, result …)."""

    # -- exporting --------------------------------------------------------------------------------
    def start_export(self: ExportDialog) -> None:
        """导出: ask before replacing an existing file, then export on the write thread."""
        if self.running or self.request is None:
            return
        self._set_message("")
        self._show_open_buttons(False)
        path = self.target_file()
        if path is None:
            self._set_message(S.EXPORT_NO_TARGET, "error")
            self.target.setFocus()
            return
        try:  # the name as it will be written: sanitised, inside the folder
            final = target_path(path.parent, path.name, self.fmt(), overwrite=True)
            alt = target_path(path.parent, path.name, self.fmt(), overwrite=False) if final.exists() else None
        except PolicyDeskError as exc:
            self._on_failed(exc)
            return
        if alt is not None:
            self._ask_overwrite(path, final, alt)
        else:
            self._run(path, overwrite=False)

    def _ask_overwrite(self: ExportDialog, path: Path, final: Path, alt: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, S.EXPORT_OVERWRITE_TITLE,
                          S.EXPORT_OVERWRITE_TEXT.format(name=final.name, alt=alt.name),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("exportOverwriteBox")
        replace = box.addButton(S.EXPORT_OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(S.EXPORT_KEEP_BOTH, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(S.EXPORT_OVERWRITE_CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_clicked(button: object) -> None:
            self.overwrite_box = None
            if button is replace:
                self._run(path, overwrite=True)
            elif button is keep:
                self._run(path, overwrite=False)

        box.buttonClicked.connect(on_clicked)
        self.overwrite_box = box
        box.open()  # no nested event loop

    def _run(self: ExportDialog, path: Path, *, overwrite: bool) -> None:
        assert self.request is not None
        scope = dataclasses.replace(self.request.scope, title=self.title_edit.text().strip())
        fmt, options, lib = self.fmt(), self.options(), self.library
        self.settings.set(KEY_FORMAT, fmt)
        self.settings.set(KEY_LAYOUT, options.layout)

        def work(progress: ProgressFn, cancel: CancelToken) -> Any:
            progress(0, 0, S.EXPORT_RUNNING)
            return lib.export(scope, path, fmt=fmt, options=options, overwrite=overwrite, progress=progress,
                              cancel=cancel)

        waiting = self.tasks.busy()  # an index build or a save runs first: exports queue behind it
        self._set_running(True, S.EXPORT_WAITING if waiting else S.EXPORT_RUNNING)
        self.handle = self.tasks.run_write(work, self._on_done, on_progress=self._on_progress,
                                           on_cancelled=self._on_cancelled, on_error=self._on_failed, name="export")

    def cancel_export(self: ExportDialog) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(S.EXPORT_CANCELLING)

    def _on_progress(self: ExportDialog, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.status.setText(message)

    def _on_done(self: ExportDialog, result: ExportResult) -> None:
        self.handle = None
        self._set_running(False)
        self.result = result
        self.settings.set(KEY_FOLDER, str(result.path.parent))
        self.settings.sync()
        asked = self.target_file()
        lines = [S.EXPORT_DONE.format(n=result.count, path=result.path)]
        if result.pages:
            lines.append(S.EXPORT_DONE_PAGES.format(pages=result.pages))
        if asked is not None and asked.name != result.path.name:
            lines.append(S.EXPORT_RENAMED)
        lines.extend(result.notices)
        self._set_message("\n".join(lines), "done")
        self._show_open_buttons(True)
        self.open_file_button.setFocus()
        emit(self.exported, result)

    def _on_failed(self: ExportDialog, exc: BaseException) -> None:
        from app.ui.dialogs import error_message

        self.handle = None
        self._set_running(False)
        if isinstance(exc, PolicyDeskError):
            log.warning("export failed: %s (%s)", exc.message, exc.detail or "")
        else:
            log.error("export crashed", exc_info=(type(exc), exc, exc.__traceback__))
        self._set_message(error_message(exc), "error")  # Chinese, never a traceback; the dialog stays
        self.target.setFocus()
        self.target.selectAll()

    def _on_cancelled(self: ExportDialog) -> None:
        self.handle = None
        self._set_running(False)
        self._set_message(S.EXPORT_CANCELLED)

    def _set_running(self: ExportDialog, running: bool, text: str = "") -> None:
        for w in (self.roles, self.format_box, self.title_edit, self.target, self.browse_button,
                  self.export_button, self.full_text, self.excerpt):
            w.setEnabled(not running)
        paged = self.fmt() in PAGED
        self.gongwen.setEnabled(paged and not running)
        self.plain.setEnabled(paged and not running)
        self.progress_row.setVisible(running)
        self.cancel_button.setEnabled(running)
        if running:
            self.bar.setRange(0, 0)
            self.status.setText(text)

    def _set_message(self: ExportDialog, text: str, kind: str = "") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)  # the style sheet colours by the kind property
        self.message.style().polish(self.message)

    def _show_open_buttons(self: ExportDialog, on: bool) -> None:
        self.open_file_button.setVisible(on)
        self.open_folder_button.setVisible(on)

    # -- after an export ---------------------------------------------------------------------------
    def open_file(self: ExportDialog) -> None:
        if self.result is not None:
            self._open(self.result.path)

    def open_folder(self: ExportDialog) -> None:
        if self.result is not None:
            self._open(self.result.path.parent)

    def _open(self: ExportDialog, path: Path) -> None:
        if not open_url(QUrl.fromLocalFile(str(path))):
            self._set_message(S.EXPORT_OPEN_FAILED.format(path=path), "error")
