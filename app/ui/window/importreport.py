"""导入报告: after files are added (or a refresh refused some), one row per file with its result and reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.models import OK, REFUSED, FileOutcome, IndexReport
from app.ui.common.lazyview import em
from app.ui.window import strings as T


def reportable(report: IndexReport, *, imported: bool) -> list[FileOutcome]:
    """The rows worth showing: every added file after an import, else only new refusals and warnings."""
    files = [f for f in report.files if not f.shipped or f.status != OK]
    if imported:
        return [f for f in files if not f.again]
    return [f for f in files if f.status != OK and not f.again and f.status != "duplicate"]


def _detail(f: FileOutcome) -> str:
    if f.status in (OK, "warning"):
        text = T.IMPORT_ROW_OK.format(title=f.message, clauses=f.clauses)
        return text + ("；" + "；".join(f.warnings) if f.warnings else "")
    return f.message


class ImportReportDialog(QDialog):
    """A table of files: 结果 / 文件 / 说明, with the counts above it."""

    def __init__(self, files: list[FileOutcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle(T.IMPORT_REPORT_TITLE)
        counts: dict[str, int] = {}
        for f in files:
            counts[f.label] = counts.get(f.label, 0) + 1
        self.summary = QLabel("，".join(f"{k} {v} 个" for k, v in counts.items()) or T.IMPORT_REPORT_NONE, self)
        self.table = QTableWidget(len(files), 3, self)
        self.table.setHorizontalHeaderLabels(T.IMPORT_REPORT_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, f in enumerate(files):
            cells = (f.label, Path(f.path).name, _detail(f))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f.path if col == 1 else text)
                if f.status == REFUSED:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(1, em(self.table, 18))
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, Qt.Orientation.Horizontal, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.resize(em(self, 64), em(self, 26))
