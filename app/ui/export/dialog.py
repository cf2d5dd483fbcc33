"""The 导出 dialog (issue 7): 范围, 格式, 版式, 全文/摘录, 标题 and the target file; the export runs on the write
thread with progress and 取消, like an index build (app.ui.export.worker).

The target starts as the suggested (Windows-safe) name in the folder used last (remembered in ui.ini).
An existing file is only replaced when the user says so (覆盖); otherwise the engine writes "名称(2)".
Errors (file open in Word/WPS, read-only file or folder, disk full) are shown in Chinese inside the
dialog, which stays open so another name can be chosen. Success names the file actually written (names
may have been sanitised) and offers 打开文件 / 打开所在文件夹 — local files only, never a network URL.
The dialog is not modal: closing the main window during an export goes through the window's usual
closing question (wait or cancel); closing the dialog itself cancels the export.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.export import ExportOptions, ExportResult, format_for, safe_name
from app.core.library import Library
from app.core.progress import CancelToken
from app.ui.common.settings import UiSettings
from app.ui.common.tasks import ProgressFn, TaskManager, _Handle
from app.ui.export import strings as T
from app.ui.export.scope import ExportRequest
from app.ui.export.worker import KEY_FOLDER, KEY_FORMAT, KEY_LAYOUT, PAGED, ExportRun

FORMAT_EXTS = tuple(ext for ext, _label in T.EXPORT_FORMATS)
TEXT_ROW = 3  # the form row of 全文/摘录, shown for a search's results only


def default_folder(settings: UiSettings) -> Path:
    """The folder exported to last, else 文档, else the home folder."""
    for candidate in (settings.text(KEY_FOLDER),
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


class ExportRunMixin(ExportRun):
    """Exporting for `ExportDialog` (its attributes: library, tasks, settings, request, handle, result …)."""

    SELECT_TARGET = True

    def _ready(self: ExportDialog) -> bool:
        return self.request is not None

    def _run(self: ExportDialog, path: Path, *, overwrite: bool) -> None:
        assert self.request is not None
        scope = dataclasses.replace(self.request.scope, title=self.title_edit.text().strip())
        fmt, options, lib = self.fmt(), self.options(), self.library
        self.settings.set(KEY_FORMAT, fmt)
        self.settings.set(KEY_LAYOUT, options.layout)

        def export(progress: ProgressFn, cancel: CancelToken) -> ExportResult:
            return lib.export(scope, path, fmt=fmt, options=options, overwrite=overwrite, progress=progress,
                              cancel=cancel)

        self._start("export", export)

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


class ExportDialog(ExportRunMixin, QDialog):
    """Export one `ExportRequest`; `exported(ExportResult)` after each file written."""

    exported = Signal(object)

    def __init__(self, library: Library, tasks: TaskManager, settings: UiSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(T.EXPORT_DIALOG_TITLE)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 38)  # grows with the font
        self.library, self.tasks, self.settings = library, tasks, settings
        self.request: ExportRequest | None = None
        self.handle: _Handle | None = None
        self.result: ExportResult | None = None
        self.overwrite_box: QMessageBox | None = None
        self._auto_target = True  # the target follows title and format until the user picks a file
        self._auto_title = ""

        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("exportScope")
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_label.setWordWrap(True)
        self.roles = QComboBox(self)
        for _roles, label in T.EXPORT_ROLES:
            self.roles.addItem(label)  # the index is the choice: Qt keeps no Python tuples as item data
        self.format_box = QComboBox(self)
        self.format_box.setObjectName("exportFormat")
        for ext, label in T.EXPORT_FORMATS:
            self.format_box.addItem(label, ext)
        self.gongwen = QRadioButton(T.EXPORT_LAYOUT_GONGWEN, self)
        self.plain = QRadioButton(T.EXPORT_LAYOUT_PLAIN, self)
        self.full_text = QRadioButton(T.EXPORT_TEXT_FULL, self)
        self.excerpt = QRadioButton(T.EXPORT_TEXT_EXCERPT.format(n=ExportOptions().excerpt_chars), self)
        for group, first in ((QButtonGroup(self), self.gongwen), (QButtonGroup(self), self.full_text)):
            first.setChecked(True)
            group.addButton(first)
            group.addButton(self.plain if first is self.gongwen else self.excerpt)
        for w in (self.gongwen, self.plain):
            w.setToolTip(T.EXPORT_LAYOUT_TIP)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("exportTitle")
        self.title_edit.setClearButtonEnabled(True)
        self.target = QLineEdit(self)
        self.target.setObjectName("exportTarget")
        self.browse_button = QPushButton(T.EXPORT_BROWSE, self)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(8)
        self.form.addRow(T.EXPORT_SCOPE, _row(self.scope_label, self.roles, stretch=0))
        self.form.addRow(T.EXPORT_FORMAT, self.format_box)
        self.form.addRow(T.EXPORT_LAYOUT, _row(self.gongwen, self.plain))
        self.form.addRow(T.EXPORT_TEXT, _row(self.full_text, self.excerpt))
        self.form.addRow(T.EXPORT_HEADING, self.title_edit)
        self.form.addRow(T.EXPORT_TARGET, _row(self.target, self.browse_button, stretch=0))

        self.status = QLabel(T.EXPORT_RUNNING, self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(T.EXPORT_CANCEL, self)
        self.progress_row = _row(self.status, self.bar, self.cancel_button, stretch=0)
        self.progress_row.hide()
        self._make_message()
        buttons = self._make_buttons()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        lay.addLayout(self.form)
        lay.addWidget(self.progress_row)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(buttons)

        self.roles.currentIndexChanged.connect(self._on_roles_changed)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.title_edit.textEdited.connect(self._on_title_edited)
        self.target.textEdited.connect(self._on_target_edited)
        self.browse_button.clicked.connect(self.choose_target)
        self.cancel_button.clicked.connect(self.cancel_export)
        self._restore_choices()

    # -- the request and the fields -------------------------------------------------------------
    def set_request(self, request: ExportRequest) -> None:
        """Show `request` (ignored while an export runs: the dialog keeps what it is writing)."""
        if self.running:
            return
        self.request = request
        self.result = None
        self._set_message("")
        self._show_open_buttons(False)
        is_dept = request.scope.kind == "department"
        self.roles.setVisible(is_dept)
        if is_dept:
            self.roles.blockSignals(True)
            self.roles.setCurrentIndex(role_index(request.roles))
            self.roles.blockSignals(False)
        self.form.setRowVisible(TEXT_ROW, request.has_query)
        self.full_text.setChecked(True)
        self._auto_title = request.title
        self.title_edit.setText(request.title)
        self._auto_target = True
        self._update_scope_label()
        self._update_target()

    def _update_scope_label(self) -> None:
        req = self.request
        if req is None:
            return
        count = req.count_text()
        self.scope_label.setText(f"{req.description}（{count}）" if count else req.description)

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def set_format(self, ext: str) -> None:
        i = self.format_box.findData(ext)
        if i >= 0:
            self.format_box.setCurrentIndex(i)

    def options(self) -> ExportOptions:
        return ExportOptions(layout="plain" if self.plain.isChecked() else "gongwen",
                             excerpt=bool(self.request and self.request.has_query and self.excerpt.isChecked()))

    def _restore_choices(self) -> None:
        self.set_format(self.settings.text(KEY_FORMAT, "docx"))
        (self.plain if self.settings.text(KEY_LAYOUT) == "plain" else self.gongwen).setChecked(True)
        self._on_format_changed()

    def _on_roles_changed(self) -> None:
        if self.request is None or self.request.scope.kind != "department":
            return
        auto = self.title_edit.text().strip() == self._auto_title
        self.request = self.request.with_roles(T.EXPORT_ROLES[max(0, self.roles.currentIndex())][0])
        self._auto_title = self.request.title
        if auto:
            self.title_edit.setText(self.request.title)
            self._update_target()
        self._update_scope_label()

    def _on_format_changed(self) -> None:
        paged = self.fmt() in PAGED
        self.gongwen.setEnabled(paged)
        self.plain.setEnabled(paged)
        if not self._auto_target and self.target.text().strip():
            path = Path(self.target.text().strip())
            stem = path.stem if path.suffix.lstrip(".").lower() in (*FORMAT_EXTS, "htm") else path.name
            self.target.setText(str(path.with_name(f"{stem}.{self.fmt()}")))
        else:
            self._update_target()

    def _on_title_edited(self, _text: str) -> None:
        self._update_target()

    def _on_target_edited(self, _text: str) -> None:
        self._auto_target = False

    def _update_target(self) -> None:
        if not self._auto_target:
            return
        folder = Path(self.target.text()).parent if self.target.text().strip() else default_folder(self.settings)
        title = self.title_edit.text().strip() or (self.request.title if self.request else "")
        self.target.setText(str(folder / safe_name(title, self.fmt())))

    def set_target(self, path: Path | str) -> None:
        """Export to `path` (as if picked with 选择…); the format follows a known suffix."""
        self._auto_target = False
        if Path(path).suffix.lstrip(".").lower() in (*FORMAT_EXTS, "htm"):
            self.set_format(format_for(Path(path)))
        self.target.setText(str(path))

    def target_file(self) -> Path | None:
        """The file the user asked for (a bare name goes into the remembered folder)."""
        text = self.target.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lstrip(".").lower() in (*FORMAT_EXTS, "htm") and format_for(path) != self.fmt():
            path = path.with_suffix("." + self.fmt())  # 格式 is the visible choice: x.pdf with Word → x.docx
        return path if path.is_absolute() else default_folder(self.settings) / path

    def choose_target(self) -> None:
        """选择…: the system's save dialog, starting at the current target; it never asks about
        overwriting itself (the dialog does, when exporting)."""
        filters = [T.EXPORT_FILTER.format(label=label, ext=ext) for ext, label in T.EXPORT_FORMATS]
        current = filters[FORMAT_EXTS.index(self.fmt())]
        path, chosen = QFileDialog.getSaveFileName(self, T.EXPORT_SAVE_AS, self.target.text(), ";;".join(filters),
                                                   current, QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        self._auto_target = False
        suffix = Path(path).suffix.lstrip(".").lower()
        if suffix in (*FORMAT_EXTS, "htm"):
            self.set_format(format_for(Path(path)))
        elif chosen in filters:
            self.set_format(FORMAT_EXTS[filters.index(chosen)])
        stem = Path(path).stem if suffix in (*FORMAT_EXTS, "htm") else Path(path).name
        self.target.setText(str(Path(path).with_name(f"{stem}.{self.fmt()}")))
    # -- closing -------------------------------------------------------------------------------------
    def reject(self) -> None:
        """关闭 / Esc: a running export is cancelled (nothing is left behind)."""
        self.cancel_export()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_export()
        super().closeEvent(event)


def role_index(roles: tuple[str, ...]) -> int:
    """The 牵头和配合 / 仅牵头 / 仅配合 choice for a department scope's roles."""
    wanted = set(roles)
    return next((n for n, (r, _label) in enumerate(T.EXPORT_ROLES) if set(r) == wanted), 0)


def _row(*widgets: QWidget, stretch: int = 1) -> QWidget:
    """Widgets side by side; the first one takes the room (or, with `stretch`, a trailing spacer does)."""
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(12)
    for n, w in enumerate(widgets):
        lay.addWidget(w, 1 if n == 0 and not stretch else 0)
    if stretch:
        lay.addStretch(stretch)
    return box
