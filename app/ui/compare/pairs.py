"""The lower half of the 对照 tab: the aligned clauses as a list with status filters (changed ones by
default, 显示未变条款 on request), and the selected pair's 原条文 | 新条文 side by side with its location
and 变化说明."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import STATUS_LABELS, STATUSES, ClausePair, Comparison
from app.ui.common import theme
from app.ui.common.emptystate import EmptyState
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.compare import strings as T
from app.ui.compare.diffhtml import diff_css, pair_where, side_by_side, status_colours

PairRole = Qt.ItemDataRole.UserRole + 1  # the pair's index in the comparison
FILTERED = tuple(s for s in STATUSES if s != "unchanged")  # one toggle each; 未变 has its check box
SNIPPET = 60


class PairList(QWidget):
    """Filter toggles over a table 变化 | 位置 | 条文; `pair_selected(index)` when a row is chosen."""

    pair_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.toggles: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for status in FILTERED:
            b = QToolButton(self)
            b.setObjectName(f"compareFilter_{status}")
            b.setProperty("status", status)  # coloured like the status by the view's style sheet
            b.setCheckable(True)
            b.setChecked(True)
            b.setToolTip(T.COMPARE_FILTER_TIP.format(label=STATUS_LABELS[status]))
            b.toggled.connect(self._refill)
            self.toggles[status] = b
            row.addWidget(b)
        row.addSpacing(8)
        self.show_unchanged = QCheckBox(T.COMPARE_SHOW_UNCHANGED, self)
        self.show_unchanged.setObjectName("compareShowUnchanged")
        self.show_unchanged.toggled.connect(self._refill)
        row.addWidget(self.show_unchanged)
        row.addStretch(1)
        self.table = QTableWidget(0, len(T.COMPARE_LIST_COLUMNS), self)
        self.table.setObjectName("comparePairs")
        self.table.setHorizontalHeaderLabels(list(T.COMPARE_LIST_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, em(self.table, 3.6))
        self.table.setColumnWidth(1, em(self.table, 7.5))
        self.empty = EmptyState(self.table)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self._label_toggles()

    def set_comparison(self, cmp: Comparison | None) -> None:
        self.comparison = cmp
        self._label_toggles()
        self._refill()

    def _label_toggles(self) -> None:
        counts = self.comparison.summary if self.comparison is not None else dict.fromkeys(STATUSES, 0)
        for status, b in self.toggles.items():
            b.setText(f"{STATUS_LABELS[status]} {counts[status]}")
        self.show_unchanged.setText(f"{T.COMPARE_SHOW_UNCHANGED}（{counts['unchanged']}）")

    def wanted(self) -> set[str]:
        out = {s for s, b in self.toggles.items() if b.isChecked()}
        if self.show_unchanged.isChecked():
            out.add("unchanged")
        return out

    def shown(self) -> list[int]:
        """Indexes (in the comparison) of the pairs listed, in order."""
        return [self.table.item(r, 0).data(PairRole) for r in range(self.table.rowCount())]

    def _refill(self, *_args: Any) -> None:
        keep = self.current()
        cmp = self.comparison
        self.table.setRowCount(0)
        if cmp is None:
            return
        wanted = self.wanted()
        colours = status_colours(theme.current())
        rows = [(n, p) for n, p in enumerate(cmp.pairs) if p.status in wanted]
        self.table.setRowCount(len(rows))
        for r, (n, p) in enumerate(rows):
            status = QTableWidgetItem(p.label)
            status.setForeground(QBrush(QColor(colours[p.status][0])))
            status.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            where = QTableWidgetItem(p.new.location if p.new else T.COMPARE_WHERE_OLD.format(where=p.old.location)
                                     if p.old else "")
            where.setToolTip(pair_where(p))
            side = p.new or p.old
            text = " ".join(side.text.split()) if side else ""
            snippet = QTableWidgetItem(text[:SNIPPET])
            snippet.setToolTip(p.explain())
            for c, item in enumerate((status, where, snippet)):
                item.setData(PairRole, n)
                self.table.setItem(r, c, item)
        if not cmp.pairs or (not any(p.status != "unchanged" for p in cmp.pairs) and "unchanged" not in wanted):
            self.empty.set_text(T.COMPARE_NO_CHANGES)
        else:
            self.empty.set_text("" if rows else T.COMPARE_NONE_SHOWN)
        if keep is not None and keep in self.shown():
            self.select(keep)

    def current(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(PairRole) if rows else None

    def select(self, index: int) -> bool:
        """Select the pair `index` (showing 未变 or its status first if the filter hides it)."""
        cmp = self.comparison
        if cmp is None or not 0 <= index < len(cmp.pairs):
            return False
        status = cmp.pairs[index].status
        if status not in self.wanted():
            if status == "unchanged":
                self.show_unchanged.setChecked(True)
            else:
                self.toggles[status].setChecked(True)
        shown = self.shown()
        if index not in shown:
            return False
        row = shown.index(index)
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_first(self) -> None:
        if self.table.rowCount():
            self.table.selectRow(0)

    def _on_selection_changed(self) -> None:
        n = self.current()
        emit(self.pair_selected, -1 if n is None else n)

    def restyle(self) -> None:
        self._refill()


class PairDetail(QWidget):
    """One pair: status and location, 变化说明, then 原条文 | 新条文 with the changed characters marked."""

    open_clause = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pair: ClausePair | None = None
        self.source = ""  # the HTML last set (with its class names: Qt turns them into inline styles)
        self.title = QLabel(self)
        self.title.setObjectName("pairTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.explain = QLabel(self)
        self.explain.setObjectName("pairExplain")
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.explain.setWordWrap(True)
        self.explain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("compareSideBySide")
        self.browser.setOpenLinks(False)
        self.legend = QLabel(T.COMPARE_LEGEND, self)
        self.legend.setObjectName("compareLegend")
        self.open_new = QPushButton(T.COMPARE_OPEN_NEW, self)
        self.open_old = QPushButton(T.COMPARE_OPEN_OLD, self)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.legend, 1)
        buttons.addWidget(self.open_old)
        buttons.addWidget(self.open_new)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.title)
        lay.addWidget(self.explain)
        lay.addWidget(self.browser, 1)
        lay.addLayout(buttons)
        self.open_new.clicked.connect(lambda: self._open("new"))
        self.open_old.clicked.connect(lambda: self._open("old"))
        self.restyle()
        self.set_pair(None)

    def set_pair(self, pair: ClausePair | None) -> None:
        self.pair = pair
        self.open_new.setEnabled(pair is not None and pair.new is not None)
        self.open_old.setEnabled(pair is not None and pair.old is not None)
        if pair is None:
            self.title.setText("")
            self.explain.setText("")
            self.source = f'<p class="label">{T.COMPARE_PICK_PAIR}</p>'
            self.browser.setHtml(self.source)
            return
        fg, bg = status_colours(theme.current())[pair.status]
        where = pair_where(pair).replace("&", "&amp;").replace("<", "&lt;")
        self.title.setText(f'<span style="color:{fg}; background-color:{bg};">&nbsp;{pair.label}&nbsp;</span>'
                           f"&nbsp;&nbsp;{where}")
        self.explain.setText(pair.explain())
        self.source = side_by_side(pair)
        self.browser.setHtml(self.source)

    def html(self) -> str:
        """The side-by-side document as Qt holds it (tests look for the marked spans)."""
        return self.browser.toHtml()

    def _open(self, side: str) -> None:
        p = self.pair
        clause = None if p is None else p.new if side == "new" else p.old
        if clause is not None:
            emit(self.open_clause, clause.id)

    def restyle(self) -> None:
        self.browser.document().setDefaultStyleSheet(diff_css(theme.current()))
        self.set_pair(self.pair)
