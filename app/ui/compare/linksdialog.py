"""版本关联…: every version link of the library (旧版本 → 新版本, how it was found, its state) with
确认 / 不是同一文件的版本 / 撤销 / 对照 / 核对迁移的任务和意见…. The dialog only asks; the controller
(`app.ui.compare.controller`) does the work on a worker thread and hands the links back."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.userdata.versions import CONFIRMED, REJECTED, SUGGESTED, VersionLink
from app.ui.common import theme
from app.ui.common.emptystate import EmptyState
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.compare import strings as T

LinkRole = Qt.ItemDataRole.UserRole + 1


def state_colour(link: VersionLink) -> str | None:
    t = theme.current()
    if link.state == REJECTED:
        return t.muted
    if link.state == SUGGESTED and not link.certain:
        return t.urg_soon  # waiting for the user
    return t.urg_done


class VersionLinksDialog(QDialog):
    """The links in a table; `state_requested(old, new, state)`, `compare_requested(old, new)`,
    `review_requested(old, new)`."""

    state_requested = Signal(str, str, str)
    compare_requested = Signal(str, str)
    review_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionLinksDialog")
        self.setWindowTitle(T.LINKS_TITLE)
        self.links: list[VersionLink] = []
        intro = QLabel(T.LINKS_INTRO, self)
        intro.setObjectName("linksDialogIntro")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(T.LINKS_COLUMNS), self)
        self.table.setObjectName("versionLinks")
        self.table.setHorizontalHeaderLabels(list(T.LINKS_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, em(self.table, 15))
        self.table.setColumnWidth(3, em(self.table, 5))
        self.empty = EmptyState(self.table)
        self.message = QLabel(self)
        self.message.setObjectName("linksDialogNote")
        self.message.setWordWrap(True)
        self.message.hide()
        self.confirm_button = QPushButton(T.LINKS_CONFIRM, self)
        self.confirm_button.setToolTip(T.LINKS_CONFIRM_TIP)
        self.reject_button = QPushButton(T.LINKS_REJECT, self)
        self.reject_button.setToolTip(T.LINKS_REJECT_TIP)
        self.reset_button = QPushButton(T.LINKS_RESET, self)
        self.reset_button.setToolTip(T.LINKS_RESET_TIP)
        self.compare_button = QPushButton(T.LINKS_COMPARE, self)
        self.compare_button.setToolTip(T.LINKS_COMPARE_TIP)
        self.review_button = QPushButton(T.LINKS_REVIEW, self)
        self.review_button.setToolTip(T.LINKS_REVIEW_TIP)
        self.close_button = QPushButton(T.LINKS_CLOSE, self)
        row = QHBoxLayout()
        for b in (self.confirm_button, self.reject_button, self.reset_button):
            row.addWidget(b)
        row.addSpacing(12)
        row.addWidget(self.compare_button)
        row.addWidget(self.review_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._ask_compare())
        self.confirm_button.clicked.connect(lambda: self._ask_state(CONFIRMED))
        self.reject_button.clicked.connect(lambda: self._ask_state(REJECTED))
        self.reset_button.clicked.connect(lambda: self._ask_state(SUGGESTED))
        self.compare_button.clicked.connect(self._ask_compare)
        self.review_button.clicked.connect(self._ask_review)
        self.close_button.clicked.connect(self.reject)
        self.resize(em(self, 66), em(self, 24))
        self._update_buttons()

    def set_links(self, links: Sequence[VersionLink], message: str = "") -> None:
        """Show `links` (the selection stays on the same pair)."""
        keep = self.selected()
        self.links = list(links)
        self.table.setRowCount(len(self.links))
        for r, link in enumerate(self.links):
            share = T.LINKS_OVERLAP.format(share=link.overlap) if link.overlap is not None else ""
            cells = (f"《{link.old_title or link.old_id}》", f"《{link.new_title or link.new_id}》",
                     link.method_label + share, link.state_label)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(LinkRole, (link.old_id, link.new_id))
                item.setToolTip(f"{link.old_id} → {link.new_id}" if c < 2 else text)
                if c == 3:
                    colour = state_colour(link)
                    if colour:
                        item.setForeground(QBrush(QColor(colour)))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.empty.set_text("" if self.links else T.LINKS_NONE)
        rows = [r for r, k in enumerate(self.links) if (k.old_id, k.new_id) == keep]
        if rows:
            self.table.selectRow(rows[0])
        elif self.links:
            pending = [r for r, k in enumerate(self.links) if k.state == SUGGESTED and not k.certain]
            self.table.selectRow(pending[0] if pending else len(self.links) - 1)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self._update_buttons()

    def restyle(self) -> None:
        """The theme changed: the state colours follow."""
        self.set_links(self.links, self.message.text())

    def select(self, old_id: str, new_id: str) -> None:
        for r, k in enumerate(self.links):
            if (k.old_id, k.new_id) == (old_id, new_id):
                self.table.selectRow(r)

    def selected(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        pair = rows[0].data(LinkRole)
        return (pair[0], pair[1]) if pair else None

    def selected_link(self) -> VersionLink | None:
        pair = self.selected()
        return next((k for k in self.links if (k.old_id, k.new_id) == pair), None)

    def _update_buttons(self) -> None:
        link = self.selected_link()
        self.confirm_button.setEnabled(link is not None and link.state != CONFIRMED)
        self.reject_button.setEnabled(link is not None and link.state != REJECTED)
        self.reset_button.setEnabled(link is not None and link.state != SUGGESTED)
        self.compare_button.setEnabled(link is not None)
        self.review_button.setEnabled(link is not None and link.active)

    def _ask_state(self, state: str) -> None:
        pair = self.selected()
        if pair is not None:
            emit(self.state_requested, pair[0], pair[1], state)

    def _ask_compare(self) -> None:
        pair = self.selected()
        if pair is not None:
            emit(self.compare_requested, pair[0], pair[1])

    def _ask_review(self) -> None:
        pair = self.selected()
        if pair is not None:
            emit(self.review_requested, pair[0], pair[1])
