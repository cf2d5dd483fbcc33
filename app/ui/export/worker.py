"""Running an export from a dialog (`ExportRun`, shared by the 导出, 意见反馈表 and 新旧对照表 dialogs; the
导出 dialog's part is `ExportRunMixin` in app.ui.export.dialog): the 覆盖 question, the write-thread task
with progress and 取消, and what the dialog shows afterwards (the file written, or the Chinese error;
打开文件 / 打开所在文件夹).

Like the main window's index builds: the engine call runs on the single write thread (so it queues
behind an index build and the window's closing flow waits for or cancels it), results come back on
the GUI thread. Nothing is opened but local files (`open_url`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton

from app.core.errors import PolicyDeskError
from app.core.export import ExportResult
from app.core.export.files import target_path
from app.core.progress import CancelToken
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import ProgressFn
from app.ui.export import strings as T

log = logging.getLogger("policydesk.ui.export")

KEY_FOLDER, KEY_FORMAT, KEY_LAYOUT = "export/folder", "export/format", "export/layout"
PAGED = ("docx", "pdf")  # the formats with a 公文/普通 layout


def open_url(url: QUrl) -> bool:
    """Hand a local file or folder to the system (Word, WPS, the file manager). Never anything remote."""
    if not url.isLocalFile():
        return False
    return bool(QDesktopServices.openUrl(url))


class ExportRun:
    """The run of an export, mixed into a dialog. The dialog has the widgets target, message, status, bar,
    progress_row, open_file_button and open_folder_button (and cancel_button, when it has one), the attributes
    tasks, settings, handle, result and overwrite_box, the `exported` signal, fmt() and target_file(), and
    fills in the hooks below."""

    TEXT: Any = T  # the strings: EXPORT_NO_TARGET, EXPORT_OVERWRITE_…, EXPORT_DONE, EXPORT_CANCELLED …
    OVERWRITE_BOX = "exportOverwriteBox"  # the object name of the 覆盖 question
    LOG: logging.Logger | None = log  # where a failed export is logged (None: not logged) …
    LOG_WHAT = "export"  # … and what the log calls it
    FOCUS_TARGET = True  # the cursor goes back to the target after 请选择保存位置 or an error …
    SELECT_TARGET = False  # … with its text selected, after an error

    # -- the dialog's part -------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Whether there is something to export."""
        raise NotImplementedError

    def _run(self, path: Path, *, overwrite: bool) -> None:
        """Start the export to `path` (`_start`)."""
        raise NotImplementedError

    def _set_running(self, running: bool, text: str = "") -> None:
        raise NotImplementedError

    def _after_message(self) -> None:
        """Called when the message has changed (a dialog that grows to fit it)."""

    # -- the widgets every export dialog has --------------------------------------------------------
    def _make_message(self) -> QLabel:
        """`message`: the result or the error, hidden while empty (coloured by its kind in the window style
        sheet)."""
        self.message = QLabel(self)
        self.message.setObjectName("exportMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        return self.message

    def _make_buttons(self) -> QHBoxLayout:
        """The bottom row: 打开文件 / 打开所在文件夹 (shown once a file is written) … 导出 (the default) / 关闭,
        connected."""
        t = self.TEXT
        self.open_file_button = QPushButton(t.EXPORT_OPEN_FILE, self)
        self.open_folder_button = QPushButton(t.EXPORT_OPEN_FOLDER, self)
        self.export_button = QPushButton(t.EXPORT_START, self)
        self.export_button.setDefault(True)
        self.close_button = QPushButton(t.EXPORT_CLOSE, self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        self._show_open_buttons(False)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        return buttons

    # -- exporting --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.handle is not None

    def start_export(self) -> None:
        """导出: ask before replacing an existing file, then export on the write thread."""
        if self.running or not self._ready():
            return
        self._set_message("")
        self._show_open_buttons(False)
        path = self.target_file()
        if path is None:
            self._set_message(self.TEXT.EXPORT_NO_TARGET, "error")
            if self.FOCUS_TARGET:
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

    def _ask_overwrite(self, path: Path, final: Path, alt: Path) -> None:
        t = self.TEXT
        box = QMessageBox(QMessageBox.Icon.Question, t.EXPORT_OVERWRITE_TITLE,
                          t.EXPORT_OVERWRITE_TEXT.format(name=final.name, alt=alt.name),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName(self.OVERWRITE_BOX)
        replace = box.addButton(t.EXPORT_OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(t.EXPORT_KEEP_BOTH, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(t.EXPORT_OVERWRITE_CANCEL, QMessageBox.ButtonRole.RejectRole)
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

    def _start(self, name: str, export: Callable[[ProgressFn, CancelToken], ExportResult]) -> None:
        """Run `export` on the write thread as the task `name` (after an index build or a save that runs)."""
        text = self.TEXT.EXPORT_RUNNING

        def work(progress: ProgressFn, cancel: CancelToken) -> Any:
            progress(0, 0, text)
            return export(progress, cancel)

        waiting = self.tasks.busy()  # an index build or a save runs first: exports queue behind it
        self._set_running(True, self.TEXT.EXPORT_WAITING if waiting else text)
        self.handle = self.tasks.run_write(work, self._on_done, on_progress=self._on_progress,
                                           on_cancelled=self._on_cancelled, on_error=self._on_failed, name=name)

    def cancel_export(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.TEXT.EXPORT_CANCELLING)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.status.setText(message)

    def _done_lines(self, result: ExportResult) -> list[str]:
        """What the message says after `result` is written."""
        asked = self.target_file()
        lines = [self.TEXT.EXPORT_DONE.format(n=result.count, path=result.path)]
        if result.pages:  # PDF only
            lines.append(self.TEXT.EXPORT_DONE_PAGES.format(pages=result.pages))
        if asked is not None and asked.name != result.path.name:
            lines.append(self.TEXT.EXPORT_RENAMED)
        lines.extend(result.notices)
        return lines

    def _on_done(self, result: ExportResult) -> None:
        self.handle = None
        self._set_running(False)
        self.result = result
        self.settings.set(KEY_FOLDER, str(result.path.parent))
        self.settings.sync()
        self._set_message("\n".join(self._done_lines(result)), "done")
        self._show_open_buttons(True)
        self.open_file_button.setFocus()
        emit(self.exported, result)

    def _on_failed(self, exc: BaseException) -> None:
        from app.ui.common.dialogs import error_message

        self.handle = None
        self._set_running(False)
        if self.LOG is not None and isinstance(exc, PolicyDeskError):
            self.LOG.warning("%s failed: %s (%s)", self.LOG_WHAT, exc.message, exc.detail or "")
        elif self.LOG is not None:
            self.LOG.error("%s crashed", self.LOG_WHAT, exc_info=(type(exc), exc, exc.__traceback__))
        self._set_message(error_message(exc), "error")  # Chinese, never a traceback; the dialog stays
        if self.FOCUS_TARGET:
            self.target.setFocus()
        if self.SELECT_TARGET:
            self.target.selectAll()

    def _on_cancelled(self) -> None:
        self.handle = None
        self._set_running(False)
        self._set_message(self.TEXT.EXPORT_CANCELLED)

    def _set_message(self, text: str, kind: str = "") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)  # the style sheet colours by the kind property
        self.message.style().polish(self.message)
        self._after_message()

    def _show_open_buttons(self, on: bool) -> None:
        self.open_file_button.setVisible(on)
        self.open_folder_button.setVisible(on)

    # -- after an export ---------------------------------------------------------------------------
    def open_file(self) -> None:
        if self.result is not None:
            self._open(self.result.path)

    def open_folder(self) -> None:
        if self.result is not None:
            self._open(self.result.path.parent)

    def _open(self, path: Path) -> None:
        if not open_url(QUrl.fromLocalFile(str(path))):
            self._set_message(self.TEXT.EXPORT_OPEN_FAILED.format(path=path), "error")
