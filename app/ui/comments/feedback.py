"""导出意见反馈表: which document (or all, one table each), Word (.docx, A4 landscape) or Excel (.xlsx), 原文内容
as the quoted passage or the whole clause, the 填报单位/联系人/联系电话 line (prefilled from the defaults) and
the file. Runs on the write thread with progress and 取消 (`FeedbackRunMixin`), then offers
打开文件 / 打开所在文件夹 like the 导出 dialog. Not modal; closing it cancels a running export."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.comments import CommentedDocument
from app.core.export import ExportResult, safe_name
from app.core.export.feedback import FeedbackOptions
from app.core.library import Library
from app.core.progress import CancelToken
from app.core.userdata import CommentDefaults
from app.ui.comments import strings as T
from app.ui.common.lazyview import em
from app.ui.common.settings import UiSettings
from app.ui.common.tasks import ProgressFn, TaskManager, _Handle
from app.ui.export.dialog import default_folder
from app.ui.export.worker import ExportRun

log = logging.getLogger("policydesk.ui.feedback")

EXTS = tuple(ext for ext, _label in T.EXPORT_FORMATS)
KEY_FORMAT, KEY_WHOLE = "feedback/format", "feedback/whole_clause"


def load_choices(library: Library) -> tuple[list[CommentedDocument], CommentDefaults]:
    """Worker-side: the documents with comments and the 填报 defaults."""
    desk = library.comments
    return desk.documents(), desk.defaults()


def file_title(doc: CommentedDocument | None) -> str:
    return f"关于《{doc.title.strip('《》')}》的意见反馈表" if doc is not None else T.EXPORT_ALL_NAME


class FeedbackRunMixin(ExportRun):
    """Exporting for `FeedbackDialog` (its attributes: library, tasks, settings, handle, result …):
    `Library.export_comments` run by `app.ui.export.worker.ExportRun` (the 覆盖 question, the write thread with
    progress and 取消, then the file written or the Chinese error, inside the dialog)."""

    TEXT = T
    OVERWRITE_BOX = "feedbackOverwriteBox"
    LOG = log
    LOG_WHAT = "feedback export"

    def options(self: FeedbackDialog) -> FeedbackOptions:
        def given(box: Any) -> str | None:
            return str(box.text()).strip() or None

        return FeedbackOptions(whole_clause=self.whole_clause.isChecked(), unit=given(self.unit),
                               contact=given(self.contact), phone=given(self.phone))

    def _ready(self: FeedbackDialog) -> bool:
        return bool(self.documents)

    def _run(self: FeedbackDialog, path: Path, *, overwrite: bool) -> None:
        fmt, options, lib, doc_id = self.fmt(), self.options(), self.library, self.doc_id()
        self.settings.set(KEY_FORMAT, fmt)
        self.settings.set(KEY_WHOLE, "1" if options.whole_clause else "0")

        def export(progress: ProgressFn, cancel: CancelToken) -> ExportResult:
            return lib.export_comments(path, fmt=fmt, doc_id=doc_id, options=options, overwrite=overwrite,
                                       progress=progress, cancel=cancel)

        self._start("export_feedback", export)

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

    def _after_message(self: FeedbackDialog) -> None:
        self.fit()

    def fit(self: FeedbackDialog) -> None:
        """Grow to what is shown now (a message, the progress row) rather than squeeze the fields."""
        want = self.sizeHint().height()
        if self.isVisible() and want > self.height():
            self.resize(self.width(), want)


class FeedbackDialog(FeedbackRunMixin, QDialog):
    """`exported(ExportResult)` after each file written."""

    exported = Signal(object)

    def __init__(self, library: Library, tasks: TaskManager, settings: UiSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(T.EXPORT_TITLE)
        self.setMinimumWidth(em(self, 44))
        self.library, self.tasks, self.settings = library, tasks, settings
        self.documents: list[CommentedDocument] = []
        self.handle: _Handle | None = None
        self.result = None
        self.overwrite_box: QMessageBox | None = None
        self.loaded = False
        self._auto_target = True
        self._wanted_doc: str | None = None

        intro = QLabel(T.EXPORT_INTRO, self)
        intro.setObjectName("feedbackIntro")
        intro.setWordWrap(True)
        self.doc_box = QComboBox(self)
        self.doc_box.setObjectName("feedbackDoc")
        self.doc_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.doc_box.setMinimumContentsLength(24)
        self.doc_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.word = QRadioButton(T.EXPORT_FORMATS[0][1], self)
        self.excel = QRadioButton(T.EXPORT_FORMATS[1][1], self)
        self.quote_only = QRadioButton(T.EXPORT_QUOTE_ONLY, self)
        self.whole_clause = QRadioButton(T.EXPORT_WHOLE_CLAUSE, self)
        for a, b in ((self.word, self.excel), (self.quote_only, self.whole_clause)):
            group = QButtonGroup(self)
            group.addButton(a)
            group.addButton(b)
        for w in (self.quote_only, self.whole_clause):
            w.setToolTip(T.EXPORT_ORIGINAL_TIP)
        self.unit = QLineEdit(self)
        self.unit.setObjectName("feedbackUnit")
        self.contact = QLineEdit(self)
        self.contact.setObjectName("feedbackContact")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("feedbackPhone")
        who = QWidget(self)
        who_lay = QHBoxLayout(who)
        who_lay.setContentsMargins(0, 0, 0, 0)
        who_lay.addWidget(self.contact, 2)
        who_lay.addSpacing(8)
        who_lay.addWidget(QLabel(T.EXPORT_PHONE, who))
        who_lay.addWidget(self.phone, 3)
        self.target = QLineEdit(self)
        self.target.setObjectName("feedbackTarget")
        self.browse_button = QPushButton(T.EXPORT_BROWSE, self)
        self.browse_button.setAutoDefault(False)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(8)
        self.form.addRow(T.EXPORT_DOC, self.doc_box)
        self.form.addRow(T.EXPORT_FORMAT, _row(self.word, self.excel))
        self.form.addRow(T.EXPORT_ORIGINAL, _row(self.quote_only, self.whole_clause))
        self.form.addRow(T.EXPORT_UNIT, self.unit)
        self.form.addRow(T.EXPORT_CONTACT, who)
        self.form.addRow(T.EXPORT_TARGET, _row(self.target, self.browse_button, stretch=0))

        self.status = QLabel(T.EXPORT_RUNNING, self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(T.EXPORT_CANCEL, self)
        self.cancel_button.setAutoDefault(False)
        self.progress_row = _row(self.status, self.bar, self.cancel_button, stretch=0)
        self.progress_row.hide()
        self._make_message()
        buttons = self._make_buttons()
        self.export_button.setObjectName("feedbackStart")
        self.close_button.setAutoDefault(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        lay.addWidget(intro)
        lay.addLayout(self.form)
        lay.addWidget(self.progress_row)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(buttons)

        (self.excel if settings.text(KEY_FORMAT) == "xlsx" else self.word).setChecked(True)
        (self.whole_clause if settings.text(KEY_WHOLE) == "1" else self.quote_only).setChecked(True)
        self.doc_box.currentIndexChanged.connect(lambda _i: self._update_target())
        self.word.toggled.connect(lambda _on: self._on_format_changed())
        self.target.textEdited.connect(self._on_target_edited)
        self.browse_button.clicked.connect(self.choose_target)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.export_button.setEnabled(False)

    # -- what to export ------------------------------------------------------------------------------------
    def load(self, doc_id: str | None = None) -> None:
        """Read the documents with comments and the defaults; `doc_id` is chosen when it has comments."""
        self._wanted_doc = doc_id
        lib = self.library
        self.tasks.run_read(lambda: load_choices(lib), self._on_loaded, on_error=self._on_failed,
                            name="feedback_choices")

    def _on_loaded(self, result: tuple[list[CommentedDocument], CommentDefaults]) -> None:
        if self.running:
            return
        docs, defaults = result
        self.documents = docs
        self.loaded = True
        self.doc_box.blockSignals(True)
        self.doc_box.clear()
        for d in docs:
            self.doc_box.addItem(T.EXPORT_DOC_ITEM.format(title=d.title, n=d.count), d.doc_id)
        if len(docs) > 1:
            self.doc_box.addItem(T.EXPORT_ALL_DOCS.format(n=sum(d.count for d in docs)), None)
        want = self.doc_box.findData(self._wanted_doc) if self._wanted_doc else 0
        self.doc_box.setCurrentIndex(max(0, want))
        self.doc_box.blockSignals(False)
        for box, value in ((self.unit, defaults.unit), (self.contact, defaults.contact), (self.phone, defaults.phone)):
            if not box.text().strip():
                box.setText(value)
        self.export_button.setEnabled(bool(docs))
        self._set_message("" if docs else T.EXPORT_NO_COMMENTS, "" if docs else "error")
        self._show_open_buttons(False)
        self._update_target()

    def doc_id(self) -> str | None:
        value = self.doc_box.currentData()
        return str(value) if value else None

    def current_document(self) -> CommentedDocument | None:
        return next((d for d in self.documents if d.doc_id == self.doc_id()), None)

    def set_document(self, doc_id: str | None) -> None:
        i = self.doc_box.findData(doc_id)
        if i >= 0:
            self.doc_box.setCurrentIndex(i)

    def fmt(self) -> str:
        return "xlsx" if self.excel.isChecked() else "docx"

    def set_format(self, ext: str) -> None:
        (self.excel if ext == "xlsx" else self.word).setChecked(True)

    # -- the file ------------------------------------------------------------------------------------------
    def _on_format_changed(self) -> None:
        if not self._auto_target and self.target.text().strip():
            path = Path(self.target.text().strip())
            stem = path.stem if path.suffix.lstrip(".").lower() in EXTS else path.name
            self.target.setText(str(path.with_name(f"{stem}.{self.fmt()}")))
        else:
            self._update_target()

    def _on_target_edited(self, _text: str) -> None:
        self._auto_target = False

    def _update_target(self) -> None:
        if not self._auto_target:
            return
        folder = Path(self.target.text()).parent if self.target.text().strip() else default_folder(self.settings)
        self.target.setText(str(folder / safe_name(file_title(self.current_document()), self.fmt())))

    def set_target(self, path: Path | str) -> None:
        self._auto_target = False
        suffix = Path(path).suffix.lstrip(".").lower()
        if suffix in EXTS:
            self.set_format(suffix)
        self.target.setText(str(path))

    def target_file(self) -> Path | None:
        text = self.target.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lstrip(".").lower() != self.fmt():
            path = path.with_name(f"{path.stem if path.suffix.lstrip('.').lower() in EXTS else path.name}.{self.fmt()}")
        return path if path.is_absolute() else default_folder(self.settings) / path

    def choose_target(self) -> None:
        filters = [T.EXPORT_FILTER.format(label=label, ext=ext) for ext, label in T.EXPORT_FORMATS]
        path, chosen = QFileDialog.getSaveFileName(self, T.EXPORT_SAVE_AS, self.target.text(), ";;".join(filters),
                                                   filters[EXTS.index(self.fmt())],
                                                   QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        suffix = Path(path).suffix.lstrip(".").lower()
        if suffix not in EXTS and chosen in filters:
            self.set_format(EXTS[filters.index(chosen)])
        self.set_target(path if suffix in EXTS else f"{path}.{self.fmt()}")

    # -- closing -------------------------------------------------------------------------------------------
    def reject(self) -> None:
        self.cancel_export()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_export()
        super().closeEvent(event)


def _row(*widgets: QWidget, stretch: int = 1) -> QWidget:
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(12)
    for n, w in enumerate(widgets):
        lay.addWidget(w, 1 if n == 0 and not stretch else 0)
    if stretch:
        lay.addStretch(stretch)
    return box
