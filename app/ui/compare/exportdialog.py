"""导出新旧对照表: a comparison as Word (.docx, A4 landscape, 原条文 / 新条文 / 变化说明) or Excel, written on the
write thread with a progress bar; afterwards 打开文件 / 打开所在文件夹, as the 导出 dialog does.

The target starts as 《新版本》新旧对照表.docx in the folder exported to last. An existing file is only
replaced when the user says so; otherwise the engine writes "名称(2)". Errors are shown in Chinese inside
the dialog, which stays open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
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
    QVBoxLayout,
    QWidget,
)

from app.core.compare import Comparison
from app.core.export import ExportResult, safe_name
from app.core.export.compare_writer import title_of
from app.core.library import Library
from app.core.progress import CancelToken
from app.ui.common.settings import UiSettings
from app.ui.common.tasks import ProgressFn, TaskManager, _Handle
from app.ui.compare import strings as T
from app.ui.export import strings as S
from app.ui.export.dialog import default_folder
from app.ui.export.worker import ExportRun

KEY_FORMAT = "compare/format"


class CompareExportDialog(ExportRun, QDialog):
    """Export one `Comparison`; `exported(ExportResult)` after the file is written."""

    exported = Signal(object)
    OVERWRITE_BOX = "compareOverwriteBox"
    LOG = None
    FOCUS_TARGET = False

    def __init__(self, library: Library, tasks: TaskManager, settings: UiSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareExportDialog")
        self.setWindowTitle(T.EXPORT_TITLE)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 40)
        self.library, self.tasks, self.settings = library, tasks, settings
        self.comparison: Comparison | None = None
        self.handle: _Handle | None = None
        self.result: ExportResult | None = None
        self.overwrite_box: QMessageBox | None = None
        self._auto_target = True
        self.what = QLabel(self)
        self.what.setObjectName("compareExportWhat")
        self.what.setWordWrap(True)
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.format_box = QComboBox(self)
        self.format_box.setObjectName("compareExportFormat")
        for ext, label in T.EXPORT_FORMATS:
            self.format_box.addItem(label, ext)
        self.unchanged = QCheckBox(T.EXPORT_UNCHANGED, self)
        self.unchanged.setObjectName("compareExportUnchanged")
        self.unchanged.setToolTip(T.EXPORT_UNCHANGED_TIP)
        self.target = QLineEdit(self)
        self.target.setObjectName("compareExportTarget")
        self.browse_button = QPushButton(S.EXPORT_BROWSE, self)
        target_row = QHBoxLayout()
        target_row.setContentsMargins(0, 0, 0, 0)
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow(T.EXPORT_FORMAT, self.format_box)
        form.addRow("", self.unchanged)
        form.addRow(T.EXPORT_TARGET, target_row)
        self.status = QLabel(S.EXPORT_RUNNING, self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.progress_row = QWidget(self)
        prow = QHBoxLayout(self.progress_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(self.status)
        prow.addWidget(self.bar, 1)
        self.progress_row.hide()
        self._make_message()
        buttons = self._make_buttons()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        lay.addWidget(self.what)
        lay.addLayout(form)
        lay.addWidget(self.progress_row)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(buttons)
        i = self.format_box.findData(settings.text(KEY_FORMAT, "docx"))
        self.format_box.setCurrentIndex(max(0, i))
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.unchanged.toggled.connect(self._update_what)
        self.target.textEdited.connect(self._on_target_edited)
        self.browse_button.clicked.connect(self.choose_target)

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def set_comparison(self, cmp: Comparison) -> None:
        """Export `cmp` (ignored while an export runs)."""
        if self.running:
            return
        self.comparison = cmp
        self.result = None
        self._set_message("")
        self._show_open_buttons(False)
        self._auto_target = True
        self._update_what()
        self._update_target()

    def _update_what(self, *_args: Any) -> None:
        cmp = self.comparison
        if cmp is None:
            return
        rows = T.EXPORT_ROWS_ALL.format(n=len(cmp.pairs)) if self.unchanged.isChecked() \
            else T.EXPORT_ROWS.format(changed=len(cmp.changed()))
        self.what.setText(T.EXPORT_WHAT + f"《{cmp.old_doc.title}》→《{cmp.new_doc.title}》（{rows}）")
        self._fit()

    def _on_format_changed(self) -> None:
        if self._auto_target:
            self._update_target()
        else:
            path = Path(self.target.text().strip())
            self.target.setText(str(path.with_suffix("." + self.fmt())))

    def _on_target_edited(self, _text: str) -> None:
        self._auto_target = False

    def _update_target(self) -> None:
        if self.comparison is None:
            return
        folder = default_folder(self.settings)
        self.target.setText(str(folder / safe_name(title_of(self.comparison), self.fmt())))

    def set_target(self, path: Path | str) -> None:
        """Export to `path` (as if picked with 选择…); the format follows its suffix."""
        self._auto_target = False
        i = self.format_box.findData(Path(path).suffix.lstrip(".").lower())
        if i >= 0:
            self.format_box.setCurrentIndex(i)
        self.target.setText(str(path))

    def choose_target(self) -> None:
        filters = [S.EXPORT_FILTER.format(label=label, ext=ext) for ext, label in T.EXPORT_FORMATS]
        current = filters[max(0, self.format_box.currentIndex())]
        path, _chosen = QFileDialog.getSaveFileName(self, S.EXPORT_SAVE_AS, self.target.text(), ";;".join(filters),
                                                    current, QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.set_target(path if Path(path).suffix else f"{path}.{self.fmt()}")

    def target_file(self) -> Path | None:
        text = self.target.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != "." + self.fmt():
            path = path.with_name(f"{path.stem if path.suffix.lower() in ('.docx', '.xlsx') else path.name}.{self.fmt()}")
        return path if path.is_absolute() else default_folder(self.settings) / path

    # -- exporting (`ExportRun`) ----------------------------------------------------------------------
    def _ready(self) -> bool:
        return self.comparison is not None

    def _run(self, path: Path, *, overwrite: bool) -> None:
        cmp, fmt, lib = self.comparison, self.fmt(), self.library
        assert cmp is not None
        unchanged = self.unchanged.isChecked()
        self.settings.set(KEY_FORMAT, fmt)

        def export(_progress: ProgressFn, cancel: CancelToken) -> ExportResult:
            cancel.check()
            return lib.export_comparison(cmp, path, fmt=fmt, include_unchanged=unchanged, overwrite=overwrite)

        self._start("export_comparison", export)

    def cancel_export(self) -> None:
        if self.handle is not None:
            self.handle.cancel()  # a queued export never starts; a running one finishes its one file

    def _done_lines(self, result: ExportResult) -> list[str]:
        return [S.EXPORT_DONE.format(n=result.count, path=result.path)]

    def _set_running(self, running: bool, text: str = "") -> None:
        for w in (self.format_box, self.unchanged, self.target, self.browse_button, self.export_button):
            w.setEnabled(not running)
        self.progress_row.setVisible(running)
        if running:
            self.status.setText(text)

    def _after_message(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Grow to what the wrapped labels need (a form never shrinks a label below its text)."""
        lay = self.layout()
        if lay is None:
            return
        lay.activate()
        need = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else lay.sizeHint().height()
        if self.height() < need:
            self.resize(self.width(), need)

    def reject(self) -> None:
        self.cancel_export()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_export()
        super().closeEvent(event)
