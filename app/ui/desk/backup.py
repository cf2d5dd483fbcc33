"""设置 › 数据备份与恢复: the backups of the user data (date, kind, size, tasks), 立即备份, 从备份恢复
(asks first; the current data is backed up before it is replaced), 导出全部任务 and 导入任务 (JSON that a
colleague can merge without duplicates). Every action runs on the TaskManager's user thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.userdata import BackupInfo
from app.ui.common import strings as S
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.desk import strings as T

EXPORT_FILTER = "PolicyDesk 任务 (*.json)"


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


class BackupDialog(QDialog):
    changed = Signal()  # the data was restored or tasks were imported: views must reload
    message = Signal(str)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.backups: list[BackupInfo] = []
        self.setObjectName("backupDialog")
        self.setWindowTitle(T.BACKUP_TITLE)
        intro = QLabel(T.BACKUP_INTRO, self)
        intro.setWordWrap(True)
        self.where = QLabel(self)
        self.where.setObjectName("taskEditorHint")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(T.BACKUP_COLUMNS), self)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(list(T.BACKUP_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, chars in enumerate((11, 7, 6)):
            self.table.setColumnWidth(col, em(self, chars))
        self.status = QLabel(self)
        self.status.setObjectName("taskEditorStatus")
        self.status.setWordWrap(True)
        self.backup_button = QPushButton(T.BACKUP_NOW, self)
        self.restore_button = QPushButton(T.BACKUP_RESTORE, self)
        self.export_button = QPushButton(T.BACKUP_EXPORT, self)
        self.import_button = QPushButton(T.BACKUP_IMPORT, self)
        self.check_button = QPushButton(T.CHECK_DATA, self)
        self.check_button.setObjectName("checkDataButton")
        self.check_result: Any = None  # the last DataCheckReport
        close = QPushButton(S.BANNER_CLOSE, self)
        row = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.export_button, self.import_button, self.check_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.where)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.ask_restore)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        self.check_button.clicked.connect(self.check_data)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(em(self, 44), em(self, 30))
        self.reload()

    # -- listing ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        lib = self.library
        self.tasks.run_read(lambda: (lib.user.list_backups(), lib.user.backup_dir), self._fill,
                            on_error=self._fail, name="list_backups")

    def _fill(self, result: tuple[list[BackupInfo], Path]) -> None:
        self.backups, folder = result
        self.table.setRowCount(len(self.backups))
        for r, b in enumerate(self.backups):
            cells = (f"{b.created:%Y-%m-%d %H:%M:%S}", b.kind, size_text(b.size),
                     T.BACKUP_TASKS.format(n=b.tasks) if b.tasks is not None else T.BACKUP_UNREADABLE)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                self.table.setItem(r, c, item)
        self.where.setText(T.BACKUP_FOLDER.format(path=folder))
        if self.backups and not self.table.selectedItems():
            self.table.selectRow(0)
        if not self.backups:
            self.status.setText(T.BACKUP_NONE)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.backups[min(rows)] if rows and min(rows) < len(self.backups) else None

    def _say(self, text: str) -> None:
        self.status.setText(text)
        emit(self.message, text)

    def _fail(self, exc: BaseException) -> None:
        self._say(error_message(exc))

    def _run(self, work: Any, done: Any, name: str) -> None:
        self.status.setText(T.BACKUP_WORKING)
        self.tasks.run_user(work, done, on_error=self._fail, name=name)

    # -- actions ---------------------------------------------------------------------------------------
    def backup_now(self) -> None:
        lib = self.library

        def done(path: Path | None) -> None:
            self._say(T.BACKUP_DONE.format(name=path.name if path else ""))
            self.reload()

        self._run(lambda: lib.user.backup_db(force=True), done, "backup_now")

    def ask_restore(self) -> QMessageBox | None:
        b = self.selected()
        if b is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, T.BACKUP_RESTORE_TITLE,
                          T.BACKUP_RESTORE_CONFIRM.format(date=f"{b.created:%Y-%m-%d %H:%M}"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("restoreConfirm")
        ok = box.addButton(T.BACKUP_RESTORE_OK, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(S.LINKS_DIALOG_CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.restore(b.path) if button is ok else None)
        box.open()
        return box

    def restore(self, path: Path) -> None:
        lib = self.library

        def done(report: Any) -> None:
            self._say(report.message)
            emit(self.changed)
            self.reload()

        self._run(lambda: lib.user.restore_backup(path), done, "restore_backup")

    def choose_export(self) -> None:
        default = Path.home() / T.BACKUP_EXPORT_NAME.format(date=dt.date.today().strftime("%Y%m%d"))
        path, _ = QFileDialog.getSaveFileName(self, T.BACKUP_EXPORT, str(default), EXPORT_FILTER)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        lib = self.library
        self._run(lambda: lib.user.export_tasks(path), lambda n: self._say(T.BACKUP_EXPORTED.format(n=n, path=path)),
                  "export_tasks")

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, T.BACKUP_IMPORT, str(Path.home()), EXPORT_FILTER)
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        lib = self.library

        def done(summary: Any) -> None:
            self._say(summary.message)
            emit(self.changed)
            self.reload()

        self._run(lambda: lib.user.import_tasks_json(path), done, "import_tasks")

    def check_data(self) -> None:
        """检查数据: integrity_check of the user DB and the library DB, and opening the index (read pool)."""
        lib = self.library
        paths = lib.paths

        def work() -> Any:
            from app.core.userdata.integrity import run_check

            return run_check(lib.user, paths.user_db, paths.library_db, paths.index_dir)

        def done(report: Any) -> None:
            self.check_result = report
            self.check_button.setEnabled(True)
            self._say(report.message)

        def failed(exc: BaseException) -> None:
            self.check_button.setEnabled(True)
            self._fail(exc)

        self.check_button.setEnabled(False)
        self.status.setText(T.CHECK_DATA_WORKING)
        self.tasks.run_read(work, done, on_error=failed, name="check_data")
