"""The outline of the document shown in the reading pane: chapters › sections › tasks/articles.

Rebuilt only when another document opens; otherwise the current clause is just selected. Clicking
(or Enter on) an entry emits `clause_requested(id)`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from app.ui.common.emptystate import EmptyState
from app.ui.common.qtcompat import emit
from app.ui.reader import strings as T
from app.ui.reader.citation import OutlineEntry

IdRole = Qt.ItemDataRole.UserRole + 1


class OutlineTree(QTreeWidget):
    clause_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outline")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty = EmptyState(self)
        self.empty.set_text(T.OUTLINE_EMPTY)
        self.doc_id: str | None = None
        self.items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        self.itemClicked.connect(self._on_item_clicked)
        self.itemActivated.connect(self._on_item_clicked)

    def set_outline(self, doc_id: str, entries: tuple[OutlineEntry, ...], current: str) -> None:
        if doc_id != self.doc_id:
            self._syncing = True
            self.clear()
            self.items = {}
            for e in entries:
                parent = self.items.get(e.parent_id) if e.parent_id else None
                item = QTreeWidgetItem([e.label])
                item.setData(0, IdRole, e.id)
                item.setToolTip(0, e.label)
                if parent is not None:
                    parent.addChild(item)
                else:
                    self.addTopLevelItem(item)
                self.items[e.id] = item
            self.doc_id = doc_id
            self.empty.set_text("" if entries else T.OUTLINE_EMPTY)
            self._syncing = False
            self.collapseAll()
        self.select(current)

    def select(self, clause_id: str) -> None:
        item = self.items.get(clause_id)
        if item is None:
            return
        self._syncing = True
        p = item.parent()
        while p is not None:
            p.setExpanded(True)
            p = p.parent()
        self.setCurrentItem(item)
        self.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._syncing = False

    def current_id(self) -> str | None:
        item = self.currentItem()
        return item.data(0, IdRole) if item is not None else None

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if not self._syncing:
            emit(self.clause_requested, item.data(0, IdRole))
