"""部门 view: per department the clauses it leads and supports, with counts; activating a clause opens it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.ui import strings as S
from app.ui.qtcompat import emit
from app.ui.tasks import TaskManager
from app.ui.views_common import KeyRole, LazyView, SortRole, table_item

NameRole = KeyRole
ClauseRole = Qt.ItemDataRole.UserRole + 3
TAG_BY_SOURCE = {"explicit": S.TAG_EXPLICIT, "table": S.TAG_TABLE, "user": S.TAG_USER, "inferred": S.TAG_INFERRED}


def fetch_departments(library: Library) -> list[dict[str, Any]]:
    """Worker side: departments that lead or support something, with readable clause labels."""
    titles = {d.id: d.title for d in library.documents()}
    out = []
    for d in library.department_clauses():
        if not d["lead"] and not d["support"]:
            continue
        for role in ("lead", "support"):
            for c in d[role]:
                doc_id = c["id"].split("/", 1)[0]
                c["label"] = S.BREADCRUMB_SEPARATOR.join(
                    [S.DOC_TITLE.format(title=titles.get(doc_id, doc_id)), *c["path"][-2:]])
        out.append(d)
    return out




class DepartmentsView(LazyView):
    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.data: dict[str, dict[str, Any]] = {}
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(S.VIEW_FILTER_PLACEHOLDER)
        self.filter_box.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, len(S.DEPT_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(S.DEPT_COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(0)
        self.table = QTableView(self)
        self.table.setObjectName("departmentTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 56)
        self.table.setColumnWidth(2, 56)
        self.clauses = QTreeWidget(self)
        self.clauses.setObjectName("departmentClauses")
        self.clauses.setHeaderLabels([S.LINKS_TITLE, S.DEPT_SOURCE])
        self.clauses.setColumnWidth(0, 600)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.filter_box)
        ll.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.clauses)
        split.setSizes([340, 900])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addWidget(split, 1)
        lay.addWidget(self.info)
        self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.clauses.itemActivated.connect(self._on_clause_activated)

    def fetch(self, library: Library) -> list[dict[str, Any]]:
        return fetch_departments(library)

    def fill(self, rows: list[dict[str, Any]]) -> None:
        self.data = {r["name"]: r for r in rows}
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for r in rows:
            n_lead, n_sup = len(r["lead"]), len(r["support"])
            self.model.appendRow([table_item(r["name"], r["name"], r["name"]), table_item(str(n_lead), n_lead, r["name"]),
                                  table_item(str(n_sup), n_sup, r["name"])])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.info.setText(S.DEPT_HINT)
        if rows:
            self.table.selectRow(0)

    def select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(NameRole) == name:
                self.table.selectRow(row)
                return True
        return False

    def _on_current_row_changed(self, current: Any, _prev: Any) -> None:
        self.clauses.clear()
        d = self.data.get(current.data(NameRole)) if current.isValid() else None
        if d is None:
            return
        for role, title in (("lead", S.DEPT_LEAD), ("support", S.DEPT_SUPPORT)):
            group = QTreeWidgetItem([title.format(n=len(d[role])), ""])
            f = group.font(0)
            f.setBold(True)
            group.setFont(0, f)
            self.clauses.addTopLevelItem(group)
            for c in d[role]:
                it = QTreeWidgetItem([c["label"], TAG_BY_SOURCE.get(c["source"], c["source"])])
                it.setData(0, ClauseRole, c["id"])
                it.setToolTip(0, c.get("evidence") or c["label"])
                group.addChild(it)
            group.setExpanded(True)

    def _on_clause_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        cid = item.data(0, ClauseRole)
        if cid:
            emit(self.open_clause, cid)
