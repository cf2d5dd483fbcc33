"""指标进度: every tracked indicator with its target, baseline, latest value, progress and a small chart.
Double-click (or 记录数值…) opens the indicator's dialog (app.ui.desk.indicatorprogress)."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.emptystate import EmptyState
from app.ui.common.lazyview import KeyRole, SortRole, em, read_only_rows, table_item
from app.ui.common.linksformat import format_number
from app.ui.common.qtcompat import emit
from app.ui.desk import strings as T
from app.ui.desk.indicatorprogress import Snapshot, load_snapshot, paint_sparkline, status_colour

SnapshotRole = Qt.ItemDataRole.UserRole + 3
COL_NAME, COL_CLAUSE, COL_TARGET, COL_BASE, COL_LATEST, COL_PCT, COL_STATUS, COL_CHART = range(8)


def fetch_progress(library: Library) -> list[tuple[Snapshot, str]]:
    """Worker side: each tracked indicator's snapshot with its clause as 《文件》 › path."""
    titles = {d.id: d.title for d in library.documents()} if library.paths.library_db.exists() else {}
    out = []
    for ind in library.user.tracked_indicators():
        doc, _, rest = ind.clause_id.partition("/")
        where = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=titles.get(doc, doc)), *rest.split("/")[-2:]])
        out.append((load_snapshot(library, ind.key), where))
    return out


class SparkDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        snap = index.data(SnapshotRole)
        if isinstance(snap, Snapshot):
            paint_sparkline(painter, QRectF(option.rect).adjusted(2, 2, -2, -2), snap, theme.current())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() * 2))


class ProgressOverview(QWidget):
    open_clause = Signal(str)
    edit = Signal(str, str)  # clause id, indicator name
    untrack = Signal(str)  # indicator key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressOverview")
        self.rows: list[tuple[Snapshot, str]] = []
        self.model = QStandardItemModel(0, len(T.PROGRESS_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(T.PROGRESS_COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(self)
        self.table.setObjectName("progressTable")
        self.table.setModel(self.proxy)
        read_only_rows(self.table, sortable=True)
        self.table.setItemDelegateForColumn(COL_CHART, SparkDelegate(self.table))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COL_CLAUSE, QHeaderView.ResizeMode.Stretch)
        for col, chars in ((COL_NAME, 13), (COL_TARGET, 12), (COL_BASE, 8.5), (COL_LATEST, 9.5),
                           (COL_PCT, 5), (COL_STATUS, 6.5), (COL_CHART, 14)):
            self.table.setColumnWidth(col, em(self.table, chars))
        self.table.verticalHeader().setDefaultSectionSize(em(self.table, 2.6))  # room for the chart
        self.empty = EmptyState(self.table)
        self.info = QLabel(self)
        self.info.setObjectName("viewInfo")
        self.edit_button = QPushButton(T.PROGRESS_EDIT, self)
        self.open_button = QPushButton(T.EDITOR_OPEN, self)
        self.untrack_button = QPushButton(T.PROGRESS_UNTRACK, self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for b in (self.edit_button, self.open_button, self.untrack_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.table.activated.connect(lambda _i: self._emit_edit())
        self.edit_button.clicked.connect(self._emit_edit)
        self.open_button.clicked.connect(self._on_open)
        self.untrack_button.clicked.connect(self._on_untrack)

    def set_rows(self, rows: list[tuple[Snapshot, str]]) -> None:
        self.rows = rows
        t = theme.current()
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for snap, where in rows:
            ind, p = snap.indicator, snap.progress
            if ind is None:
                continue
            key, unit = ind.key, ind.unit
            cmp = S.COMPARATORS.get(ind.comparator, ind.comparator)
            target = f"{cmp}{format_number(ind.target)}{unit}" if ind.target is not None else ""
            if ind.deadline:
                target += T.PROGRESS_BY_YEAR.format(year=ind.deadline)
            base = (T.PROGRESS_VALUE_YEAR.format(value=format_number(ind.baseline), unit=unit, year=ind.baseline_year)
                    if ind.baseline is not None else "")
            latest = (T.PROGRESS_VALUE_YEAR.format(value=format_number(p.latest_value), unit=unit, year=p.latest_year)
                      if p is not None and p.latest_value is not None else "")
            pct = p.percent if p is not None else None
            status = table_item(p.label if p is not None else "", p.status if p is not None else "", key)
            status.setForeground(QBrush(QColor(status_colour(p.status if p is not None else "", t))))
            chart = table_item("", pct if pct is not None else -1.0, key, tooltip=False)
            chart.setData(snap, SnapshotRole)
            chart.setToolTip(T.TIP_SPARKLINE)
            name = table_item(ind.name, ind.name, key)
            name.setData(ind.clause_id, KeyRole + 10)
            self.model.appendRow([
                name, table_item(where, where, key), table_item(target, ind.target or 0.0, key),
                table_item(base, ind.baseline if ind.baseline is not None else -1e18, key),
                table_item(latest, (p.latest_year or 0) if p is not None else 0, key),
                table_item("" if pct is None else f"{format_number(pct)}%", -1.0 if pct is None else pct, key),
                status, chart])
        self.table.setSortingEnabled(True)
        n = self.model.rowCount()
        self.info.setText(T.PROGRESS_COUNT.format(n=n) if n else "")
        self.empty.set_text("" if n else T.PROGRESS_NONE)
        for b in (self.edit_button, self.open_button, self.untrack_button):
            b.setEnabled(bool(n))
        if n and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def current(self) -> tuple[str, str, str] | None:
        """(key, clause id, name) of the selected row."""
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        first = self.proxy.index(idx.row(), COL_NAME)
        return first.data(KeyRole), first.data(KeyRole + 10), first.data(Qt.ItemDataRole.DisplayRole)

    def select_key(self, key: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(KeyRole) == key:
                self.table.selectRow(r)
                return True
        return False

    def _emit_edit(self) -> None:
        cur = self.current()
        if cur is not None:
            emit(self.edit, cur[1], cur[2])

    def _on_open(self) -> None:
        cur = self.current()
        if cur is not None:
            emit(self.open_clause, cur[1])

    def _on_untrack(self) -> QMessageBox | None:
        cur = self.current()
        if cur is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, T.PROGRESS_UNTRACK, T.PROGRESS_UNTRACK_CONFIRM,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("untrackBox")
        yes = box.addButton(T.PROGRESS_UNTRACK, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(S.LINKS_DIALOG_CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        key = cur[0]
        box.buttonClicked.connect(lambda button: emit(self.untrack, key) if button is yes else None)
        box.open()
        return box

